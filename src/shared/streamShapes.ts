/**
 * How LangGraph's stream shapes become the page's, shared by the worker's relay and the server
 * transport (which reshapes what a LangGraph server sends into what the worker would have sent).
 */

/**
 * The namespace of the graph a node runs in, from its checkpoint namespace: the node's own
 * segment is dropped, so a root node gets `[]` and a node of subgraph `sub` gets `['sub:<id>']`,
 * matching the namespaces `graph.stream(..., { subgraphs: true })` yields.
 */
export function namespaceOf(checkpointNs: unknown): string[] {
  if (typeof checkpointNs !== 'string' || !checkpointNs) return [];
  return checkpointNs.split('|').slice(0, -1);
}

/** Metadata keys worth sending with a `messages` chunk; the rest is internal plumbing. */
export const MESSAGE_METADATA_KEYS = [
  'langgraph_node',
  'langgraph_step',
  'langgraph_triggers',
  'langgraph_path',
  'langgraph_checkpoint_ns',
  'checkpoint_ns',
  'tags',
  'name',
  'thread_id',
] as const;

/** The metadata of a `messages` chunk, cut to {@link MESSAGE_METADATA_KEYS}, each made plain by `plain`. */
export function messageMetadata(
  metadata: unknown,
  plain: (value: unknown) => unknown = (v) => v,
): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (metadata && typeof metadata === 'object')
    for (const k of MESSAGE_METADATA_KEYS) if (k in metadata) meta[k] = plain((metadata as Record<string, unknown>)[k]);
  return meta;
}
