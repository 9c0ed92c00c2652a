/**
 * `node bench/faults.mjs`: the timings that the tests no longer assert (tests check behaviour;
 * a shared machine's clock is no pass/fail criterion). Prints one JSON object; exits non-zero
 * only when something could not be measured.
 *
 * - Demo engine pacing: per-token lateness against its slot at 40 tok/s (the default) and at
 *   200 tok/s; an unthrottled 2,000-word answer; how soon an abort stops a throttled stream.
 * - The page noticing a dead worker, with the watchdog settings the tests use: in node, the
 *   session over a stand-in worker that stops answering (silenceMs 200, pingTimeoutMs 300, as in
 *   tests/unit/session.test.ts); in Chromium, a real module worker that throws or wedges
 *   (tests/browser/fixtures/faultyWorker.ts, silenceMs 1000, pingTimeoutMs 1500, as in
 *   tests/browser/faults.test.ts), and how soon the fresh worker answers.
 * - Streaming markdown: 2,000 paragraphs appended with no frame in between, then the frames that
 *   work the backlog off (the renderer parses about 4 ms per frame).
 *
 * How: the app's own Vite config, as a dev server in middleware mode (no build needed). Node
 * loads the TypeScript modules through it (`ssrLoadModule`); Chromium (Playwright, the bench's
 * usual CHROMIUM_PATH) opens a blank page from it and imports the same modules and the worker
 * fixture. Figures are for the dev build (unminified, Svelte dev mode), which costs the
 * markdown figures a little; fault detection is dominated by the watchdog's timers.
 *
 * Environment: FAULTS_ROUNDS (default 3) repeats each fault and the markdown measure.
 */
import { createServer as createHttpServer } from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../chromium.config.js';
import { median, quantile, round } from './stats.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Math.max(1, Number(process.env.FAULTS_ROUNDS ?? 3));
const T0 = Date.now();
const log = (/** @type {string} */ msg) => console.error(`[faults] ${((Date.now() - T0) / 1000).toFixed(1)} s  ${msg}`);

/** Median, p95 and max of a list, rounded. */
const spread = (/** @type {number[]} */ xs, digits = 1) => ({
  median: round(median(xs), digits),
  p95: round(quantile(xs, 0.95), digits),
  max: round(xs.length ? Math.max(...xs) : null, digits),
});

// ---------------------------------------------------------------------------------------------
// Node: the demo engine and the session's watchdog.

/** Streams `n` tokens at `tps` and compares each token's arrival with its slot (k / tps). */
async function pacing(/** @type {any} */ DemoEngine, /** @type {number} */ tps, /** @type {number} */ n) {
  const engine = new DemoEngine({ tokensPerSecond: tps });
  const request = { messages: [{ role: 'user', content: 'x' }], demo: () => `${'word '.repeat(n - 1)}word` };
  const at = [];
  let usage;
  const t0 = performance.now();
  for await (const c of engine.stream(request)) {
    if (c.type === 'token') at.push(performance.now() - t0);
    else usage = c.usage;
  }
  const slot = 1000 / tps;
  const late = at.map((t, k) => t - (k + 1) * slot);
  return {
    tokens_per_s: tps,
    tokens: at.length,
    expected_ms: round(n * slot, 1),
    wall_ms: round(at.at(-1) ?? null, 1),
    achieved_tokens_per_s: round((at.length - 1) / (((at.at(-1) ?? 0) - (at[0] ?? 0)) / 1000), 2),
    engine_reported_tokens_per_s: round(usage?.decodeTokensPerSecond ?? null, 2),
    late_ms: spread(late),
    // Node's timers work in whole milliseconds, so a token can come up to about 1 ms early.
    tokens_early_by_over_1ms: late.filter((x) => x < -1).length,
  };
}

/** An unthrottled 2,000-word answer (2,001 tokens), start to last token. */
async function unthrottled(/** @type {any} */ DemoEngine) {
  const engine = new DemoEngine({ tokensPerSecond: 0 });
  const request = { messages: [{ role: 'user', content: 'x' }], demo: () => 'word '.repeat(2000) };
  const t0 = performance.now();
  let tokens = 0;
  for await (const c of engine.stream(request)) if (c.type === 'token') tokens++;
  return { tokens, ms: round(performance.now() - t0, 1) };
}

