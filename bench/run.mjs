/**
 * `npm run bench`: measures the streaming path of the production build in headless Chromium.
 *
 * Serves `dist/` (build it first; `npm run bench` does) and runs several rounds, each in a fresh
 * browser context: start-up, raw postMessage limits, the in-worker baseline against a relayed
 * run of the same graph and modes, latency at 100 and 1,000 tok/s, and a request log that must
 * not contain the WebLLM chunk. Then heap growth over 100,000 tokens, and the first run on fresh
 * browser profiles (bench/firstRun.mjs). Ratios are taken within a round (absolute times on shared
 * machines are noisy); medians over rounds are reported.
 *
 * Writes bench/results.json and prints a table. Targets are goals, not assertions: the exit code
 * is non-zero only when something could not be measured.
 *
 * Environment: BENCH_DIST (default dist), BENCH_ROUNDS (default 3), CHROMIUM_PATH, and
 * BENCH_ONLY=<parts> to measure only some parts (comma-separated: throughput, latency, memory,
 * inspector, first-run), written to bench/out/<parts>.json instead of bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../chromium.config.js';
import { firstRunRound } from './firstRun.mjs';
import * as probes from './probes.mjs';
import { startServer } from './server.mjs';
import { analyzeBuild } from './size.mjs';
import { medians, quantile, round } from './stats.mjs';
import { evaluateTargets, printTable } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = process.env.BENCH_DIST ?? join(HERE, '..', 'dist');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
/** Parts that can be measured alone; all of them when BENCH_ONLY is unset. */
const PARTS = ['throughput', 'latency', 'memory', 'inspector', 'first-run'];
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
for (const p of ONLY) if (!PARTS.includes(p)) throw new Error(`BENCH_ONLY=${p}: parts are ${PARTS.join(', ')}`);
const wanted = (/** @type {string} */ part) => ONLY.length === 0 || ONLY.includes(part);

/** The app's default stream modes (src/App.svelte), on the demo graph. */
const RUN = {
  graph: 'demo',
  input: { topic: 'how a token travels from a worker to the screen' },
  streamModes: ['values', 'updates', 'messages', 'custom'],
  subgraphs: true,
};
const CONFIG = {
  rounds: ROUNDS,
  run: RUN,
  postmessage: { single: { n: 20_000, batch: 1 }, batched: { n: 200_000, batch: 256 } },
  throughput_tokens: 10_000,
  /**
   * Baseline and relayed runs of `throughput_tokens` before the measured ones: V8 keeps optimising
   * (and deoptimising) the streaming path for about this many runs of this size (BENCHMARKS.md).
   */
  warmup_runs: 8,
  /** Baseline and relayed pairs measured per round; the round reports its median pair. */
  measured_pairs: 3,
  latency: [
    { tokensPerSecond: 100, minTokens: 400 },
    { tokensPerSecond: 1000, minTokens: 2500 },
  ],
  /** Streamed as `memory_runs` runs of `memory_tokens / memory_runs` tokens, in one page. */
  memory_tokens: 100_000,
  memory_runs: 5,
  dom_settle_ms: 400,
  /** One run of this many tokens logs about twice as many events (custom_token + messages chunk). */
  inspector_tokens: 50_000,
  inspector_steps: 150,
  inspector_queries: ['custom_token', 'messages', 'review', 'values', 'no-such-event'],
};

const T0 = Date.now();
const log = (/** @type {string} */ msg) => console.log(`[bench] ${((Date.now() - T0) / 1000).toFixed(1)} s  ${msg}`);

/** The fresh-profile first run, `ROUNDS` times (each round launches Chromium twice). */
async function firstRuns(/** @type {string} */ url) {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) {
    log(`fresh profile ${i + 1}/${ROUNDS}`);
    runs.push(await firstRunRound(url, DIST));
  }
  return runs;
}

