import type { RunState } from '../../src/client/runState';

/** A run state without the fields that depend on when events arrived (times, latencies). */
export function comparable(state: RunState): unknown {
  const nodes = Object.fromEntries(
    Object.entries(state.nodes).map(([k, n]) => [
      k,
      { node: n.node, status: n.status, steps: n.steps, error: n.error },
    ]),
  );
  const tools = state.tools.map(({ startedAt: _s, endedAt: _e, ...rest }) => rest);
  const { stats, startedAt: _a, endedAt: _b, ...rest } = state;
  return { ...rest, nodes, tools, stats: { events: stats.events, tokens: stats.tokens } };
}