/** A 5 tok/s stream aborted 10 ms into a token's wait: abort() to the AbortError. */
async function abortLatency(/** @type {any} */ DemoEngine) {
  const ms = [];
  for (let i = 0; i < 10; i++) {
    const ctl = new AbortController();
    const engine = new DemoEngine({ tokensPerSecond: 5 });
    const it = engine.stream({ messages: [{ role: 'user', content: 'x' }], signal: ctl.signal, demo: () => 'a b c' });
    await it.next();
    const pending = it.next().catch((/** @type {Error} */ e) => e);
    await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    ctl.abort();
    const err = await pending;
    if (err?.name !== 'AbortError') throw new Error(`expected AbortError, got ${String(err)}`);
    ms.push(performance.now() - t0);
  }
  return { runs: ms.length, abort_to_error_ms: spread(ms, 2) };
}

/** The session over a stand-in worker that stops answering mid-run (tests/unit/session.test.ts). */
async function nodeHang(/** @type {any} */ pageOver, /** @type {any} */ FakeWorker) {
  const silenceMs = 200;
  const pingTimeoutMs = 300;
  const runs = [];
  for (let i = 0; i < ROUNDS + 2; i++) {
    const workers = [];
    const page = pageOver({
      createWorker: () => {
        const w = new FakeWorker(20, 60);
        workers.push(w);
        return w;
      },
      silenceMs,
      pingTimeoutMs,
    });
    try {
      let lastHeard = 0;
      let failedAt = 0;
      let tokens = 0;
      /** @type {(e: any) => void} */
      let onFailed = () => {};
      const failed = new Promise((r) => (onFailed = r));
      page.onEvents((/** @type {any[]} */ events) => {
        const t = performance.now();
        for (const e of events) {
          if (e.type === 'run.failed') {
            failedAt = t;
            onFailed(e);
          } else {
            lastHeard = t;
            if (e.type === 'custom' && e.name === 'custom_token') tokens++;
          }
        }
      });
      page.start({ graph: 'demo', input: { topic: 'x' }, streamModes: ['values', 'custom'], subgraphs: false });
      while (tokens < 2) await new Promise((r) => setTimeout(r, 5));
      const hungAt = performance.now();
      workers[0].hang();
      const ev = await withTimeout(failed, 20_000, 'the hung stand-in worker was never detected');
      if (!String(ev.error?.message).includes('stopped answering'))
        throw new Error(`unexpected failure: ${ev.error?.message}`);
      runs.push({ after_hang_ms: failedAt - hungAt, after_last_event_ms: failedAt - lastHeard });
    } finally {
      page.dispose();
    }
  }
  return {
    silenceMs,
    pingTimeoutMs,
    runs: runs.length,
    detected_after_hang_ms: spread(runs.map((r) => r.after_hang_ms)),
    detected_after_last_event_ms: spread(runs.map((r) => r.after_last_event_ms)),
  };
}

// ---------------------------------------------------------------------------------------------
// Chromium: code passed to page.evaluate (self-contained: Playwright serialises it).

/**
 * One run on a real module worker that crashes or wedges 300 ms after the run command
 * (faultyWorker.ts), through the page's session with the given watchdog settings.
 */
