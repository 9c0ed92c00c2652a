import type { GraphInfo } from '../protocol';
import { toPlain } from '../shared/plain';
import type { LoadedGraph } from './registry';

const names = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** What the page learns about a graph: who it is, its drawing, its input and its breakpoints. */
export async function describeGraph(loaded: LoadedGraph): Promise<GraphInfo> {
  const { graph, meta } = loaded;
  // xray draws subgraphs' own nodes (`validate:generate_ddl`), so the picture shows them too.
  const drawable = await graph.getGraphAsync({ xray: true } as never);
  const nodes = Object.values(drawable.nodes).map((n) => {
    const data = n.data as { lg_is_pregel?: unknown } | undefined;
    return { id: n.id, ...(data && data.lg_is_pregel ? { subgraph: true } : {}) };
  });
  const edges = drawable.edges.map((e) => ({
    source: e.source,
    target: e.target,
    conditional: Boolean(e.conditional),
    ...(typeof e.data === 'string' && e.data !== e.target ? { label: e.data } : {}),
  }));
  return {
    graph: loaded.id,
    title: loaded.title,
    ...(loaded.description ? { description: loaded.description } : {}),
    available: true,
    nodes,
    edges,
    inputSchema: loaded.inputSchema,
    ...(meta.example ? { example: toPlain(meta.example) as Record<string, unknown> } : {}),
    breakpoints: (meta.breakpoints ?? []).map((b) => ({
      label: String(b.label),
      ...(b.before ? { before: names(b.before) } : {}),
      ...(b.after ? { after: names(b.after) } : {}),
    })),
    interruptBefore: names(graph.interruptBefore),
    interruptAfter: names(graph.interruptAfter),
    stateKeys: stateKeysOf(graph),
  };
}

/** The keys of the graph's state: its channels, less LangGraph's own. */
function stateKeysOf(graph: object): string[] {
  const channels = (graph as { channels?: Record<string, unknown> }).channels ?? {};
  return Object.keys(channels).filter((k) => !k.startsWith('__') && !k.startsWith('branch:') && !k.includes(':'));
}
