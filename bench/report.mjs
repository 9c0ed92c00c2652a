/** The budgets from DESIGN.md, checked against the medians, and the printed table. */

/** @param {any[]} measures */
export function evaluateTargets(measures) {
  const m = Object.fromEntries(measures.map((x) => [x.id, x]));
  const t = (
    /** @type {string} */ id,
    /** @type {string} */ goal,
    /** @type {number | boolean | null} */ value,
    /** @type {(v: any) => boolean} */ ok,
  ) => ({ id, goal, value, met: value === null ? null : ok(value) });
  return [
    t('relay_ratio', 'store tokens/s >= 0.9 x in-worker baseline', m.throughput.median.relay_ratio, (v) => v >= 0.9),
    t(
      'latency_100_store_p95_ms',
      'p95 token to store <= 20 ms at 100 tok/s',
      m.latency_100.median.store_p95_ms,
      (v) => v <= 20,
    ),
    t(
      'latency_1000_longest_task_cpu_ms',
      'same, counting only the CPU time the main thread got (trace; discounts other load on the machine)',
      m.latency_1000.worst_longest_task_cpu_ms,
      (v) => v <= 50,
    ),
    t(
      'latency_1000_longest_task_ms',
      'no main-thread task over 50 ms at 1,000 tok/s (worst round)',
      m.latency_1000.worst_longest_task_ms,
      (v) => v <= 50,
    ),
    t(
      'main_thread_initial_gzip_kB',
      'main-thread JS <= 60 kB gzip (entry and its static imports)',
      m.size.median.main_thread_initial_gzip_kB,
      (v) => v <= 60,
    ),
    t(
      'webllm_not_fetched_on_demo_path',
      'the WebLLM chunk is not fetched on the demo path',
      m.size.median.webllm_fetched_on_demo_path === false && m.size.median.recorder_sees_worker_fetches === true,
      (v) => v === true,
    ),
    t('heap_growth_mb', 'heap growth < 50 MB per 100,000 tokens', m.memory.median.growth_mb ?? null, (v) => v < 50),
    t(
      'first_run_validated_ms',
      'fresh profile, demo engine unthrottled: Run to validated DDL <= 5 s',
      m.first_run?.median.run_to_validated_ms ?? null,
      (v) => v <= 5000,
    ),
  ];
}

/** Prints the headline figures and the targets. */
export function printTable(/** @type {any} */ results) {
  const m = Object.fromEntries(results.measures.map((/** @type {any} */ x) => [x.id, x.median]));
  const rows = [
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
    [
      'worker stamping rate / page lag at last token',
      `${fmt(m.throughput.worker_tokens_per_s)} tok/s, ${m.throughput.page_lag_at_last_token_ms} ms`,
    ],
    ...[m.latency_100, m.latency_1000].flatMap((l, i) => {
      const rate = i === 0 ? 100 : 1000;
      return [
        [`${rate} tok/s: token to store p50/p95/p99`, `${l.store_p50_ms} / ${l.store_p95_ms} / ${l.store_p99_ms} ms`],
        [`${rate} tok/s: token to frame p50/p95/p99`, `${l.paint_p50_ms} / ${l.paint_p95_ms} / ${l.paint_p99_ms} ms`],
        [`${rate} tok/s: long tasks (median count, longest)`, `${l.long_tasks}, ${l.longest_task_ms} ms`],
        [`${rate} tok/s: longest task's CPU time (trace)`, `${l.longest_task_cpu_ms} ms`],
      ];
    }),
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
    ['heap growth over 100,000 tokens', `${m.memory.growth_mb} MB`],
    [
      'fresh profile: PGlite ready / Run to validated DDL / to run end',
      `${m.first_run.pglite_ready_ms} / ${m.first_run.run_to_validated_ms} / ${m.first_run.run_to_end_ms} ms`,
    ],
    ['worker clock offset (rtt)', `${m.clock.offset_ms} ms (${m.clock.rtt_ms} ms)`],
  ];
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