/** `BENCH_ONLY=first-run`: that measure alone, printed and written to bench/out/first-run.json. */
async function firstRunOnly() {
  const loadBefore = os.loadavg()[0];
  const server = await startServer(DIST);
  let runs;
  try {
    runs = await firstRuns(server.url);
  } finally {
    await server.close();
  }
  const out = {
    date: new Date().toISOString(),
    loadavg_1min: { start: round(loadBefore, 2), end: round(os.loadavg()[0], 2) },
    ...firstRunMeasure(runs),
  };
  await mkdir(join(HERE, 'out'), { recursive: true });
  await writeFile(join(HERE, 'out', 'first-run.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out.median, null, 2));
  log('wrote bench/out/first-run.json');
}

async function main() {
  if (ONLY.length === 1 && ONLY[0] === 'first-run') return firstRunOnly();
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  const build = await analyzeBuild(DIST);
  const server = await startServer(DIST);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const rounds = [];
  const memory = [];
  const inspector = [];
  /** @type {any[]} */
  let first = [];
  try {
    if (wanted('throughput') || wanted('latency'))
      for (let i = 0; i < ROUNDS; i++) {
        log(`round ${i + 1}/${ROUNDS}`);
        rounds.push(await round1(browser, server.url, build, i));
      }
    if (wanted('memory')) {
      log('memory');
      memory.push(await memoryRound(browser, server.url));
    }
    if (wanted('inspector'))
      for (let i = 0; i < ROUNDS; i++) {
        log(`inspector ${i + 1}/${ROUNDS}`);
        inspector.push(await inspectorRound(browser, server.url));
      }
    if (wanted('first-run')) first = await firstRuns(server.url);
  } finally {
    await browser.close().catch(() => undefined);
    await server.close();
  }
  const version = browser.version();
  const results = summarize({
    build,
    rounds,
    memory,
    inspector,
    first,
    version,
    seconds: (Date.now() - started) / 1000,
  });
  // Other work on the machine skews absolute figures: say how busy it was.
  results.machine.loadavg_1min = { start: round(loadBefore, 2), end: round(os.loadavg()[0], 2) };
  const file = ONLY.length ? join('out', `${ONLY.join('+')}.json`) : 'results.json';
  if (ONLY.length) await mkdir(join(HERE, 'out'), { recursive: true });
  await writeFile(join(HERE, file), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  log(`wrote bench/${file} in ${round(results.wall_seconds, 0)} s`);
  const failed = rounds.filter((r) => r.baseline.error);
  if (failed.length) {
    console.error(`[bench] could not measure the in-worker baseline: ${failed[0].baseline.error}`);
    process.exitCode = 1;
  }
}

/** The commit measured, and whether the tree had local changes (named, not diffed). */
function gitInfo() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: HERE, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '../src'], { cwd: HERE, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean).length;
    return { head, src_files_changed: dirty };
  } catch {
    return null;
  }
}

/** Opens a fresh context and page on the app, with start-up probes and a request log. */
async function openApp(/** @type {import('playwright').Browser} */ browser, /** @type {string} */ url) {
  // The service worker would precache the shell and hide fetches from the request log.
  // The page's CSP allows workers only from its origin; the raw postMessage probe needs a Blob-URL
  // worker, so the bench bypasses the policy (it changes no timing of the app itself).
  const context = await browser.newContext({ serviceWorkers: 'block', bypassCSP: true });
  /** @type {string[]} */
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.addInitScript(probes.startupProbe);
  await page.goto(url, { waitUntil: 'load' });
  const startup = await page.evaluate(probes.readStartup);
  if (startup.worker_ready_ms === null) throw new Error(`the worker never answered a ping: ${pageErrors.join('; ')}`);
  return { context, page, requests, startup, pageErrors };
}

