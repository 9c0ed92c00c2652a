/**
 * Code that runs inside the page (passed to `page.evaluate` / `addInitScript`). Each function is
 * self-contained: Playwright serialises it, so it may not use anything from this module's scope.
 * The app exposes its live `Session` as `window.__tabgraph` (src/main.ts).
 */

/**
 * Init script: records when the page became interactive (Run button enabled) and when the worker
 * first answered a ping, sent the moment the session exists (main.ts sets `__tabgraph` right after
 * creating the worker and mounting the app).
 */
export function startupProbe() {
  const marks = { runEnabledAt: null, workerReadyAt: null, sessionAt: null };
  window.__benchStartup = marks;
  const findRun = () => {
    if (marks.runEnabledAt !== null) return;
    for (const b of document.querySelectorAll('button'))
      if (b.textContent?.trim() === 'Run' && !b.disabled) {
        marks.runEnabledAt = performance.now();
        observer.disconnect();
        return;
      }
  };
  const observer = new MutationObserver(findRun);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  let session;
  Object.defineProperty(window, '__tabgraph', {
    configurable: true,
    get: () => session,
    set(value) {
      session = value;
      marks.sessionAt = performance.now();
      value['client'].request({ type: 'ping' }).then(() => (marks.workerReadyAt = performance.now()));
    },
  });
}

/** Waits for the startup marks and returns them with the first paints (ms since navigation start). */
export async function readStartup() {
  const marks = window.__benchStartup;
  const t0 = performance.now();
  while ((marks.runEnabledAt === null || marks.workerReadyAt === null) && performance.now() - t0 < 30_000)
    await new Promise((r) => setTimeout(r, 20));
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
  return {
    first_paint_ms: paint['first-paint'] ?? null,
    first_contentful_paint_ms: paint['first-contentful-paint'] ?? null,
    run_enabled_ms: marks.runEnabledAt,
    session_created_ms: marks.sessionAt,
    worker_ready_ms: marks.workerReadyAt,
  };
}

/**
 * Estimates the offset between the worker's clock (`ev.ts`) and the page's, from ping round
 * trips: offset = ts - midpoint of send and receive. Latencies are only as good as this.
 */
export async function clockOffset(rounds) {
  const s = window.__tabgraph;
  const out = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const ack = await s['client'].request({ type: 'ping' });
    const t1 = performance.timeOrigin + performance.now();
    out.push({ offset: ack.ts - (t0 + t1) / 2, rtt: t1 - t0 });
  }
  out.sort((a, b) => a.rtt - b.rtt);
  return out[0];
}

/**
 * Raw postMessage limits: a Blob-URL worker posts `n` protocol-shaped events, one per message
 * or `batch` per message; the page counts them and times first send request to last receipt.
 */
export async function rawPostMessage({ n, batch }) {
  const src = `onmessage = (e) => {
    const { n, batch } = e.data;
    const ev = (seq) => ({ type: 'custom', runId: 'r', seq, ts: performance.timeOrigin + performance.now(),
      name: 'custom_token', ns: [], node: 'write', data: { content: ' word', id: 'msg-1', agentName: 'writer' } });
    for (let i = 0; i < n; i += batch) {
      const events = [];
      for (let j = i; j < Math.min(n, i + batch); j++) events.push(ev(j));
      postMessage({ kind: 'batch', events });
    }
  };`;
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const worker = new Worker(url);
  // A warm-up round trip, so worker start-up is not timed.
  await new Promise((resolve) => {
    worker.onmessage = resolve;
    worker.postMessage({ n: 1, batch: 1 });
  });
  const result = await new Promise((resolve) => {
    let events = 0;
    let messages = 0;
    const t0 = performance.now();
    worker.onmessage = (e) => {
      messages += 1;
      events += e.data.events.length;
      if (events >= n) resolve({ ms: performance.now() - t0, events, messages });
    };
    worker.postMessage({ n, batch });
  });
  worker.terminate();
  URL.revokeObjectURL(url);
  return {
    ...result,
    events_per_s: (result.events / result.ms) * 1000,
    messages_per_s: (result.messages / result.ms) * 1000,
  };
}

/** Selects the demo engine with the given options and waits for it. */
export async function selectDemo({ tokensPerSecond, minTokens }) {
  await window.__tabgraph.selectEngine({ kind: 'demo', demo: { tokensPerSecond, minTokens } });
}

/** The same graph, same modes, inside the worker with no relay (`bench.baseline`). */
export async function baseline({ graph, input, streamModes, subgraphs }) {
  const r = await window.__tabgraph.benchBaseline({ graph, input, streamModes, subgraphs });
  return {
    tokens: r.tokens,
    events: r.events,
    ms: r.ms,
    tokens_per_s: (r.tokens / r.ms) * 1000,
    events_per_s: (r.events / r.ms) * 1000,
  };
}

