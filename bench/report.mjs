/** The budgets from DESIGN.md, checked against the medians, and the printed table. */

/** @param {any[]} measures */
export function evaluateTargets(measures) {
  /** @type {Record<string, any>} */
  const m = new Proxy(Object.fromEntries(measures.map((x) => [x.id, x])), {
    // A part not measured (BENCH_ONLY): its targets read null, "not measured".
    get: (o, k) =>
      o[/** @type {string} */ (k)] ?? { median: {}, worst_longest_task_ms: null, worst_longest_task_cpu_ms: null },
  });
  const t = (
    /** @type {string} */ id,
    /** @type {string} */ goal,
    /** @type {number | boolean | null} */ value,
    /** @type {(v: any) => boolean} */ ok,
  ) => ({ id, goal, value, met: value === null ? null : ok(value) });
  const v = (/** @type {unknown} */ x) => (x === undefined ? null : /** @type {number | boolean | null} */ (x));
  return [
    t('relay_ratio', 'store tokens/s >= 0.9 x in-worker baseline', v(m.throughput.median.relay_ratio), (x) => x >= 0.9),
    t(
      'latency_100_store_p95_ms',
      'p95 token to store <= 20 ms at 100 tok/s',
      v(m.latency_100.median.store_p95_ms),
      (v) => v <= 20,
    ),
    t(
      'latency_1000_store_p95_ms',
      'p95 token to store <= 20 ms at 1,000 tok/s',
      v(m.latency_1000.median.store_p95_ms),
      (v) => v <= 20,
    ),
    t(
      'latency_1000_longest_task_ms',
      'no main-thread task over 50 ms at 1,000 tok/s (worst round)',
      v(m.latency_1000.worst_longest_task_ms),
      (v) => v <= 50,
    ),
    t(
      'latency_1000_longest_task_cpu_ms',
      'same, counting only the CPU time the main thread got (trace; discounts other load on the machine)',
      v(m.latency_1000.worst_longest_task_cpu_ms),
      (v) => v <= 50,
    ),
    t(
      'main_thread_initial_gzip_kB',
      'main-thread JS <= 60 kB gzip (entry and its static imports)',
      v(m.size.median.main_thread_initial_gzip_kB),
      (v) => v <= 60,
    ),
    t(
      'webllm_not_fetched_on_demo_path',
      'the WebLLM chunk is not fetched on the demo path',
      m.size.median.webllm_fetched_on_demo_path === undefined
        ? null
        : m.size.median.webllm_fetched_on_demo_path === false && m.size.median.recorder_sees_worker_fetches === true,
      (v) => v === true,
    ),
    t('heap_growth_mb', 'heap growth < 50 MB per 100,000 tokens', v(m.memory.median.growth_mb), (v) => v < 50),
    t(
      'inspector_scroll_frame_p95_ms',
      'the inspector scrolls a ~100,000-event log smoothly: p95 frame <= 20 ms (worst round)',
      inspectorWorst(m.inspector, 'frame_p95_ms'),
      (v) => v <= 20,
    ),
    t(
      'inspector_long_tasks',
      'no main-thread task over 50 ms while scrolling and searching it (worst round)',
      inspectorWorst(m.inspector, 'longest_task_ms'),
      (v) => v <= 50,
    ),
    t(
      'first_run_validated_ms',
      'fresh profile, demo engine unthrottled: Run to validated DDL <= 5 s',
      v(m.first_run.median.run_to_validated_ms),
      (v) => v <= 5000,
    ),
  ];
}

/** The worst round's value of an inspector figure, or null when it was not measured. */
function inspectorWorst(/** @type {any} */ measure, /** @type {string} */ key) {
  const runs = measure.runs ?? [];
  return runs.length ? Math.max(...runs.map((/** @type {any} */ r) => r[key])) : null;
}