/** One round: start-up, limits, throughput against the baseline, latency, request log. */
async function round1(
  /** @type {import('playwright').Browser} */ browser,
  /** @type {string} */ url,
  /** @type {Awaited<ReturnType<typeof analyzeBuild>>} */ build,
  /** @type {number} */ index,
) {
  const { context, page, requests, startup, pageErrors } = await openApp(browser, url);
  try {
    log('  started');
    const clock = await page.evaluate(probes.clockOffset, 20);
    let single = null;
    let batched = null;
    let base = null;
    let throughput = null;
    if (wanted('throughput')) {
      single = await page.evaluate(probes.rawPostMessage, CONFIG.postmessage.single);
      batched = await page.evaluate(probes.rawPostMessage, CONFIG.postmessage.batched);

      // Warm up both paths (JIT, lazy markdown renderer) before timing them: V8 keeps compiling
      // the streaming path (Maglev, then TurboFan, on background threads that take CPU from the
      // worker) for several runs of this size, so the warm-up runs the measured size itself.
      await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: CONFIG.throughput_tokens });
      for (let i = 0; i < CONFIG.warmup_runs; i++) {
        await baselineOrError(page);
        await relayed(page, false);
      }

      // Alternate the order between pairs so drift (thermal, neighbours) does not favour one side.
      // One pair is two runs of well under a second each, which the machine's other work can
      // swing by a third: the round keeps the pair with the median ratio (all its figures).
      const pairs = [];
      for (let p = 0; p < CONFIG.measured_pairs; p++) {
        let b, rel;
        if ((index + p) % 2 === 0) {
          b = await baselineOrError(page);
          rel = await relayed(page, false);
        } else {
          rel = await relayed(page, false);
          b = await baselineOrError(page);
        }
        pairs.push({ base: b, throughput: throughputOf(rel, b) });
      }
      const ranked = [...pairs].sort((a, b) => (a.throughput.relay_ratio ?? 0) - (b.throughput.relay_ratio ?? 0));
      ({ base, throughput } = ranked[Math.floor(ranked.length / 2)]);
      throughput.pair_relay_ratios = pairs.map((p) => p.throughput.relay_ratio);
      // The same run with the app hidden: what layout and paint cost the relay.
      const hidden = await relayed(page, false, true);
      throughput.ui_hidden_store_tokens_per_s = round(
        (hidden.tokens / (hidden.lastTokenAt - hidden.startAt)) * 1000,
        0,
      );
      throughput.ui_hidden_relay_ratio = base.error
        ? null
        : round(throughput.ui_hidden_store_tokens_per_s / base.tokens_per_s, 3);
      // Where the time goes: CPU time of the worker and of the page's main thread (trace), per
      // 1,000 tokens, for the bare graph and for the relayed run (tracing slows both a little).
      Object.assign(throughput, await cpuSplit(browser, page));
      // The worker side alone (a second worker, a page that only counts).
      const only = await page.evaluate(probes.workerOnly, {
        workerUrl: `${url}${build.worker_initial.files[0]}`,
        run: RUN,
        demo: { tokensPerSecond: 0, minTokens: CONFIG.throughput_tokens },
      });
      throughput.worker_only_relay_ratio = round(only.worker_only_relay_ratio, 3);
      throughput.worker_only_tokens_per_s = round(only.relayed_tokens_per_s, 0);
      log('  throughput');
    }

    const latency = [];
    for (const l of wanted('latency') ? CONFIG.latency : []) {
      // Replace the last run's long output with a short one first: tearing down thousands of
      // rendered paragraphs would otherwise land in this run's first frames.
      await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: 0 });
      await relayed(page, false);
      await page.evaluate(probes.selectDemo, l);
      const r = await relayed(page, true);
      // The same rate again under a trace, which gives each main-thread task's CPU time besides
      // its wall time: on a busy machine a task's wall time includes time the OS gave others.
      // (Tracing slows the page, so the latencies above come from the untraced run.)
      await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: 0 });
      await relayed(page, false);
      await page.evaluate(probes.selectDemo, l);
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
      await relayed(page, false);
      const tasks = mainThreadTasks(JSON.parse((await browser.stopTracing()).toString()));
      latency.push({ ...latencyOf(l.tokensPerSecond, r), ...tasks });
      log(`  latency ${l.tokensPerSecond}`);
    }

    // The request log must see worker fetches for the WebLLM check to mean anything: fetch a
    // small chunk from a throwaway worker and look for it.
    const probeFile = build.page_initial.files[0];
    await page.evaluate(async (src) => {
      const code = `fetch(${JSON.stringify(src)}).then(() => postMessage('done'))`;
      const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
      await new Promise((r) => (w.onmessage = r));
      w.terminate();
    }, `${url}${probeFile}?from-worker`);
    const webllm = build.webllm_chunk?.files[0];
    const fetched = [...new Set(requests.map((r) => new URL(r).pathname.slice(1)))];
    return {
      startup,
      clock_offset_ms: round(clock.offset, 2),
      clock_rtt_ms: round(clock.rtt, 2),
      postmessage_single: single && trim(single),
      postmessage_batched: batched && trim(batched),
      baseline: base && trim(base),
      throughput,
      latency,
      requests: {
        recorder_sees_worker_fetches: requests.some((r) => r.endsWith('?from-worker')),
        webllm_chunk: webllm ?? null,
        webllm_fetched: webllm ? fetched.includes(webllm) : null,
        js_fetched: fetched.filter((f) => f.endsWith('.js')).sort(),
      },
      page_errors: pageErrors,
    };
  } finally {
    await context.close();
  }
}

