import type { GraphId, GraphInfo } from '../protocol';
import { serializeError } from './errors';

/** What the page shows for a graph that cannot be had (its module failed, a server lacks it). */
export function unavailableGraph(graph: GraphId, err?: unknown): GraphInfo {
  return {
    graph,
    title: graph,
    available: false,
    ...(err === undefined ? {} : { error: serializeError(err) }),
    nodes: [],
    edges: [],
    inputSchema: null,
    breakpoints: [],
    interruptBefore: [],
    interruptAfter: [],
    stateKeys: [],
  };
}
