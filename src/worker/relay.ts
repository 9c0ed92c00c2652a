import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { StreamMode } from '../protocol';
import { toPlain } from '../shared/plain';

/**
 * Resolves on the next macrotask. Stream chunks that LangGraph has already queued travel to the
 * host's `for await` loop through promise jobs only, so by the next macrotask they have all been
 * read; see {@link OrderedCustomEventHandler}.
 */
export function createMacrotaskYield(): { next: () => Promise<void>; close: () => void } {
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    next: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.onmessage = null;
      channel.port1.close();
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

/** A custom event as the relay sees it, with its namespace and node. */
export interface RelayedCustomEvent {
  name: string;
  data: unknown;
  ns: string[];
  node?: string;
}

/**
 * Relays `dispatchCustomEvent` events in their true order relative to the stream-mode chunks.
 *
 * Custom events never enter `graph.stream`; they reach callback handlers at dispatch time, while
 * stream chunks reach the host only when its loop reads them. Left alone, a custom event can
 * overtake chunks produced before it. This handler is awaited by the dispatching node
 * (`awaitHandlers`), and before relaying it waits one macrotask, by which time the host's loop has
 * read every chunk queued before the dispatch. The node is paused meanwhile, so nothing it makes
 * later can slip in ahead. (streamEvents v2 has the same problem and does not solve it.)
 */
export class OrderedCustomEventHandler extends BaseCallbackHandler {
  name = 'tabgraph_ordered_custom_events';
  override awaitHandlers = true;
  private readonly tick = createMacrotaskYield();

  constructor(private readonly relay: (event: RelayedCustomEvent) => void) {
    super();
  }

  override async handleCustomEvent(
    eventName: string,
    data: unknown,
    _runId: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): Promise<void> {
    await this.tick.next();
    const checkpointNs = typeof metadata?.checkpoint_ns === 'string' ? metadata.checkpoint_ns : '';
    const node = typeof metadata?.langgraph_node === 'string' ? metadata.langgraph_node : undefined;
    this.relay({ name: eventName, data: toPlain(data), ns: namespaceOf(checkpointNs), node });
  }

  /** Releases the internal channel; pending waits resolve at once. */
  close(): void {
    this.tick.close();
  }
}

/**
 * The namespace of the graph a node runs in, from its checkpoint namespace: the node's own
 * segment is dropped, so a root node gets `[]` and a node of subgraph `sub` gets `['sub:<id>']`,
 * matching the namespaces `graph.stream(..., { subgraphs: true })` yields.
 */
export function namespaceOf(checkpointNs: string): string[] {
  if (!checkpointNs) return [];
  return checkpointNs.split('|').slice(0, -1);
}

/** One stream-mode chunk in the shape the protocol carries. */
export interface NormalizedChunk {
  mode: StreamMode;
  ns: string[];
  chunk: unknown;
}

/**
 * Reads one item of `graph.stream(input, { streamMode: [...] , subgraphs })`: `[mode, chunk]`, or
 * `[ns, mode, chunk]` with subgraphs. The host always passes an array of modes so the shape is fixed.
 */
export function normalizeChunk(raw: unknown, subgraphs: boolean): NormalizedChunk {
  if (!Array.isArray(raw)) throw new Error('unexpected stream item: not a tuple');
  if (subgraphs) {
    const [ns, mode, chunk] = raw as [string[], StreamMode, unknown];
    return { ns: Array.isArray(ns) ? ns.map(String) : [], mode, chunk: plainChunk(mode, chunk) };
  }
  const [mode, chunk] = raw as [StreamMode, unknown];
  return { ns: [], mode, chunk: plainChunk(mode, chunk) };
}

/** Metadata keys worth sending with a `messages` chunk; the rest is internal plumbing. */
const MESSAGE_METADATA_KEYS = [
  'langgraph_node',
  'langgraph_step',
  'langgraph_triggers',
  'langgraph_path',
  'langgraph_checkpoint_ns',
  'checkpoint_ns',
  'tags',
  'name',
  'thread_id',
];

function plainChunk(mode: StreamMode, chunk: unknown): unknown {
  if (mode === 'messages' && Array.isArray(chunk) && chunk.length === 2) {
    const [message, metadata] = chunk as [unknown, Record<string, unknown> | undefined];
    const meta: Record<string, unknown> = {};
    for (const k of MESSAGE_METADATA_KEYS) if (metadata && k in metadata) meta[k] = toPlain(metadata[k]);
    return [toPlain(message), meta];
  }
  if ((mode === 'checkpoints' || mode === 'tasks' || mode === 'debug') && chunk && typeof chunk === 'object') {
    return toPlain(stripConfig(chunk));
  }
  return toPlain(chunk);
}

/** Drops callback managers and other run plumbing hidden in checkpoint/debug configs. */
function stripConfig(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'config' || k === 'parentConfig' || k === 'parent_config') && v && typeof v === 'object') {
      const cfg = v as { configurable?: Record<string, unknown>; metadata?: unknown; tags?: unknown };
      out[k] = { configurable: pickPlainConfigurable(cfg.configurable), metadata: cfg.metadata, tags: cfg.tags };
    } else if (k === 'payload') {
      out[k] = stripConfig(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function pickPlainConfigurable(c: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!c) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!k.startsWith('__') && (v === null || typeof v !== 'object')) out[k] = v;
  return out;
}