/** The in-worker baseline, or `{ error }` when the worker refuses it (the rest is still measured). */
async function baselineOrError(/** @type {import('playwright').Page} */ page) {
  try {
    return await page.evaluate(probes.baseline, RUN);
  } catch (err) {
    const error = String(err instanceof Error ? err.message : err).split('\n')[0];
    log(`  baseline failed: ${error}`);
    return { error };
  }
}

async function relayed(/** @type {import('playwright').Page} */ page, /** @type {boolean} */ latency, hideUi = false) {
  const r = await page.evaluate(probes.relayedRun, { ...RUN, settleMs: CONFIG.dom_settle_ms, latency, hideUi });
  if (r.endType !== 'run.completed') throw new Error(`relayed run did not complete: ${r.endType}`);
  return r;
}

/** Store and DOM rates of a relayed run, and its ratio to the in-worker baseline. */
function throughputOf(/** @type {any} */ r, /** @type {any} */ base) {
  const storeMs = r.lastTokenAt - r.startAt;
  const domDone = r.dom_found ? Math.max(r.domCountDoneAt ?? 0, r.domTextDoneAt ?? 0) : null;
  const storeTps = (r.tokens / storeMs) * 1000;
  return {
    tokens: r.tokens,
    store_ms: round(storeMs, 1),
    store_tokens_per_s: round(storeTps, 0),
    run_ms: round(r.endAt - r.startAt, 1),
    // Where the time goes: the rate the worker stamped tokens at, and how far the page lagged.
    worker_tokens_per_s: round((r.tokens / (r.lastTokenTs - r.startAt)) * 1000, 0),
    page_lag_at_last_token_ms: round(r.lastTokenAt - r.lastTokenTs, 1),
    dom_found: r.dom_found,
    dom_tokens_per_s: domDone ? round((r.tokens / (domDone - r.startAt)) * 1000, 0) : null,
    dom_lag_after_last_token_ms: domDone ? round(domDone - r.lastTokenAt, 1) : null,
    dom_count_shown: r.dom_count,
    baseline_tokens_per_s: base.error ? null : round(base.tokens_per_s, 0),
    baseline_tokens: base.error ? null : base.tokens,
    relay_ratio: base.error ? null : round(storeTps / base.tokens_per_s, 3),
    dom_ratio:
      domDone && !base.error ? round(((r.tokens / (domDone - r.startAt)) * 1000) / base.tokens_per_s, 3) : null,
    long_tasks: r.longTasks.length,
    longest_task_ms: round(Math.max(0, ...r.longTasks), 0),
  };
}

