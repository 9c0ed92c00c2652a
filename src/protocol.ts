/**
 * The one contract between the page and the worker.
 *
 * Commands go page -> worker, events go worker -> page (always inside a {@link EventBatch}).
 * Everything here is plain structured-clone data: no class instances, no functions.
 * Both sides import the types; each side validates what it receives with the guards below,
 * so a malformed message becomes an `error` event instead of a crash.
 */

/** Every LangGraph stream mode the worker can relay. */
export const STREAM_MODES = [
  'values',
  'updates',
  'messages',
  'custom',
  'debug',
  'tasks',
  'checkpoints',
  'tools',
] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

/** Graphs the worker knows how to run. */
export const GRAPH_IDS = ['demo', 'schema'] as const;
export type GraphId = (typeof GRAPH_IDS)[number];

/** Engines the worker can drive. */
export const ENGINE_KINDS = ['demo', 'webllm'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** An error as it crosses the boundary: once, as data. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Options for the demo engine (deterministic, no weights). */
export interface DemoEngineOptions {
  /** Tokens per second; 0 means unthrottled. */
  tokensPerSecond?: number;
  /** Make the model emit malformed JSON on its first N answers (for tests and demos). */
  malformedAnswers?: number;
  /** Repeat each plain-text answer until it has at least this many tokens (benchmarks). */
  minTokens?: number;
}

export interface EngineSelection {
  kind: EngineKind;
  /** WebLLM model id (from its prebuilt list). */
  modelId?: string;
  /** Self-hosted model base URL (absolute, or relative to the page origin). */
  modelBaseUrl?: string;
  demo?: DemoEngineOptions;
}

// ---------------------------------------------------------------------------
// Commands (page -> worker)
// ---------------------------------------------------------------------------

export interface RunCommand {
  type: 'run';
  runId: string;
  graph: GraphId;
  /** The graph's input; each graph validates its own (e.g. `{ requirements }`). */
  input: unknown;
  streamModes: StreamMode[];
  subgraphs: boolean;
  threadId?: string;
  /** Pause before these nodes (human approval). */
  interruptBefore?: string[];
}

export interface ResumeCommand {
  type: 'resume';
  runId: string;
  graph: GraphId;
  threadId: string;
  streamModes: StreamMode[];
  subgraphs: boolean;
  /** State update applied before resuming (e.g. a rejection reason). */
  update?: Record<string, unknown>;
  /** Apply `update` as if this node had written it, so the graph routes on from that node. */
  asNode?: string;
  interruptBefore?: string[];
}

export interface CancelCommand {
  type: 'cancel';
  runId: string;
}

export interface DescribeGraphCommand {
  type: 'describe';
  requestId: string;
  graph: GraphId;
}

export interface EngineSelectCommand {
  type: 'engine.select';
  requestId: string;
  selection: EngineSelection;
}

export interface EngineListCommand {
  type: 'engine.list';
  requestId: string;
}

export interface EngineDeleteCacheCommand {
  type: 'engine.deleteCache';
  requestId: string;
  modelId: string;
  modelBaseUrl?: string;
}

/**
 * Benchmark hook: runs a graph inside the worker with nothing relayed (custom events are counted,
 * not sent) and answers with `bench.result`, the limit the relay is measured against.
 */
export interface BenchBaselineCommand {
  type: 'bench.baseline';
  requestId: string;
  graph: GraphId;
  input: unknown;
  streamModes: StreamMode[];
  subgraphs: boolean;
}

/** Lists the saved threads (newest first). */
export interface ThreadsListCommand {
  type: 'threads.list';
  requestId: string;
}

/** Reads the last saved state of a thread. */
export interface ThreadStateCommand {
  type: 'thread.state';
  requestId: string;
  threadId: string;
  graph: GraphId;
}

/** Deletes a thread's checkpoints and history record. */
export interface ThreadDeleteCommand {
  type: 'thread.delete';
  requestId: string;
  threadId: string;
}

export interface PingCommand {
  type: 'ping';
  requestId: string;
}

export type Command =
  | RunCommand
  | ResumeCommand
  | CancelCommand
  | DescribeGraphCommand
  | EngineSelectCommand
  | EngineListCommand
  | EngineDeleteCacheCommand
  | BenchBaselineCommand
  | ThreadsListCommand
  | ThreadStateCommand
  | ThreadDeleteCommand
  | PingCommand;

export type CommandType = Command['type'];

// ---------------------------------------------------------------------------
// Seed events: what nodes dispatch with dispatchCustomEvent (seed: streaming-guide.md)
// ---------------------------------------------------------------------------

/** Payloads of the seed's custom events, keyed by event name. */
export interface SeedEventPayloads {
  custom_token: { content: string; id: string; agentName: string };
  token_update: { content: string; partial: boolean; id?: string };
  progress_update: { step: string; progress: number; message: string };
  step_complete: { step: string; result: unknown };
  schema_progress: { current: number; total: number; percentage: number; operation: string };
  tool_start: { toolName: string; input: unknown };
  tool_success: { toolName: string; result: unknown };
  tool_error: { toolName: string; error: string };
  node_progress: { node: string; step: string; status: 'started' | 'completed' | 'failed' };
  node_start: { node: string; input: unknown; timestamp: string };
  node_complete: { node: string; output: unknown; timestamp: string };
  execution_error: { context: string; error: string; stack?: string; timestamp: string };
  collaboration_update: { sessionId: string; userId: string; action: string; timestamp: number };
}
export type SeedEventName = keyof SeedEventPayloads;

// ---------------------------------------------------------------------------
// Events (worker -> page)
// ---------------------------------------------------------------------------

/** Fields every event carries. `runId` is null for events that belong to no run. */
export interface EventBase {
  runId: string | null;
  /** Strictly increasing per worker, across all events. */
  seq: number;
  /** `performance.timeOrigin + performance.now()` in the worker when the event was made. */
  ts: number;
}

export type RunStartedEvent = EventBase & {
  type: 'run.started';
  runId: string;
  graph: GraphId;
  streamModes: StreamMode[];
  subgraphs: boolean;
  threadId?: string;
};
export type RunCompletedEvent = EventBase & { type: 'run.completed'; runId: string };
/** The graph paused (interruptBefore/After); resume with a `resume` command. */
export type RunInterruptedEvent = EventBase & {
  type: 'run.interrupted';
  runId: string;
  next: string[];
  threadId?: string;
};
export type RunCancelledEvent = EventBase & { type: 'run.cancelled'; runId: string };
export type RunFailedEvent = EventBase & { type: 'run.failed'; runId: string; error: SerializedError };
/** A run command that was refused before starting (bad input, another run active). */
export type RunRejectedEvent = EventBase & { type: 'run.rejected'; runId: string; error: SerializedError };

/** One chunk of a LangGraph stream mode, namespace kept (`[]` for the root graph). */
export type StreamChunkEvent = EventBase & {
  type: 'stream';
  runId: string;
  mode: StreamMode;
  ns: string[];
  chunk: unknown;
};

/** A custom event dispatched with `dispatchCustomEvent` inside a node. */
export type CustomEvent = EventBase & {
  type: 'custom';
  runId: string;
  name: string;
  ns: string[];
  /** The LangGraph node that dispatched it, when known. */
  node?: string;
  data: unknown;
};

export interface EngineModelInfo {
  modelId: string;
  /** VRAM needed in MB, as WebLLM reports. */
  vramMB?: number;
  lowResource?: boolean;
  needsF16?: boolean;
  cached?: boolean;
  /** Why this GPU cannot run it; absent when it can. */
  unsupportedReason?: string;
}

export interface GpuInfo {
  available: boolean;
  /** Why WebGPU is unavailable, when it is. */
  reason?: string;
  vendor?: string;
  architecture?: string;
  description?: string;
  shaderF16?: boolean;
  maxStorageBufferBindingSize?: number;
}

export type EngineStatus = 'idle' | 'loading' | 'ready' | 'failed';

export type EngineStateEvent = EventBase & {
  type: 'engine.state';
  kind: EngineKind;
  status: EngineStatus;
  modelId?: string;
  error?: SerializedError;
};
export type EngineProgressEvent = EventBase & {
  type: 'engine.progress';
  modelId: string;
  /** WebLLM's phase text. */
  text: string;
  /** 0..1, never decreasing within one load. */
  progress: number;
  timeElapsed?: number;
};
export type EngineUsageEvent = EventBase & {
  type: 'engine.usage';
  promptTokens: number;
  completionTokens: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  timeToFirstTokenMs?: number;
};
export type EngineListEvent = EventBase & {
  type: 'engine.list';
  requestId: string;
  gpu: GpuInfo;
  models: EngineModelInfo[];
  defaultModelId: string;
};

export interface GraphNodeInfo {
  id: string;
  /** Nodes that contain a compiled graph of their own. */
  subgraph?: boolean;
}
export interface GraphEdgeInfo {
  source: string;
  target: string;
  conditional: boolean;
}
export type GraphStructureEvent = EventBase & {
  type: 'graph.structure';
  requestId: string;
  graph: GraphId;
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
};

export type ThreadStatus = 'running' | 'completed' | 'interrupted' | 'cancelled' | 'failed';

/** A saved thread as the thread list shows it. Times are epoch milliseconds. */
export interface ThreadInfo {
  threadId: string;
  graph?: GraphId;
  title: string;
  createdAt: number;
  updatedAt: number;
  lastRunId: string;
  lastStatus: ThreadStatus;
}

export type ThreadsEvent = EventBase & { type: 'threads'; requestId: string; threads: ThreadInfo[] };
export type ThreadStateEvent = EventBase & {
  type: 'thread.state';
  requestId: string;
  threadId: string;
  /** The thread's last saved values (plain data); null when nothing was saved. */
  values: unknown;
  /** Nodes the thread would run next (non-empty when paused). */
  next: string[];
};

/** The answer to `bench.baseline`. */
export type BenchResultEvent = EventBase & {
  type: 'bench.result';
  requestId: string;
  /** `custom_token` events dispatched by the graph. */
  tokens: number;
  /** Stream chunks plus custom events the graph produced. */
  events: number;
  ms: number;
};

/** The answer to a request that has no richer reply. */
export type AckEvent = EventBase & { type: 'ack'; requestId: string; ok: boolean; error?: SerializedError };

/** A protocol-level problem: unknown or malformed command, unknown run, and so on. */
export type ErrorEvent = EventBase & { type: 'error'; context: string; error: SerializedError };

export type WorkerEvent =
  | RunStartedEvent
  | RunCompletedEvent
  | RunInterruptedEvent
  | RunCancelledEvent
  | RunFailedEvent
  | RunRejectedEvent
  | StreamChunkEvent
  | CustomEvent
  | EngineStateEvent
  | EngineProgressEvent
  | EngineUsageEvent
  | EngineListEvent
  | GraphStructureEvent
  | BenchResultEvent
  | ThreadsEvent
  | ThreadStateEvent
  | AckEvent
  | ErrorEvent;

export type WorkerEventType = WorkerEvent['type'];

/** Events whose run has ended: nothing for that run follows them. */
export const TERMINAL_EVENTS = [
  'run.completed',
  'run.cancelled',
  'run.failed',
  'run.rejected',
  'run.interrupted',
] as const;

/** The only message shape the worker posts. */
export interface EventBatch {
  kind: 'batch';
  events: WorkerEvent[];
}

/** Distributes Omit over a union so each member keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the worker stamps it with `seq` and `ts`. */
export type UnstampedEvent = DistributiveOmit<WorkerEvent, 'seq' | 'ts'>;

/** The minimal surface of a Worker, MessagePort or worker global scope. */
export interface Endpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  start?(): void;
}

/** Largest input a run accepts, in characters of its JSON form. */
export const MAX_INPUT_CHARS = 100_000;
