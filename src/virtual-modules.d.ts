/** Modules made by `build/graphRegistry.ts` from `langgraph.json`. */

declare module 'virtual:tabgraph/graphs' {
  /** Every graph of the registry, for the worker; each imports its module when first used. */
  export const GRAPH_ENTRIES: import('./worker/registry').GraphEntry[];
}

declare module 'virtual:tabgraph/catalog' {
  /** Every graph of the registry, for the page's picker (what each one is, the worker says). */
  export const GRAPH_CATALOG: { id: string; description?: string }[];
  /** Page panels of the graphs that have one, loaded when their graph is shown. */
  export const GRAPH_PANELS: Record<string, () => Promise<import('./ui/graph/panelTypes').GraphPanel>>;
}