/** Main-thread tasks of the page from a Chromium trace: over 50 ms by wall time and by CPU time. */
function mainThreadTasks(/** @type {{ traceEvents: any[] }} */ { traceEvents }) {
  const mains = new Set(
    traceEvents
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = traceEvents.filter((e) => e.name === 'RunTask' && e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const wall = tasks.map((e) => (e.dur ?? 0) / 1000);
  const cpu = tasks.map((e) => (e.tdur ?? e.dur ?? 0) / 1000);
  return {
    traced_tasks_over_50ms_wall: wall.filter((d) => d > 50).length,
    traced_tasks_over_50ms_cpu: cpu.filter((d) => d > 50).length,
    longest_task_cpu_ms: round(Math.max(0, ...cpu), 1),
  };
}

/** Percentiles of token age at the store and at the next frame, and long tasks, for one rate. */
function latencyOf(/** @type {number} */ rate, /** @type {any} */ r) {
  const pct = (/** @type {number[]} */ xs) => ({
    p50: round(quantile(xs, 0.5), 2),
    p95: round(quantile(xs, 0.95), 2),
    p99: round(quantile(xs, 0.99), 2),
    max: round(Math.max(...xs), 2),
  });
  return {
    tokens_per_s: rate,
    tokens: r.tokens,
    achieved_tokens_per_s: round((r.tokens / (r.lastTokenAt - r.firstTokenAt)) * 1000, 0),
    store: pct(r.storeLat),
    paint: pct(r.paintLat),
    long_tasks: r.longTasks.length,
    longest_task_ms: round(Math.max(0, ...r.longTasks), 0),
    // Raw ages, pooled over rounds in the summary and not written out.
    _samples: { store: r.storeLat, paint: r.paintLat },
  };
}

/**
 * Heap after GC in a fresh page, before and after CONFIG.memory_tokens streamed tokens, plus the
 * peak seen (sampled without GC) while streaming. The tokens come as several runs: one 100,000-token
 * answer costs minutes here, because every `token_update` carries the whole text so far.
 */
async function memoryRound(/** @type {import('playwright').Browser} */ browser, /** @type {string} */ url) {
  const { context, page } = await openApp(browser, url);
  try {
    const cdp = await page.context().newCDPSession(page);
    await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: 1000 });
    await relayed(page, false); // loads the lazy renderer, so only the stream's growth is measured
    const perRun = Math.ceil(CONFIG.memory_tokens / CONFIG.memory_runs);
    await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: perRun });
    const before = await probes.heapAfterGc(cdp);
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        peak = Math.max(peak, usedSize);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    let tokens = 0;
    let ms = 0;
    for (let i = 0; i < CONFIG.memory_runs; i++) {
      const r = await relayed(page, false);
      tokens += r.tokens;
      ms += r.lastTokenAt - r.startAt;
    }
    sampling = false;
    await sampler;
    const after = await probes.heapAfterGc(cdp);
    return {
      tokens,
      runs: CONFIG.memory_runs,
      heap_before_mb: round(before / 1e6, 2),
      heap_after_mb: round(after / 1e6, 2),
      growth_mb: round((after - before) / 1e6, 2),
      peak_while_streaming_mb: round(peak / 1e6, 2),
      store_tokens_per_s: round((tokens / ms) * 1000, 0),
    };
  } finally {
    await context.close();
  }
}

/**
 * CPU ms per 1,000 tokens of the worker and the page's main thread: the bare graph, then relayed;
 * and of every other thread of Chromium that worked meanwhile (V8's helper threads, compositing,
 * the browser), which share the machine's cores with the worker.
 */
async function cpuSplit(
  /** @type {import('playwright').Browser} */ browser,
  /** @type {import('playwright').Page} */ page,
) {
  // `toplevel` gives the thread pools' tasks (garbage collection helpers, raster) as well.
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];
  await browser.startTracing(page, { categories });
  const base = await baselineOrError(page);
  const baseTrace = JSON.parse((await browser.stopTracing()).toString());
  await browser.startTracing(page, { categories });
  const rel = await relayed(page, false);
  const relTrace = JSON.parse((await browser.stopTracing()).toString());
  const baseCpu = threadCpu(baseTrace);
  const relCpu = threadCpu(relTrace);
  const baseAll = cpuByThreadKind(baseTrace);
  const relAll = cpuByThreadKind(relTrace);
  const per1k = (/** @type {number} */ ms, /** @type {number} */ tokens) => round((ms / tokens) * 1000, 1);
  const sum = (/** @type {Record<string, number>} */ kinds) => Object.values(kinds).reduce((a, b) => a + b, 0);
  return {
    cpu_worker_ms_per_1k_tokens_baseline: base.error ? null : per1k(baseCpu.worker, base.tokens),
    cpu_worker_ms_per_1k_tokens_relayed: per1k(relCpu.worker, rel.tokens),
    cpu_main_ms_per_1k_tokens_relayed: per1k(relCpu.main, rel.tokens),
    cpu_all_threads_ms_per_1k_tokens_baseline: base.error ? null : per1k(sum(baseAll), base.tokens),
    cpu_all_threads_ms_per_1k_tokens_relayed: per1k(sum(relAll), rel.tokens),
    cpu_v8_helpers_ms_per_1k_tokens_baseline: base.error ? null : per1k(baseAll.helpers, base.tokens),
    cpu_v8_helpers_ms_per_1k_tokens_relayed: per1k(relAll.helpers, rel.tokens),
    cpu_compositing_ms_per_1k_tokens_relayed: per1k(relAll.compositing, rel.tokens),
    cpu_browser_ms_per_1k_tokens_relayed: per1k(relAll.browser, rel.tokens),
  };
}

