/**
 * Code that runs inside the page (passed to `page.evaluate` / `addInitScript`). Each function is
 * self-contained: Playwright serialises it, so it may not use anything from this module's scope.
 * The app exposes its page `Controller` as `window.__tabgraph` (src/main.ts): `start(req)` returns
 * the run id, `onEvents(listener)` sees every batch after the stores applied it, `ping()`.
 */

/**
 * Init script: records when the page became interactive (Run button enabled) and when the worker
 * first answered a ping, sent the moment the controller exists (main.ts sets `__tabgraph` right
 * after creating the worker and mounting the app).
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
      value.ping().then(() => (marks.workerReadyAt = performance.now()));
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
  // The ping's `ack` passes through the controller's event listeners too: that gives its `ts`.
  /** @type {number | null} */
  let ackTs;
  const off = s.onEvents((events) => {
    for (const e of events) if (e.type === 'ack') ackTs = e.ts;
  });
  for (let i = 0; i < rounds; i++) {
    ackTs = null;
    const t0 = performance.timeOrigin + performance.now();
    await s.ping();
    const t1 = performance.timeOrigin + performance.now();
    if (ackTs !== null) out.push({ offset: ackTs - (t0 + t1) / 2, rtt: t1 - t0 });
  }
  off();
  out.sort((a, b) => a.rtt - b.rtt);
  return out[0] ?? { offset: null, rtt: null };
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
 * Store side: a `controller.onEvents` listener (it runs right after `stores.apply`) counts the run's
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
  runId = s.start({ graph, input, streamModes, subgraphs });
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

/**
 * The stream inspector over a long log (run it after a run that logged ~100,000 events): scrolls
 * the list from top to bottom and back in big jumps and small steps, one step per frame, then
 * types searches into its filter. Records every frame's duration (rAF to rAF), long tasks, and
 * for each search the time from the input event to the frame that shows its rows.
 */
export async function inspectorProbe({ steps, queries }) {
  const list = document.querySelector('[data-testid="inspector-list"]');
  const filter = document.getElementById('inspector-filter');
  if (!list || !filter) return { error: 'no inspector list or filter' };
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const longTasks = [];
  const lto = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) longTasks.push(e.duration);
  });
  lto.observe({ type: 'longtask', buffered: false });
  const rows = () => list.querySelectorAll('[role="row"]').length;
  const max = () => list.scrollHeight - list.clientHeight;
  /** Scrolls to each position, one per frame; returns the frame durations. */
  const scrollThrough = async (/** @type {number[]} */ tops) => {
    const out = [];
    let last = await frame();
    for (const top of tops) {
      list.scrollTop = top;
      const t = await frame();
      out.push(t - last);
      last = t;
      if (rows() === 0) blank += 1;
    }
    return out;
  };
  let blank = 0;
  const height = max();
  // Jumps across the whole log (a scrollbar drag), then a steady scroll of 4 rows a frame (a
  // wheel or trackpad), then back to the end.
  const jumps = await scrollThrough(Array.from({ length: steps }, (_, i) => (((i * 7919) % steps) / steps) * height));
  const steady = await scrollThrough(Array.from({ length: steps }, (_, i) => height / 2 + i * 96));
  await scrollThrough([height]);
  const frames = [...jumps, ...steady];
  const searches = [];
  for (const q of queries) {
    const t0 = performance.now();
    filter.value = q;
    filter.dispatchEvent(new Event('input', { bubbles: true }));
    await frame();
    const t1 = await frame();
    const count = document.querySelector('[data-testid="inspector-count"]')?.textContent?.trim() ?? '';
    // Scroll through the filtered rows too.
    const fr = [];
    let l2 = t1;
    for (let i = 0; i <= 20; i++) {
      list.scrollTop = (i / 20) * max();
      const t = await frame();
      fr.push(t - l2);
      l2 = t;
    }
    searches.push({ query: q, to_frame_ms: t1 - t0, count, scroll_frame_max_ms: Math.max(...fr) });
  }
  filter.value = '';
  filter.dispatchEvent(new Event('input', { bubbles: true }));
  await frame();
  lto.disconnect();
  const pct = (xs, x) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(x * (sorted.length - 1)))];
  };
  return {
    logged: window.__tabgraph.stores.current().logTotal,
    rows_in_dom: rows(),
    frames: frames.length,
    frames_without_rows: blank,
    frame_p50_ms: pct(frames, 0.5),
    frame_p95_ms: pct(frames, 0.95),
    frame_max_ms: Math.max(...frames),
    jump_frame_p95_ms: pct(jumps, 0.95),
    steady_frame_p95_ms: pct(steady, 0.95),
    long_tasks: longTasks.length,
    longest_task_ms: Math.max(0, ...longTasks),
    searches,
  };
}

/**
 * The relay's worker side alone: a second instance of the app's worker, driven with raw protocol
 * messages from a page that only counts `custom_token` events (no validation, unpacking, stores or UI). Its
 * baseline (`bench.baseline`, the same graph with nothing relayed) runs in the same worker, so
 * the ratio of the two is what the relay costs the worker, with the page all but idle.
 */
export async function workerOnly({ workerUrl, run, demo }) {
  const worker = new Worker(workerUrl, { type: 'module' });
  let listener = () => {};
  worker.onmessage = (e) => listener(e.data);
  const request = (cmd) =>
    new Promise((resolve) => {
      const requestId = `b-${Math.random()}`;
      listener = (batch) => {
        for (const ev of batch.events) if (ev.requestId === requestId) resolve(ev);
      };
      worker.postMessage({ ...cmd, requestId });
    });
  try {
    await request({ type: 'engine.select', selection: { kind: 'demo', demo } });
    const relayedRun = () =>
      new Promise((resolve) => {
        const runId = `w-${Math.random()}`;
        let tokens = 0;
        let lastTs = 0;
        const t0 = performance.timeOrigin + performance.now();
        listener = (batch) => {
          // Token events come packed (src/shared/packing.ts): counted without unpacking them.
          const p = batch.packed;
          if (p) {
            const isToken = p.templates.map(
              (t) => t.runId === runId && t.type === 'custom' && t.name === 'custom_token',
            );
            let k = 0;
            for (const t of p.order) {
              if (t < 0) continue;
              if (isToken[t]) {
                tokens += 1;
                lastTs = p.ts[k];
              }
              k++;
            }
          }
          for (const ev of batch.events) {
            if (ev.runId !== runId) continue;
            if (ev.type === 'custom' && ev.name === 'custom_token') {
              tokens += 1;
              lastTs = ev.ts;
            } else if (ev.type.startsWith('run.') && ev.type !== 'run.started') {
              const t1 = performance.timeOrigin + performance.now();
              resolve({
                end: ev.type,
                tokens,
                tokens_per_s: (tokens / (t1 - t0)) * 1000,
                stamped_per_s: (tokens / (lastTs - t0)) * 1000,
              });
            }
          }
        };
        worker.postMessage({ type: 'run', runId, ...run });
      });
    // Warm both paths, then time them back to back.
    await request({ type: 'bench.baseline', ...run });
    await relayedRun();
    const base = await request({ type: 'bench.baseline', ...run });
    const rel = await relayedRun();
    const baseTps = (base.tokens / base.ms) * 1000;
    return {
      baseline_tokens_per_s: baseTps,
      relayed_tokens_per_s: rel.tokens_per_s,
      worker_only_relay_ratio: rel.tokens_per_s / baseTps,
      end: rel.end,
    };
  } finally {
    worker.terminate();
  }
}
