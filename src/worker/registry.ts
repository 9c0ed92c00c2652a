/**
 * The worker's graphs, as `langgraph.json` lists them. Each module is imported the first time its
 * graph is needed, so a module that fails to import or build makes only its own graph
 * unavailable, with its error; the others still work.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import { getInputTypeSchema } from '@langchain/langgraph/zod/schema';
import type { GraphId } from '../protocol';
import { namedError } from '../shared/errors';
import { isRunnableGraph, type GraphMeta, type RunnableGraph } from '../graphs/types';

/** A registry entry: where a graph's export is, as the build found it in `langgraph.json`. */
export interface GraphEntry {
  id: GraphId;
  /** The description the registry entry gives, if any. */
  description?: string;
  /** Imports the module: the export the entry names, and the module's optional `tabgraph` meta. */
  load(): Promise<{ exported: unknown; meta?: unknown }>;
}

/** A graph ready to run. */
export interface LoadedGraph {
  id: GraphId;
  title: string;
  description?: string;
  graph: RunnableGraph;
  meta: GraphMeta;
  /** JSON Schema of the input, where the graph declares one (zod or StateSchema); else null. */
  inputSchema: Record<string, unknown> | null;
}

/** Builds a {@link GraphEntry} from a module loader and the name of its export. */
export function graphEntry(
  id: GraphId,
  importModule: () => Promise<Record<string, unknown>>,
  exportName = 'graph',
  description?: string,
): GraphEntry {
  return {
    id,
    ...(description ? { description } : {}),
    load: async () => {
      const mod = await importModule();
      return { exported: mod[exportName], meta: mod.tabgraph };
    },
  };
}

/** Turns what a module exports into a compiled graph: a compiled graph, a builder, or a function of config. */
async function resolveExport(id: GraphId, exported: unknown): Promise<RunnableGraph> {
  let value = exported;
  if (typeof value === 'function') value = await (value as (c: unknown) => unknown)({ configurable: {} });
  if (!isRunnableGraph(value) && typeof (value as { compile?: unknown } | null)?.compile === 'function')
    value = (value as { compile(): unknown }).compile();
  if (!isRunnableGraph(value))
    throw namedError(
      'GraphLoadError',
      `The export of graph "${id}" is not a compiled LangGraph graph (nor a function returning one).`,
    );
  return value;
}

function inputSchemaOf(graph: RunnableGraph): Record<string, unknown> | null {
  try {
    const schema = getInputTypeSchema(graph as never) as Record<string, unknown> | undefined;
    return schema && typeof schema === 'object' ? JSON.parse(JSON.stringify(schema)) : null;
  } catch {
    // A schema that cannot be expressed as JSON Schema (transforms, functions) gets the JSON editor.
    return null;
  }
}

/** Loads graphs on demand and keeps them; failures are kept too, so they are reported, not retried. */
export class GraphRegistry {
  private readonly byId = new Map<GraphId, GraphEntry>();
  private readonly loaded = new Map<GraphId, Promise<LoadedGraph>>();

  constructor(
    entries: readonly GraphEntry[],
    private readonly checkpointer?: BaseCheckpointSaver,
  ) {
    for (const e of entries) this.byId.set(e.id, e);
  }

  /** The ids the registry lists, in its order. */
  ids(): GraphId[] {
    return [...this.byId.keys()];
  }

  /** True when `langgraph.json` lists `id`. */
  has(id: GraphId): boolean {
    return this.byId.has(id);
  }

  /** The graph `id`, imported and built on first use; rejects with `UnknownGraphError` or its load error. */
  get(id: GraphId): Promise<LoadedGraph> {
    const entry = this.byId.get(id);
    if (!entry) return Promise.reject(namedError('UnknownGraphError', `There is no graph "${id}" in langgraph.json.`));
    let pending = this.loaded.get(id);
    if (!pending) {
      pending = this.load(entry);
      pending.catch(() => {});
      this.loaded.set(id, pending);
    }
    return pending;
  }

  private async load(entry: GraphEntry): Promise<LoadedGraph> {
    let graph: RunnableGraph;
    let meta: GraphMeta;
    try {
      const { exported, meta: rawMeta } = await entry.load();
      graph = await resolveExport(entry.id, exported);
      meta = rawMeta && typeof rawMeta === 'object' ? (rawMeta as GraphMeta) : {};
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (e.name === 'GraphLoadError') throw e;
      throw namedError('GraphLoadError', `Graph "${entry.id}" could not be loaded: ${e.message}`);
    }
    // Tabgraph keeps the threads, as the LangGraph server does with the graphs it serves; on a
    // copy, so that the module's own graph (shared by every importer) is left as it was.
    if (this.checkpointer) {
      graph = graph.withConfig?.({}) ?? graph;
      graph.checkpointer = this.checkpointer;
    }
    return {
      id: entry.id,
      title: meta.title ?? entry.id,
      description: meta.description ?? entry.description,
      graph,
      meta,
      inputSchema: inputSchemaOf(graph),
    };
  }
}