/** Summed CPU time (ms) of the top-level tasks of the page's main thread and of its dedicated worker. */
function threadCpu(/** @type {{ traceEvents: any[] }} */ { traceEvents }) {
  const names = new Map();
  for (const e of traceEvents) if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name);
  const out = { main: 0, worker: 0 };
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.name !== 'RunTask') continue;
    const n = names.get(`${e.pid}:${e.tid}`) ?? '';
    const cpu = (e.tdur ?? e.dur ?? 0) / 1000;
    if (n === 'CrRendererMain') out.main += cpu;
    else if (n.startsWith('DedicatedWorker')) out.worker += cpu;
  }
  return out;
}

/**
 * CPU time (ms) of every thread of the trace, by kind: the worker, the page's main thread, the
 * renderer's thread pool (V8's garbage-collection and compiler helpers, raster), compositing (the
 * renderer's compositor and the GPU process) and the browser (its processes and services). Each
 * thread's top-level slices are summed (a slice inside another is not counted twice); the
 * tracing service's own threads are left out.
 */
function cpuByThreadKind(/** @type {{ traceEvents: any[] }} */ { traceEvents }) {
  const threads = new Map();
  const processes = new Map();
  for (const e of traceEvents) {
    if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, String(e.args?.name ?? ''));
    if (e.name === 'process_name') processes.set(e.pid, String(e.args?.name ?? ''));
  }
  /** @type {Map<string, any[]>} */
  const slices = new Map();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || typeof e.tdur !== 'number') continue;
    const key = `${e.pid}:${e.tid}`;
    const list = slices.get(key);
    if (list) list.push(e);
    else slices.set(key, [e]);
  }
  const out = { worker: 0, page: 0, helpers: 0, compositing: 0, browser: 0 };
  for (const [key, list] of slices) {
    const thread = threads.get(key) ?? '';
    const proc = processes.get(Number(key.split(':')[0])) ?? '';
    if (/tracing/i.test(proc) || thread === 'PerfettoTrace') continue;
    list.sort((a, b) => a.ts - b.ts);
    let end = -Infinity;
    let ms = 0;
    for (const e of list)
      if (e.ts >= end) {
        ms += e.tdur / 1000;
        end = e.ts + (e.dur ?? 0);
      }
    const renderer = proc === 'Renderer';
    if (renderer && thread.startsWith('DedicatedWorker')) out.worker += ms;
    else if (renderer && thread === 'CrRendererMain') out.page += ms;
    else if (renderer && thread.startsWith('ThreadPool')) out.helpers += ms;
    else if ((renderer && thread === 'Compositor') || proc === 'GPU Process') out.compositing += ms;
    else out.browser += ms;
  }
  return out;
}

/**
 * The stream inspector over a log of about 100,000 events (one run of CONFIG.inspector_tokens
 * tokens, in a fresh page): the page heap with that log, then frame times while scrolling the
 * whole log, and while searching it.
 */