async function browserFault({ topic, silenceMs, pingTimeoutMs }) {
  const { pageOver } = await import('/tests/support/page.ts');
  const marks = { startAt: 0, errorAt: null, lastHeardAt: null, failedAt: null };
  const createWorker = () => {
    const w = new Worker('/tests/browser/fixtures/faultyWorker.ts?worker_file&type=module', { type: 'module' });
    // Added before the session's own listener, so it stamps the crash first.
    w.addEventListener('error', () => (marks.errorAt ??= performance.now()));
    return w;
  };
  const page = pageOver({ createWorker, silenceMs, pingTimeoutMs });
  try {
    await page.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 20 } });
    let runId = null;
    let failedEvent = null;
    const failed = new Promise((resolve) => {
      page.onEvents((events) => {
        const t = performance.now();
        for (const e of events) {
          if (e.runId !== runId) continue;
          if (e.type === 'run.failed') {
            marks.failedAt = t;
            failedEvent = e;
            resolve(e);
          } else marks.lastHeardAt = t;
        }
      });
    });
    marks.startAt = performance.now();
    runId = page.start({ graph: 'demo', input: { topic }, streamModes: ['values'], subgraphs: false });
    await Promise.race([failed, new Promise((r) => setTimeout(r, 30_000))]);
    if (!failedEvent) return { error: `no failure within 30 s (${topic})` };
    // The fresh worker: how soon it answers, and that a run completes on it.
    const p0 = performance.now();
    await page.session.ping();
    const pingMs = performance.now() - p0;
    await page.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    page.start({ graph: 'demo', input: { topic: 'after' }, streamModes: ['values'], subgraphs: false });
    const r0 = performance.now();
    while (page.stores.current().status === 'running' && performance.now() - r0 < 30_000)
      await new Promise((r) => setTimeout(r, 10));
    return {
      message: failedEvent.error?.message ?? '',
      start_to_failed_ms: marks.failedAt - marks.startAt,
      crash_to_failed_ms: marks.errorAt === null ? null : marks.failedAt - marks.errorAt,
      last_event_to_failed_ms: marks.lastHeardAt === null ? null : marks.failedAt - marks.lastHeardAt,
      fresh_worker_ping_ms: pingMs,
      next_run: page.stores.current().status,
      workers_started: page.session.workersStarted,
    };
  } finally {
    page.dispose();
  }
}

/** 2,000 markdown paragraphs appended with no frame in between, then the frames that render them. */
async function markdownBacklog({ paragraphs }) {
  const { mountStreamingMarkdown } = await import('/tests/support/streamingMarkdown.svelte.ts');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const target = document.createElement('div');
  document.body.append(target);
  const md = mountStreamingMarkdown(target);
  const rendered = () => target.querySelectorAll('p:not(.plain)').length;
  try {
    // Warm up: the renderer chunk loads lazily on first use.
    md.append('warm up\n\n');
    for (let n = 0; rendered() < 1 && n < 600; n++) await frame();
    const paragraph = `${'word '.repeat(40)}\n\n`;
    const longTasks = [];
    const lto = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    lto.observe({ type: 'longtask', buffered: false });
    const t0 = performance.now();
    for (let i = 0; i < paragraphs; i++) md.append(paragraph);
    const appendMs = performance.now() - t0;
    const before = rendered();
    const gaps = [];
    const perFrame = [];
    let last = performance.now();
    const s0 = last;
    for (let n = 0; rendered() < paragraphs + 1 && n < 3000; n++) {
      const had = rendered();
      await frame();
      const now = performance.now();
      gaps.push(now - last);
      perFrame.push(rendered() - had);
      last = now;
    }
    lto.disconnect();
    return {
      appendMs,
      renderedBeforeFrame: before - 1,
      rendered: rendered() - 1,
      backlogMs: performance.now() - s0,
      gaps,
      perFrame,
      longTasks,
    };
  } finally {
    md.destroy();
    target.remove();
  }
}

// ---------------------------------------------------------------------------------------------

/** @template T @param {Promise<T>} p @param {number} ms @param {string} what @returns {Promise<T>} */
function withTimeout(p, ms, what) {
  let timer;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms))),
  ]);
}

/** Medians over rounds of the browser fault figures. */
function faultSummary(/** @type {any[]} */ runs, /** @type {object} */ settings) {
  const ok = runs.filter((r) => !r.error);
  const pick = (/** @type {string} */ k) => ok.map((r) => r[k]).filter((x) => typeof x === 'number');
  return {
    ...settings,
    runs: runs.length,
    errors: runs.filter((r) => r.error).map((r) => r.error),
    start_to_failed_ms: spread(pick('start_to_failed_ms')),
    crash_to_failed_ms: pick('crash_to_failed_ms').length ? spread(pick('crash_to_failed_ms'), 2) : undefined,
    last_event_to_failed_ms: spread(pick('last_event_to_failed_ms')),
    fresh_worker_ping_ms: spread(pick('fresh_worker_ping_ms')),
    next_run_completed: ok.every((r) => r.next_run === 'completed'),
    messages: [...new Set(ok.map((r) => r.message))],
  };
}

