/**
 * The one contract between the page and the worker.
 *
 * Commands go page -> worker, events go worker -> page (always inside an {@link EventBatch}).
 * Each is declared once, in {@link COMMANDS} and {@link EVENTS}: a table keyed by `type` that
 * gives its payload type and its family. Validation, the reply and terminal sets and the page's
 * reducers are derived from these tables (`src/shared/validate.ts`, `src/client/`).
 * Everything here is plain structured-clone data: no class instances, no functions.
 */

/** Every LangGraph stream mode the worker can relay. */
// prettier-ignore
export const STREAM_MODES = ['values', 'updates', 'messages', 'custom', 'debug', 'tasks', 'checkpoints', 'tools'] as const;
/** One LangGraph stream mode. */
export type StreamMode = (typeof STREAM_MODES)[number];

/** A graph's id as `langgraph.json` names it; validated at run time, never a closed list. */
export type GraphId = string;

/** Engine data the protocol carries, owned by the engines (`src/engines/info.ts`). */
export { ENGINE_KINDS, type DemoEngineOptions, type EngineKind, type EngineModelInfo } from './engines/info';
/** More engine data the protocol carries. */
export type { EngineSelection, EngineStatus, GpuInfo } from './engines/info';
import type { EngineKind, EngineModelInfo, EngineSelection, EngineStatus, GpuInfo } from './engines/info';

/** An error as it crosses the boundary: once, as data. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Input problems by field path (`a.b`), for forms. */
  fields?: Record<string, string>;
}

/** What a run streams: the LangGraph stream modes, with or without subgraph namespaces. */
export interface StreamOptions {
  streamModes: StreamMode[];
  subgraphs: boolean;
  /** Pause before these nodes (breakpoints, human approval). */
  interruptBefore?: string[];
  /** Pause after these nodes. */
  interruptAfter?: string[];
}

/** A node of a graph's picture; `subgraph` when it contains a compiled graph of its own. */
export interface GraphNodeInfo {
  id: string;
  subgraph?: boolean;
}

/** An edge of a graph's picture. */
export interface GraphEdgeInfo {
  source: string;
  target: string;
  conditional: boolean;
  /** The branch's name, where a conditional edge has one. */
  label?: string;
}

/** A named set of breakpoints the page offers as one switch (e.g. "Ask before applying"). */
export interface BreakpointPreset {
  label: string;
  before?: string[];
  after?: string[];
}

/** What the page learns about a graph from the worker. */
export interface GraphInfo {
  graph: GraphId;
  title: string;
  description?: string;
  /** False when the graph's module failed to import or build; `error` says why. */
  available: boolean;
  error?: SerializedError;
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
  /** JSON Schema of the input, when the graph declares one (zod, StateSchema). */
  inputSchema: Record<string, unknown> | null;
  /** An input that runs. */
  example?: Record<string, unknown>;
  breakpoints: BreakpointPreset[];
  /** Breakpoints compiled into the graph. */
  interruptBefore: string[];
  interruptAfter: string[];
  /** The state's keys (what a state edit may write). */
  stateKeys: string[];
}

/** One checkpoint of a thread, as the history lists it. */
export interface CheckpointInfo {
  checkpointId: string;
  /** The checkpoint it follows; null for a thread's first. */
  parentId: string | null;
  step: number;
  /** How it was made: `input`, `loop` (a step of the graph), `update` (a state edit) or `fork`. */
  source: string;
  /** The nodes whose writes made it (`input` for a run's input, `update` for an edit). */
  writers: string[];
  /** What would run next from it (empty at the end). */
  next: string[];
  /** ISO time, when the saver keeps one. */
  createdAt: string | null;
}

/** How a thread's last run ended (`running` while one goes on). */
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

// --- The tables ---

/** What a table entry records at run time; the payload type rides along at compile time. */
export interface Spec<F extends string, P> {
  family: F;
  /** Never set: carries the payload type. */
  payload?: P;
}
const spec =
  <P>() =>
  <F extends string>(family: F): Spec<F, P> => ({ family });

/** Command families: runs (answered by run events), requests (answered by one reply) and control. */
export type CommandFamily = 'run' | 'request' | 'control';

type Req<P = object> = P & { requestId: string };
type RunPayload = StreamOptions & { runId: string; graph: GraphId; threadId?: string };