async function inspectorRound(/** @type {import('playwright').Browser} */ browser, /** @type {string} */ url) {
  const { context, page } = await openApp(browser, url);
  try {
    const cdp = await page.context().newCDPSession(page);
    await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: 1000 });
    await relayed(page, false);
    const before = await probes.heapAfterGc(cdp);
    await page.evaluate(probes.selectDemo, { tokensPerSecond: 0, minTokens: CONFIG.inspector_tokens });
    const r = await relayed(page, false);
    const after = await probes.heapAfterGc(cdp);
    const probe = await page.evaluate(probes.inspectorProbe, {
      steps: CONFIG.inspector_steps,
      queries: CONFIG.inspector_queries,
    });
    if (probe.error) throw new Error(`inspector probe: ${probe.error}`);
    const { searches, ...frames } = probe;
    return {
      tokens: r.tokens,
      ...frames,
      heap_growth_with_log_mb: round((after - before) / 1e6, 2),
      search_to_frame_max_ms: round(Math.max(...searches.map((/** @type {any} */ x) => x.to_frame_ms)), 1),
      search_scroll_frame_max_ms: round(Math.max(...searches.map((/** @type {any} */ x) => x.scroll_frame_max_ms)), 1),
      searches,
    };
  } finally {
    await context.close();
  }
}

/** Drops bulky fields from a probe result. */
function trim(/** @type {Record<string, unknown>} */ o) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? round(v, 2) : v;
  return out;
}

/** The fresh-profile figures as a measure (medians over rounds, and every run). */
function firstRunMeasure(/** @type {any[]} */ runs) {
  return {
    id: 'first_run',
    what: 'Fresh browser profile (empty user data dir), demo engine unthrottled: PGlite ready (nested worker to ready), and the first run from Run to validated DDL and to its end',
    median: medians(runs, 0),
    runs,
  };
}

