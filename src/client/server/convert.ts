/**
 * What a LangGraph server streams (`POST /threads/:id/runs/stream`, read by the SDK's
 * `client.runs.stream`) turned into the page's protocol events, so stores and views cannot tell a
 * server run from a run in the tab. Pure functions: unit-tested against recorded server output.
 */
import type {
  GraphEdgeInfo,
  GraphNodeInfo,
  SerializedError,
  StreamMode,
  ThreadInfo,
  ThreadStatus,
} from '../../protocol';
import { messageMetadata, namespaceOf } from '../../shared/streamShapes';
import { threadTitle } from '../../shared/threadTitle';

/** One item of `client.runs.stream`: the SSE event name (`mode` or `mode|ns|...`) and its data. */
export interface ServerStreamPart {
  event: string;
  data: unknown;
}

/** What one server part means for the page. */
export type ServerPart =
  | { kind: 'metadata'; runId: string }
  | { kind: 'error'; error: SerializedError }
  | { kind: 'stream'; mode: StreamMode; ns: string[]; chunk: unknown }
  | { kind: 'custom'; name: string; ns: string[]; node?: string; data: unknown }
  | { kind: 'skip' };

/** Our stream modes as the server names them: `messages` is the `[message, metadata]` tuple form. */
const SERVER_MODE: Record<StreamMode, string> = {
  values: 'values',
  updates: 'updates',
  messages: 'messages-tuple',
  custom: 'custom',
  debug: 'debug',
  tasks: 'tasks',
  checkpoints: 'checkpoints',
  tools: 'tools',
};
const OUR_MODE = new Map<string, StreamMode>(
  (Object.keys(SERVER_MODE) as StreamMode[]).flatMap((m) => [
    [SERVER_MODE[m], m],
    [m, m],
  ]),
);

/**
 * The server stream modes for a run that asked for `modes`. `events` is always added: the seed's
 * `dispatchCustomEvent` events reach a server client only there (as `on_custom_event`), never in
 * `custom` mode, which carries `config.writer` chunks.
 */
export function serverStreamModes(modes: readonly StreamMode[]): string[] {
  return [...new Set([...modes.map((m) => SERVER_MODE[m]), 'events'])];
}

export { namespaceOf };

/** Fields the server always writes and the worker's plain messages leave out when empty. */
const EMPTY_WHEN_UNSET = [
  'tool_calls',
  'invalid_tool_calls',
  'tool_call_chunks',
  'additional_kwargs',
  'response_metadata',
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isRecord(v) && Object.keys(v).length === 0);

/** A server message dict in the worker's plain form (`toPlain`): empty fields dropped. */
function plainMessage(msg: unknown): unknown {
  if (!isRecord(msg)) return msg;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(msg)) if (!(EMPTY_WHEN_UNSET.includes(k) && isEmpty(v))) out[k] = v;
  // The server writes a message chunk as a message whose `tool_call_chunks` is set (empty or
  // not); the worker marks chunks `chunk: true` (`toPlain`), and the page adds chunks up by id.
  if (Array.isArray(msg.tool_call_chunks)) out.chunk = true;
  return out;
}

/** A `messages-tuple` chunk as the worker sends a `messages` chunk: `[message, picked metadata]`. */
function messagesChunk(data: unknown): unknown {
  if (!Array.isArray(data) || data.length !== 2) return data;
  const [message, metadata] = data as [unknown, unknown];
  return [plainMessage(message), messageMetadata(metadata)];
}

