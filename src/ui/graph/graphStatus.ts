import type { NodeView, RunStatus } from '../../client/runState';

/** How a node of the picture is lit. */
export type NodeLight = 'pending' | 'running' | 'done' | 'failed';

/**
 * The light of one node of the graph picture. `__start__` lights once the run is under way and
 * `__end__` once it completed; real nodes follow the run's node views (a subgraph's nodes, drawn
 * as `<parent>:<node>`, by their full or their own name).
 */
export function nodeLight(id: string, nodes: Record<string, NodeView>, status: RunStatus): NodeLight {
  if (id === '__start__') return status === 'idle' ? 'pending' : 'done';
  if (id === '__end__') return status === 'completed' ? 'done' : status === 'failed' ? 'failed' : 'pending';
  // A subgraph's node is drawn as `validate:generate_ddl`; runs report it by either name.
  const n = nodes[id] ?? nodes[id.slice(id.lastIndexOf(':') + 1)];
  return n ? n.status : 'pending';
}