/** Every command the page sends, by type. */
export const COMMANDS = {
  /** Starts a run; the graph validates its own `input`. */
  run: spec<RunPayload & { input: unknown }>()('run'),
  /**
   * Continues a thread: from its last checkpoint or from `checkpointId` (time travel, a new
   * branch), after an optional state update written `asNode`.
   */
  resume: spec<
    RunPayload & { threadId: string; checkpointId?: string; update?: Record<string, unknown>; asNode?: string }
  >()('run'),
  cancel: spec<{ runId: string }>()('control'),
  describe: spec<Req<{ graph: GraphId }>>()('request'),
  'engine.select': spec<Req<{ selection: EngineSelection }>>()('request'),
  'engine.list': spec<Req>()('request'),
  'engine.deleteCache': spec<Req<{ modelId: string; modelBaseUrl?: string }>>()('request'),
  /** Runs a graph in the worker with nothing relayed (the benchmark's limit); answers `bench.result`. */
  'bench.baseline': spec<Req<StreamOptions & { graph: GraphId; input: unknown }>>()('request'),
  'threads.list': spec<Req>()('request'),
  /** A thread's state: its last, or at `checkpointId`. */
  'thread.state': spec<Req<{ threadId: string; graph: GraphId; checkpointId?: string }>>()('request'),
  /** Every checkpoint of a thread, newest first. */
  'thread.history': spec<Req<{ threadId: string; graph: GraphId }>>()('request'),
  'thread.delete': spec<Req<{ threadId: string }>>()('request'),
  ping: spec<Req>()('request'),
} as const;

/** Event families, each handled in one place on the page. */
export type EventFamily = 'lifecycle' | 'terminal' | 'stream' | 'custom' | 'engine' | 'reply' | 'notice';

type Run<P = object> = P & { runId: string };
type Reply<P = object> = P & { runId: null; requestId: string };

/** Every event the worker sends, by type. */
export const EVENTS = {
  /**
   * The run waits for its thread: another tab is running it (and holds its lock). `run.started`
   * follows once that run ends; a cancel ends the wait.
   */
  'run.waiting': spec<Run<{ threadId: string }>>()('lifecycle'),
  'run.started': spec<Run<StreamOptions & { graph: GraphId; threadId?: string }>>()('lifecycle'),
  'run.completed': spec<Run>()('terminal'),
  /** The graph paused before `next` (a breakpoint); resume with a `resume` command. */
  'run.interrupted': spec<Run<{ next: string[]; threadId?: string }>>()('terminal'),
  'run.cancelled': spec<Run>()('terminal'),
  'run.failed': spec<Run<{ error: SerializedError }>>()('terminal'),
  /** A run refused before it started (bad input, another run active). */
  'run.rejected': spec<Run<{ error: SerializedError }>>()('terminal'),
  /** One chunk of a LangGraph stream mode; `ns` is `[]` for the root graph. */
  stream: spec<Run<{ mode: StreamMode; ns: string[]; chunk: unknown }>>()('stream'),
  /** A `dispatchCustomEvent` event, with the node that sent it when known. */
  custom: spec<Run<{ name: string; ns: string[]; node?: string; data: unknown }>>()('custom'),
  'engine.state': spec<{
    runId: null;
    kind: EngineKind;
    status: EngineStatus;
    modelId?: string;
    error?: SerializedError;
  }>()('engine'),
  /** Model load progress: 0..1, never decreasing within one load. */
  'engine.progress': spec<{ runId: null; modelId: string; text: string; progress: number; timeElapsed?: number }>()(
    'engine',
  ),
  /** Size and speed of one completion; `runId` is the run that asked for it. */
  'engine.usage': spec<{
    runId: string | null;
    promptTokens: number;
    completionTokens: number;
    prefillTokensPerSecond?: number;
    decodeTokensPerSecond?: number;
    timeToFirstTokenMs?: number;
    /** `length` when the answer was cut off by its token limit or the context window. */
    finishReason?: string;
  }>()('engine'),
  'engine.list': spec<Reply<{ gpu: GpuInfo; models: EngineModelInfo[]; defaultModelId: string }>>()('reply'),
  'graph.info': spec<Reply<GraphInfo>>()('reply'),
  /** `custom_token` events and all events a baseline run produced, and how long it took. */
  'bench.result': spec<Reply<{ tokens: number; events: number; ms: number }>>()('reply'),
  /** Saved threads; `persistent` is false where they live in memory only (no IndexedDB). */
  threads: spec<Reply<{ threads: ThreadInfo[]; persistent: boolean }>>()('reply'),
  /** A thread's saved values (null when none) and the nodes it would run next. */
  'thread.state':
    spec<Reply<{ threadId: string; values: unknown; next: string[]; checkpointId?: string; parentId?: string }>>()(
      'reply',
    ),
  'thread.history': spec<Reply<{ threadId: string; checkpoints: CheckpointInfo[] }>>()('reply'),
  /** The answer to a request that has no richer reply. */
  ack: spec<Reply<{ ok: boolean; error?: SerializedError }>>()('reply'),
  /** The saved threads changed with no run of this page behind it: list them again. */
  'threads.changed': spec<{ runId: null }>()('notice'),
  /** A protocol-level problem: unknown or malformed command, unknown run, and so on. */
  error: spec<{ runId: null; context: string; error: SerializedError }>()('notice'),
} as const;