/** Reads one server part. Anything the page has no use for (other `events` entries) is skipped. */
export function readServerPart(part: ServerStreamPart): ServerPart {
  const [name, ...ns] = part.event.split('|');
  if (name === 'metadata') {
    const runId = isRecord(part.data) ? part.data.run_id : undefined;
    return typeof runId === 'string' ? { kind: 'metadata', runId } : { kind: 'skip' };
  }
  if (name === 'error') return { kind: 'error', error: serverError(part.data) };
  if (name === 'events') {
    const e = part.data;
    if (!isRecord(e) || e.event !== 'on_custom_event' || typeof e.name !== 'string') return { kind: 'skip' };
    const meta = isRecord(e.metadata) ? e.metadata : {};
    const node = typeof meta.langgraph_node === 'string' ? meta.langgraph_node : undefined;
    return {
      kind: 'custom',
      name: e.name,
      ns: namespaceOf(meta.checkpoint_ns),
      ...(node ? { node } : {}),
      data: e.data,
    };
  }
  const mode = OUR_MODE.get(name);
  if (!mode) return { kind: 'skip' };
  return { kind: 'stream', mode, ns, chunk: mode === 'messages' ? messagesChunk(part.data) : part.data };
}

/** The server's `error` event (`{error, message}`) as the protocol's error. */
export function serverError(data: unknown): SerializedError {
  if (isRecord(data)) {
    const name = typeof data.error === 'string' && data.error ? data.error : 'ServerError';
    const message = typeof data.message === 'string' ? data.message : JSON.stringify(data);
    return { name, message };
  }
  return { name: 'ServerError', message: typeof data === 'string' ? data : 'The LangGraph server reported an error.' };
}

/** A node or edge of the server's `GET /assistants/:id/graph?xray=true`. */
interface ServerGraph {
  nodes?: { id: string | number; data?: unknown }[];
  edges?: { source: string | number; target: string | number; conditional?: boolean }[];
}

/** The server's drawing of a graph as the page draws it. Nested graphs are marked `subgraph`. */
export function graphStructure(drawing: unknown): { nodes: GraphNodeInfo[]; edges: GraphEdgeInfo[] } {
  const g = (isRecord(drawing) ? drawing : {}) as ServerGraph;
  const nodes = (g.nodes ?? []).map((n) => {
    const path = isRecord(n.data) && Array.isArray(n.data.id) ? n.data.id : [];
    return { id: String(n.id), ...(path.includes('pregel') ? { subgraph: true } : {}) };
  });
  const edges = (g.edges ?? []).map((e) => ({
    source: String(e.source),
    target: String(e.target),
    conditional: Boolean(e.conditional),
  }));
  return { nodes, edges };
}

/** A thread as `client.threads.search` returns it (the fields the page reads). */
export interface ServerThread {
  thread_id: string;
  created_at: string;
  updated_at: string;
  status: string;
  metadata?: Record<string, unknown> | null;
  values?: unknown;
}

/** The server's thread status as the thread list shows it. */
const STATUS: Record<string, ThreadStatus> = {
  idle: 'completed',
  busy: 'running',
  interrupted: 'interrupted',
  error: 'failed',
};

/** Key under which the page stores a thread's title in its server metadata. */
export const TITLE_KEY = 'tabgraph_title';

/** A thread's title from its first input, as the worker's thread book makes it. */
export const titleOf = threadTitle;

/** A server thread in the thread list. `liveRunId` is the page's run on it, if one is going. */
export function threadInfo(t: ServerThread, liveRunId?: string): ThreadInfo {
  const meta = t.metadata ?? {};
  const graph = typeof meta.graph_id === 'string' ? meta.graph_id : undefined;
  const title = typeof meta[TITLE_KEY] === 'string' ? (meta[TITLE_KEY] as string) : titleOf(t.values);
  const time = (s: string) => (Number.isFinite(Date.parse(s)) ? Date.parse(s) : 0);
  return {
    threadId: t.thread_id,
    ...(graph ? { graph } : {}),
    title,
    createdAt: time(t.created_at),
    updatedAt: time(t.updated_at),
    // A run of another client shows as running elsewhere; the page's own live run is its own.
    lastRunId: liveRunId ?? `server:${t.thread_id}`,
    lastStatus: STATUS[t.status] ?? 'completed',
  };
}
