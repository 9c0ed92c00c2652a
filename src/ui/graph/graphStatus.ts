import type { NodeView, RunState } from '../../client/runState';

/** How a node of the picture is lit. */
export type NodeLight = 'pending' | 'running' | 'done' | 'failed';

/** What the lights are derived from: parts of the run state that any graph produces. */
export type RunSignals = Pick<
  RunState,
  'status' | 'nodes' | 'updatesByNode' | 'subgraphValues' | 'messages' | 'tokens'
>;

/** A node's own name: `validate:generate_ddl` is reported by its subgraph as `generate_ddl`. */
const ownName = (id: string) => id.slice(id.lastIndexOf(':') + 1);

/**
 * The node a running graph is busy in, as far as the streams tell without node events: the node
 * of the newest LLM token stream or `messages`-mode message. Null when nothing says so.
 */
export function activeNode(run: Pick<RunSignals, 'status' | 'messages' | 'tokens'>): string | null {
  if (run.status !== 'running') return null;
  return run.tokens.at(-1)?.node ?? run.messages.at(-1)?.node ?? null;
}

/**
 * The light of one node of the graph picture, for any graph:
 * - `__start__` lights once the run is under way, `__end__` once it completed (or failed);
 * - a node the run reported (node events, or the reducer's root-namespace updates) has its status;
 * - else a node that sent a state update in any namespace is done (subgraph nodes, whose updates
 *   the reducer files by their own name);
 * - else, while the run goes on, the node streaming tokens or messages, or a node holding a
 *   subgraph whose state is streaming, is running.
 * A subgraph's node (`<parent>:<node>`) is matched by its full id or by its own name.
 */
export function nodeLight(id: string, run: RunSignals): NodeLight {
  if (id === '__start__') return run.status === 'idle' ? 'pending' : 'done';
  if (id === '__end__') return run.status === 'completed' ? 'done' : run.status === 'failed' ? 'failed' : 'pending';
  const name = ownName(id);
  const seen: NodeView | undefined = run.nodes[id] ?? run.nodes[name];
  if (seen) return seen.status;
  if (run.updatesByNode[id] || run.updatesByNode[name]) return 'done';
  if (run.status !== 'running') return 'pending';
  if (activeNode(run) === name) return 'running';
  // Subgraph namespaces read `review:<task id>|check:<task id>`; a node holding a streaming
  // subgraph is running until its own update arrives.
  for (const ns of Object.keys(run.subgraphValues))
    if (ns.split('|').some((part) => part.slice(0, part.lastIndexOf(':')) === id)) return 'running';
  return 'pending';
}

/** The lights of all the picture's nodes at once. */
export function nodeLights(ids: readonly string[], run: RunSignals): Record<string, NodeLight> {
  return Object.fromEntries(ids.map((id) => [id, nodeLight(id, run)]));
}

/** A row of the node timeline. */
export interface TimelineEntry {
  id: string;
  view: NodeView;
  /** True for nodes known only from their state updates (no node events): no timing. */
  fromUpdates: boolean;
}

/**
 * The node timeline for any graph: the nodes the run reported, in the order they first reported,
 * plus nodes known only from their updates (subgraph nodes of graphs without node events), each
 * placed by the order of first updates, which the reducer keeps as the key order of `updatesByNode`.
 */
export function timelineEntries(
  nodes: Record<string, NodeView>,
  order: readonly string[],
  updatesByNode: Record<string, unknown[]> = {},
): TimelineEntry[] {
  const out: TimelineEntry[] = order
    .filter((id) => nodes[id])
    .map((id) => ({ id, view: nodes[id], fromUpdates: false }));
  const updated = Object.keys(updatesByNode);
  const rank = new Map(updated.map((id, i) => [id, i]));
  for (const id of updated) {
    if (nodes[id]) continue;
    const entry = { id, view: { node: id, status: 'done' as const, steps: {} }, fromUpdates: true };
    // Before the first listed node that sent its first update later than this one.
    const i = out.findIndex((e) => (rank.get(e.id) ?? Infinity) > rank.get(id)!);
    if (i === -1) out.push(entry);
    else out.splice(i, 0, entry);
  }
  return out;
}