/** Prints the headline figures and the targets. */
export function printTable(/** @type {any} */ results) {
  const measured = Object.fromEntries(results.measures.map((/** @type {any} */ x) => [x.id, x.median]));
  // A part not measured (BENCH_ONLY) prints as n/a; its rows are left out.
  /** @type {Record<string, any>} */
  const m = new Proxy(measured, { get: (o, k) => o[/** @type {string} */ (k)] ?? {} });
  const has = (/** @type {string} */ id) => id in measured;
  /** @type {[string, string][]} */
  const rows = [];
  if (has('throughput'))
    rows.push(
      ['postMessage, 1 event/message', `${fmt(m.postmessage_single.events_per_s)} events/s`],
      ['postMessage, 256 events/message', `${fmt(m.postmessage_batched.events_per_s)} events/s`],
      [
        'baseline (in worker, no relay)',
        `${fmt(m.baseline.tokens_per_s)} tok/s, ${fmt(m.baseline.events_per_s)} events/s`,
      ],
      ['relayed, into the stores', `${fmt(m.throughput.store_tokens_per_s)} tok/s`],
      [
        'relayed, into the DOM',
        m.throughput.dom_tokens_per_s == null ? 'n/a' : `${fmt(m.throughput.dom_tokens_per_s)} tok/s`,
      ],
      ['relay_ratio (store / baseline)', String(m.throughput.relay_ratio)],
      ['dom_ratio (DOM / baseline)', String(m.throughput.dom_ratio)],
      ['relay_ratio with the app hidden (no layout/paint)', String(m.throughput.ui_hidden_relay_ratio)],
      ['relay_ratio of the worker alone (page only counts)', String(m.throughput.worker_only_relay_ratio)],
      [
        'worker stamping rate / page lag at last token',
        `${fmt(m.throughput.worker_tokens_per_s)} tok/s, ${m.throughput.page_lag_at_last_token_ms} ms`,
      ],
      [
        'CPU ms per 1k tokens: worker bare / worker relayed / page',
        `${m.throughput.cpu_worker_ms_per_1k_tokens_baseline} / ${m.throughput.cpu_worker_ms_per_1k_tokens_relayed} / ${m.throughput.cpu_main_ms_per_1k_tokens_relayed}`,
      ],
      [
        'CPU ms per 1k tokens, all threads: bare / relayed',
        `${m.throughput.cpu_all_threads_ms_per_1k_tokens_baseline} / ${m.throughput.cpu_all_threads_ms_per_1k_tokens_relayed}`,
      ],
      [
        '... of them V8 helpers bare / relayed, compositing, browser',
        `${m.throughput.cpu_v8_helpers_ms_per_1k_tokens_baseline} / ${m.throughput.cpu_v8_helpers_ms_per_1k_tokens_relayed}, ${m.throughput.cpu_compositing_ms_per_1k_tokens_relayed}, ${m.throughput.cpu_browser_ms_per_1k_tokens_relayed}`,
      ],
    );
  if (has('latency_100'))
    rows.push(
      ...[m.latency_100, m.latency_1000].flatMap((l, i) => {
        const rate = i === 0 ? 100 : 1000;
        return /** @type {[string, string][]} */ ([
          [`${rate} tok/s: token to store p50/p95/p99`, `${l.store_p50_ms} / ${l.store_p95_ms} / ${l.store_p99_ms} ms`],
          [`${rate} tok/s: token to frame p50/p95/p99`, `${l.paint_p50_ms} / ${l.paint_p95_ms} / ${l.paint_p99_ms} ms`],
          [`${rate} tok/s: long tasks (median count, longest)`, `${l.long_tasks}, ${l.longest_task_ms} ms`],
          [`${rate} tok/s: longest task's CPU time (trace)`, `${l.longest_task_cpu_ms} ms`],
        ]);
      }),
    );
  if (has('size'))
    rows.push(
      [
        'main-thread JS at start (gzip)',
        `${m.size.main_thread_initial_gzip_kB} kB (+${m.size.main_thread_lazy_gzip_kB} kB lazy)`,
      ],
      ['worker JS at start (gzip)', `${m.size.worker_initial_gzip_kB} kB`],
      [
        'WebLLM chunk (gzip), fetched on demo path?',
        `${m.size.webllm_chunk_gzip_kB} kB, ${m.size.webllm_fetched_on_demo_path}`,
      ],
      [
        'first paint / Run enabled / worker ready',
        `${m.startup.first_paint_ms} / ${m.startup.run_enabled_ms} / ${m.startup.worker_ready_ms} ms`,
      ],
    );
  if (has('memory')) rows.push(['heap growth over 100,000 tokens', `${m.memory.growth_mb} MB`]);
  if (has('inspector'))
    rows.push(
      [
        'inspector: events logged / heap with that log',
        `${fmt(m.inspector.logged)} / ${m.inspector.heap_growth_with_log_mb} MB`,
      ],
      [
        'inspector scroll: frame p50/p95/max, long tasks',
        `${m.inspector.frame_p50_ms} / ${m.inspector.frame_p95_ms} / ${m.inspector.frame_max_ms} ms, ${m.inspector.long_tasks}`,
      ],
      [
        'inspector search: to frame (max) / scroll frame (max)',
        `${m.inspector.search_to_frame_max_ms} / ${m.inspector.search_scroll_frame_max_ms} ms`,
      ],
    );
  if (has('first_run'))
    rows.push([
      'fresh profile: PGlite ready / Run to validated DDL / to run end',
      `${m.first_run.pglite_ready_ms} / ${m.first_run.run_to_validated_ms} / ${m.first_run.run_to_end_ms} ms`,
    ]);
  if (has('clock')) rows.push(['worker clock offset (rtt)', `${m.clock.offset_ms} ms (${m.clock.rtt_ms} ms)`]);
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(
    `\nTabgraph bench, ${results.date}, ${results.machine.cpus} x ${results.machine.cpu_model}, medians of ${results.config.rounds} rounds, load average ${results.machine.loadavg_1min?.start} -> ${results.machine.loadavg_1min?.end}`,
  );
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  console.log('\nTargets (goals, not assertions):');
  for (const t of results.targets)
    console.log(`  ${t.met === null ? '??' : t.met ? 'met ' : 'MISS'}  ${t.goal}: ${t.value}`);
}

const fmt = (/** @type {number} */ x) => (x == null ? 'n/a' : Math.round(x).toLocaleString('en-US'));
