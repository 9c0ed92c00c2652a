import type { EngineState } from '../../client/engineState';
import type { RunState } from '../../client/runState';

/** The numbers the performance readout shows; undefined where there is nothing to measure yet. */
export interface PerfNumbers {
  tokensPerSecond?: number;
  timeToFirstTokenMs?: number;
  eventsPerSecond?: number;
  meanLatencyMs?: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  engineTtftMs?: number;
}

/**
 * Derives rates from the run's counters. `now` stands in for the end while the run is live, so
 * the readout keeps moving; after the run the window closes at the last token / the end.
 */
export function perfNumbers(run: RunState, usage: EngineState['usage'], now: number): PerfNumbers {
  const s = run.stats;
  const out: PerfNumbers = {};
  const end = run.status === 'running' ? now : (run.endedAt ?? now);
  if (s.firstTokenAt !== undefined) {
    const tokenEnd = run.status === 'running' ? now : (s.lastTokenAt ?? end);
    const secs = (tokenEnd - s.firstTokenAt) / 1000;
    // One token, or all in one batch, gives no window to divide by.
    if (secs > 0 && s.tokens > 1) out.tokensPerSecond = (s.tokens - 1) / secs;
    if (run.startedAt !== undefined) out.timeToFirstTokenMs = s.firstTokenAt - run.startedAt;
  }
  if (s.firstEventAt !== undefined) {
    const secs = (end - s.firstEventAt) / 1000;
    if (secs > 0 && s.events > 1) out.eventsPerSecond = s.events / secs;
  }
  if (s.latencyCount > 0) out.meanLatencyMs = s.latencySumMs / s.latencyCount;
  if (usage) {
    out.prefillTokensPerSecond = usage.prefillTokensPerSecond;
    out.decodeTokensPerSecond = usage.decodeTokensPerSecond;
    out.engineTtftMs = usage.timeToFirstTokenMs;
  }
  return out;
}

// `toLocaleString` with options builds a formatter on every call: keep one per precision.
const formats = new Map<number, Intl.NumberFormat>();

/** A number for the readout: fixed precision, or an en dash when unknown. */
export function fmt(n: number | undefined, digits = 0, unit = ''): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  let f = formats.get(digits);
  if (!f)
    formats.set(
      digits,
      (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })),
    );
  return `${f.format(n)}${unit}`;
}

/** A duration in ms as `850 ms` or `1.2 s`. */
export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