async function main() {
  const loadBefore = os.loadavg()[0];
  const vite = await createServer({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    // A cache of its own: the dev server and the tests keep theirs.
    cacheDir: join(ROOT, 'node_modules', '.vite', 'bench-faults'),
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
    logLevel: 'warn',
  });
  const http = createHttpServer((req, res) => {
    if (req.url === '/__faults.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset="utf-8"><title>faults bench</title><body></body>');
      return;
    }
    vite.middlewares(req, res, () => res.writeHead(404).end());
  });
  await new Promise((ok) => http.listen(0, '127.0.0.1', () => ok(undefined)));
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  /** @type {Record<string, unknown>} */
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
  };
  let browser;
  try {
    log('node: demo engine');
    const { DemoEngine } = await vite.ssrLoadModule('/src/engines/demo.ts');
    out.demo_engine = {
      pacing_40: await pacing(DemoEngine, 40, 120),
      pacing_200: await pacing(DemoEngine, 200, 100),
      unthrottled_2000_words: await unthrottled(DemoEngine),
      abort: await abortLatency(DemoEngine),
    };
    log('node: hung stand-in worker');
    const { pageOver } = await vite.ssrLoadModule('/tests/support/page.ts');
    const { FakeWorker } = await vite.ssrLoadModule('/tests/support/fakeWorker.ts');
    out.node_session_hang = await nodeHang(pageOver, FakeWorker);

    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    out.machine = { .../** @type {object} */ (out.machine), chromium: browser.version() };
    const page = await browser.newPage();
    /** @type {string[]} */
    const pageErrors = [];
    // Svelte's component CSS imports Vite's client in dev, which tries the HMR socket this
    // server does not open; nothing else depends on it.
    page.on('pageerror', (e) => String(e).includes('WebSocket closed without opened') || pageErrors.push(String(e)));
    await page.goto(`${url}/__faults.html`);
    // The first import makes Vite transform (and maybe pre-bundle) the modules: not timed.
    log('chromium: warm-up');
    await page.evaluate(browserFault, { topic: 'warm-up', silenceMs: 1000, pingTimeoutMs: 1500 }).catch(() => null);
    const settings = { silenceMs: 1000, pingTimeoutMs: 1500 };
    const crashes = [];
    const hangs = [];
    for (let i = 0; i < ROUNDS; i++) {
      log(`chromium: crash ${i + 1}/${ROUNDS}`);
      crashes.push(await page.evaluate(browserFault, { topic: 'crash', ...settings }));
      log(`chromium: hang ${i + 1}/${ROUNDS}`);
      hangs.push(await page.evaluate(browserFault, { topic: 'hang', ...settings }));
    }
    out.chromium_worker_crash = faultSummary(crashes, { fault_after_run_ms: 300 });
    out.chromium_worker_hang = faultSummary(hangs, { ...settings, fault_after_run_ms: 300 });

    log('chromium: markdown backlog');
    const md = [];
    for (let i = 0; i < ROUNDS; i++) md.push(await page.evaluate(markdownBacklog, { paragraphs: 2000 }));
    const gaps = md.flatMap((m) => m.gaps);
    out.markdown_backlog = {
      paragraphs: 2000,
      rounds: md.length,
      append_2000_without_frame_ms: spread(md.map((m) => m.appendMs)),
      rendered_before_first_frame: Math.max(...md.map((m) => m.renderedBeforeFrame)),
      all_rendered: md.every((m) => m.rendered === 2000),
      frames_to_render: spread(
        md.map((m) => m.gaps.length),
        0,
      ),
      backlog_ms: spread(md.map((m) => m.backlogMs)),
      frame_gap_ms: {
        p50: round(quantile(gaps, 0.5), 1),
        p90: round(quantile(gaps, 0.9), 1),
        max: round(Math.max(...gaps), 1),
      },
      paragraphs_per_frame: spread(
        md.flatMap((m) => m.perFrame.filter((/** @type {number} */ x) => x > 0)),
        0,
      ),
      long_tasks: md.flatMap((m) => m.longTasks).map((x) => round(x, 0)),
    };
    if (pageErrors.length) out.page_errors = pageErrors;
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise((ok) => http.close(() => ok(undefined)));
    await vite.close();
  }
  out.loadavg_1min = { start: round(loadBefore, 2), end: round(os.loadavg()[0], 2) };
  out.wall_seconds = round((Date.now() - T0) / 1000, 1);
  console.log(JSON.stringify(out, null, 2));
  const crash = /** @type {any} */ (out.chromium_worker_crash);
  const hang = /** @type {any} */ (out.chromium_worker_hang);
  if (crash.errors.length || hang.errors.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
