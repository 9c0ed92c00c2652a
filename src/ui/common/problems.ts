import type { EngineState } from '../../client/engineState';
import type { RunState } from '../../client/runState';

/**
 * Everything the alert region should say: the run's own failure, problems reported during the
 * run (execution errors, protocol errors), a failed engine load, and the page's own errors.
 */
export function problemsOf(run: RunState, engine: EngineState, ui: readonly string[]): string[] {
  const out: string[] = [];
  if (run.error) out.push(`The run ${run.status === 'rejected' ? 'was refused' : 'failed'}: ${run.error.message}`);
  for (const e of run.errors) out.push(`${e.context}: ${e.error.message}`);
  if (engine.status === 'failed' && engine.error) out.push(`The engine could not load: ${engine.error.message}`);
  out.push(...ui);
  // The same message twice (e.g. an execution_error and the run's failure) reads as noise.
  return [...new Set(out)];
}