function summarize(
  /** @type {{ build: any, rounds: any[], memory: any[], inspector: any[], first: any[], version: string, seconds: number }} */ {
    build,
    rounds,
    memory,
    inspector,
    first,
    version,
    seconds,
  },
) {
  const cpus = os.cpus();
  const pick = (/** @type {(r: any) => any} */ f) => rounds.map(f).filter((x) => x != null);
  const latencyMeasure = (/** @type {number} */ i) => {
    const runs = pick((r) => r.latency[i]);
    const flat = runs.map((l) => ({
      achieved_tokens_per_s: l.achieved_tokens_per_s,
      store_p50_ms: l.store.p50,
      store_p95_ms: l.store.p95,
      store_p99_ms: l.store.p99,
      paint_p50_ms: l.paint.p50,
      paint_p95_ms: l.paint.p95,
      paint_p99_ms: l.paint.p99,
      long_tasks: l.long_tasks,
      longest_task_ms: l.longest_task_ms,
      traced_tasks_over_50ms_wall: l.traced_tasks_over_50ms_wall,
      traced_tasks_over_50ms_cpu: l.traced_tasks_over_50ms_cpu,
      longest_task_cpu_ms: l.longest_task_cpu_ms,
    }));
    const pooled = (/** @type {'store' | 'paint'} */ k) => {
      const xs = runs.flatMap((l) => l._samples[k]);
      return {
        n: xs.length,
        p50: round(quantile(xs, 0.5), 2),
        p95: round(quantile(xs, 0.95), 2),
        p99: round(quantile(xs, 0.99), 2),
      };
    };
    const pooledAll = { store: pooled('store'), paint: pooled('paint') };
    for (const l of runs) delete l._samples;
    return {
      id: `latency_${runs[0].tokens_per_s}`,
      what: `Token age (worker ev.ts to page) at ${runs[0].tokens_per_s} tok/s: at the store update and after the next frame`,
      median: medians(flat),
      pooled: pooledAll,
      // The worst round matters for "no long task": report it too.
      worst_longest_task_ms: Math.max(...flat.map((f) => f.longest_task_ms)),
      worst_longest_task_cpu_ms: Math.max(...flat.map((f) => f.longest_task_cpu_ms)),
      runs,
    };
  };
  const hasThroughput = rounds.some((r) => r.throughput);
  const hasLatency = rounds.some((r) => r.latency.length);
  const all = [
    {
      id: 'postmessage_single',
      what: 'Raw postMessage, Blob-URL worker to page, one protocol-shaped event per message',
      median: medians(pick((r) => r.postmessage_single)),
      runs: pick((r) => r.postmessage_single),
    },
    {
      id: 'postmessage_batched',
      what: 'Raw postMessage, Blob-URL worker to page, 256 events per message',
      median: medians(pick((r) => r.postmessage_batched)),
      runs: pick((r) => r.postmessage_batched),
    },
    {
      id: 'baseline',
      what: 'Demo graph inside the worker, no relay (bench.baseline): what LangGraph itself sustains',
      median: medians(pick((r) => r.baseline)),
      runs: pick((r) => r.baseline),
    },
    {
      id: 'throughput',
      what: 'Demo engine unthrottled through graph, relay, postMessage, stores and DOM; ratios to the baseline of the same round',
      median: medians(
        pick((r) => r.throughput),
        3,
      ),
      runs: pick((r) => r.throughput),
    },
    ...(hasLatency ? [latencyMeasure(0), latencyMeasure(1)] : []),
    {
      id: 'size',
      what: 'gzip -9 sizes of the production build (index.html module script and static imports; worker entry; lazy chunks)',
      median: {
        main_thread_initial_gzip_kB: build.page_initial.gzip_kB,
        main_thread_lazy_gzip_kB: build.page_lazy.gzip_kB,
        worker_initial_gzip_kB: build.worker_initial.gzip_kB,
        worker_lazy_gzip_kB: build.worker_lazy.gzip_kB,
        webllm_chunk_gzip_kB: build.webllm_chunk?.gzip_kB ?? null,
        webllm_fetched_on_demo_path: rounds.some((r) => r.requests.webllm_fetched),
        recorder_sees_worker_fetches: rounds.every((r) => r.requests.recorder_sees_worker_fetches),
      },
      build,
      runs: pick((r) => r.requests),
    },
    {
      id: 'startup',
      what: 'ms from navigation start: first paint, Run button enabled, first ping answered by the worker',
      median: medians(
        pick((r) => r.startup),
        1,
      ),
      runs: pick((r) => r.startup),
    },
    {
      id: 'memory',
      what: `Main-thread heap after GC, before and after ${CONFIG.memory_tokens.toLocaleString('en-US')} streamed tokens (fresh page)`,
      median: medians(memory),
      runs: memory,
    },
    {
      id: 'clock',
      what: 'Offset of the worker clock (ev.ts) from the page clock, from the fastest of 20 pings; bounds latency accuracy',
      median: medians(
        pick((r) => ({ offset_ms: r.clock_offset_ms, rtt_ms: r.clock_rtt_ms })),
        3,
      ),
      runs: pick((r) => ({ offset_ms: r.clock_offset_ms, rtt_ms: r.clock_rtt_ms })),
    },
    ...(first.length ? [firstRunMeasure(first)] : []),
    {
      id: 'inspector',
      what: `Stream inspector over one run of ${CONFIG.inspector_tokens.toLocaleString('en-US')} tokens (about twice as many events, all kept): heap growth with that log, frame times while scrolling all of it, search to frame`,
      median: medians(inspector.map(({ searches: _s, ...flat }) => flat)),
      runs: inspector,
    },
  ];
  // With BENCH_ONLY, only the parts measured.
  const have = {
    postmessage_single: hasThroughput,
    postmessage_batched: hasThroughput,
    baseline: hasThroughput,
    throughput: hasThroughput,
    latency_100: hasLatency,
    latency_1000: hasLatency,
    size: rounds.length > 0,
    startup: rounds.length > 0,
    clock: rounds.length > 0,
    memory: memory.length > 0,
    first_run: first.length > 0,
    inspector: inspector.length > 0,
  };
  const measures = all.filter((m) => have[/** @type {keyof typeof have} */ (m.id)]);
  return {
    date: new Date().toISOString(),
    machine: {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpus: cpus.length,
      cpu_model: cpus[0]?.model ?? 'unknown',
      memory_gb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      chromium: version,
    },
    config: CONFIG,
    git: gitInfo(),
    note: process.env.BENCH_NOTE ?? null,
    wall_seconds: round(seconds, 1),
    page_errors: rounds.flatMap((r) => r.page_errors),
    targets: evaluateTargets(measures),
    measures,
  };
}

main().catch((err) => {
  console.error('[bench] could not measure:', err);
  process.exit(1);
});