/**
 * One relayed run through the whole app: graph, relay, postMessage, validation, stores, Svelte.
 *
 * Store side: a `session.onEvents` listener (it runs right after `stores.apply`) counts the run's
 * `custom_token` events and takes each one's age (page clock minus the worker's `ev.ts`); the
 * first animation frame after each batch (plus one macrotask, i.e. after that frame's rendering)
 * gives the age at paint. DOM side: a MutationObserver on the token output (`data-testid=
 * "token-stream"`): when its token counter shows the final count and when the rendered text last
 * changed. Long tasks are recorded throughout. With `hideUi` the app is `display: none`, which
 * separates layout and paint from everything else.
 */
export async function relayedRun({ graph, input, streamModes, subgraphs, settleMs, latency, hideUi }) {
  const s = window.__tabgraph;
  // display:none: Svelte still updates the DOM, but nothing is laid out or painted.
  const app = document.getElementById('app');
  if (hideUi && app) app.style.display = 'none';
  const now = () => performance.timeOrigin + performance.now();
  const longTasks = [];
  const lto = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  lto.observe({ type: 'longtask', buffered: false });

  const dom = { countDoneAt: null, lastTextAt: null, mutations: 0, lastCount: 0 };
  let expectTokens = Infinity;
  const inStream = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el?.closest?.('[data-testid="token-stream"]') ?? null;
  };
  const mo = new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      const article = inStream(r.target);
      if (!article) continue;
      dom.mutations += 1;
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el?.closest?.('.count')) {
        const count = Number((article.querySelector('.count')?.textContent ?? '').replace(/\D/g, ''));
        dom.lastCount = count;
        if (count >= expectTokens && dom.countDoneAt === null) dom.countDoneAt = t;
      } else if (el?.closest?.('.md')) {
        dom.lastTextAt = t;
      }
    }
  });
  mo.observe(document.body, { subtree: true, childList: true, characterData: true });

  const storeLat = [];
  const paintLat = [];
  let tokens = 0;
  let firstTokenAt = null;
  let lastTokenAt = null;
  let lastTokenTs = null;
  let runId = null;
  let endAt = null;
  let endType = null;
  let resolveEnd;
  const ended = new Promise((r) => (resolveEnd = r));
  const off = s.onEvents((events) => {
    const t = now();
    const stamps = [];
    for (const ev of events) {
      if (ev.runId !== runId) continue;
      if (ev.type === 'custom' && ev.name === 'custom_token') {
        tokens += 1;
        lastTokenTs = ev.ts;
        stamps.push(ev.ts);
      } else if (['run.completed', 'run.failed', 'run.cancelled', 'run.rejected'].includes(ev.type)) {
        endAt = t;
        endType = ev.type === 'run.completed' ? ev.type : `${ev.type}: ${ev.error?.message ?? ''}`;
        resolveEnd();
      }
    }
    if (!stamps.length) return;
    firstTokenAt ??= t;
    lastTokenAt = t;
    if (!latency) return;
    for (const ts of stamps) storeLat.push(t - ts);
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        const p = now();
        for (const ts of stamps) paintLat.push(p - ts);
      };
      ch.port2.postMessage(0);
    });
  });

  const startAt = now();
  runId = s.run({ graph, input, streamModes, subgraphs });
  await ended;
  expectTokens = tokens;
  if (dom.lastCount >= tokens && dom.countDoneAt === null) dom.countDoneAt = performance.now();
  // Let the DOM catch up: wait until the output has not changed for settleMs.
  const waitStart = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const last = Math.max(dom.lastTextAt ?? 0, dom.countDoneAt ?? 0);
    if (performance.now() - Math.max(last, waitStart) > settleMs || performance.now() - waitStart > 30_000) break;
  }
  if (hideUi && app) {
    app.style.display = '';
    // Lay the shown output out now, not in the next measurement's window.
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
  }
  mo.disconnect();
  lto.disconnect();
  off();
  const toAbs = (pn) => (pn === null ? null : performance.timeOrigin + pn);
  const state = s.stores.current();
  const out = state.tokens.at(-1);
  return {
    endType,
    tokens,
    store_tokens: state.stats.tokens,
    content_chars: out?.content.length ?? 0,
    dom_text_chars: document.querySelector('[data-testid="token-stream"] .md')?.textContent?.length ?? null,
    dom_count: dom.lastCount,
    dom_found: dom.mutations > 0,
    startAt,
    firstTokenAt,
    lastTokenAt,
    lastTokenTs,
    endAt,
    domCountDoneAt: toAbs(dom.countDoneAt),
    domTextDoneAt: toAbs(dom.lastTextAt),
    storeLat,
    paintLat,
    longTasks,
  };
}

/** Used JS heap of the page after a full GC, via the DevTools protocol (called from node). */
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}
