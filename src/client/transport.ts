/**
 * What the page's controller needs from wherever graphs run: this tab's worker (`Session`) or a
 * LangGraph server. Both deliver the same protocol events, so stores and views cannot tell which.
 */
import type {
  CheckpointInfo,
  EngineSelection,
  EventOf,
  GraphId,
  GraphInfo,
  StreamOptions,
  ThreadInfo,
  WorkerEvent,
} from '../protocol';

/** A run the page asks for. */
export interface RunRequest extends StreamOptions {
  graph: GraphId;
  input: unknown;
  /** Continue this thread; a new thread when absent. */
  threadId?: string;
}

/**
 * A thread to continue: from its last checkpoint, or from `checkpointId` (a new branch), after an
 * optional state update written as `asNode`.
 */
export interface ResumeRequest extends StreamOptions {
  graph: GraphId;
  threadId: string;
  checkpointId?: string;
  update?: Record<string, unknown>;
  asNode?: string;
}

/** A thread's saved state, at its last checkpoint or the one asked for. */
export interface ThreadState {
  values: unknown;
  next: string[];
  checkpointId?: string;
  parentId?: string;
}

/** Where runs happen. Run events arrive through {@link Transport.subscribe}, in order. */
export interface Transport {
  /** Starts a run with the page's run id; throws when the command cannot be sent. */
  run(req: RunRequest & { runId: string }): void;
  /** Continues a paused thread with the page's run id; throws when the command cannot be sent. */
  resume(req: ResumeRequest & { runId: string }): void;
  cancel(runId: string): void;
  /** What the graph is; a graph that failed to load answers `available: false`. */
  describe(graph: GraphId): Promise<GraphInfo>;
  listThreads(): Promise<ThreadInfo[]>;
  /** False once the backend said its threads live in memory only; absent or true otherwise. */
  readonly persistent?: boolean;
  threadState(threadId: string, graph: GraphId, checkpointId?: string): Promise<ThreadState>;
  /** Every checkpoint of the thread, newest first; absent where the backend keeps no history. */
  history?(threadId: string, graph: GraphId): Promise<CheckpointInfo[]>;
  deleteThread(threadId: string): Promise<void>;
  /** Every batch of events, in order; returns the unsubscribe function. */
  subscribe(listener: (events: WorkerEvent[]) => void): () => void;
  dispose(): void;
}

/** Engine commands: only this tab's worker has an engine to choose. */
export interface EngineControl {
  selectEngine(selection: EngineSelection): Promise<unknown>;
  listEngines(): Promise<unknown>;
  deleteModelCache(modelId: string, modelBaseUrl?: string): Promise<unknown>;
}

/** The benchmark's hook: a graph run in the worker with nothing relayed. */
export interface BenchControl {
  benchBaseline(
    req: Pick<RunRequest, 'graph' | 'input' | 'streamModes' | 'subgraphs'>,
  ): Promise<EventOf<'bench.result'>>;
  /** Resolves when the worker answers. */
  ping(): Promise<void>;
}
