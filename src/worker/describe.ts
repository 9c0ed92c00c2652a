import type { GraphEdgeInfo, GraphNodeInfo } from '../protocol';
import type { RunnableGraph } from '../graphs/types';

/** The compiled graph's own structure, as plain nodes and edges for the page to draw. */
export async function describeGraph(graph: RunnableGraph): Promise<{ nodes: GraphNodeInfo[]; edges: GraphEdgeInfo[] }> {
  const drawable = await graph.getGraphAsync();
  const nodes = Object.values(drawable.nodes).map((n) => {
    const data = n.data as { lg_is_pregel?: unknown } | undefined;
    return { id: n.id, ...(data && data.lg_is_pregel ? { subgraph: true } : {}) };
  });
  const edges = drawable.edges.map((e) => ({
    source: e.source,
    target: e.target,
    conditional: Boolean(e.conditional),
  }));
  return { nodes, edges };
}