// --- Types derived from the tables ---

type PayloadOf<S> = S extends Spec<string, infer P> ? P : never;

/** A command type. */
export type CommandType = keyof typeof COMMANDS;
/** The command of one type. */
export type CommandOf<K extends CommandType> = { type: K } & PayloadOf<(typeof COMMANDS)[K]>;
/** Any command. */
export type Command = { [K in CommandType]: CommandOf<K> }[CommandType];

/** Fields every event carries. `runId` is null for events that belong to no run. */
export interface EventBase {
  runId: string | null;
  /** Strictly increasing per worker, across all events. */
  seq: number;
  /** `performance.timeOrigin + performance.now()` in the worker when the event was made. */
  ts: number;
}

/** An event type. */
export type WorkerEventType = keyof typeof EVENTS;
/** The event of one type. */
export type EventOf<K extends WorkerEventType> = EventBase & { type: K } & PayloadOf<(typeof EVENTS)[K]>;
/** Any event. */
export type WorkerEvent = { [K in WorkerEventType]: EventOf<K> }[WorkerEventType];
/** Event types of one family. */
export type TypesOf<F extends EventFamily> = {
  [K in WorkerEventType]: (typeof EVENTS)[K]['family'] extends F ? K : never;
}[WorkerEventType];

const ofFamily = (f: EventFamily) =>
  (Object.keys(EVENTS) as WorkerEventType[]).filter((k) => EVENTS[k].family === f) as readonly string[];
/** Events whose run has ended: nothing for that run follows them. */
export const TERMINAL_EVENTS = ofFamily('terminal') as readonly TypesOf<'terminal'>[];
/** Events that answer a request (they carry its `requestId`). */
export const REPLY_EVENTS = ofFamily('reply') as readonly TypesOf<'reply'>[];

/** A chunk of a stream mode. */
export type StreamChunkEvent = EventOf<'stream'>;
/** A custom event. */
export type CustomEvent = EventOf<'custom'>;
/** Any event of one family. */
export type EventsOf<F extends EventFamily> = { [K in TypesOf<F>]: EventOf<K> }[TypesOf<F>];
/** A reply to a request. */
export type ReplyEvent = EventsOf<'reply'>;
/** A run command (`run` or `resume`). */
export type RunCommand = CommandOf<'run'>;
/** A resume command. */
export type ResumeCommand = CommandOf<'resume'>;

/** The only message shape the worker posts. */
export interface EventBatch {
  kind: 'batch';
  /** The batch's events in order; with `packed`, only those that were not packed. */
  events: WorkerEvent[];
  /** Token events sent as text against a template (`src/shared/packing.ts`). */
  packed?: PackedEvents;
}

/** Token events of a batch, packed: per event its template, text, `seq` and `ts`. */
export interface PackedEvents {
  /** Each a `custom_token` event or a `messages` chunk whose text is `''`. */
  templates: WorkerEvent[];
  /** Every event of the batch, in order: its template's index, or -1 for the next of `events`. */
  order: Int8Array;
  /** Per packed event, in order. */
  contents: string[];
  seq: Float64Array;
  ts: Float64Array;
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
