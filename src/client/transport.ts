/**
 * What the page's controller needs from wherever graphs run: this tab's worker (`Session`) or a
 * LangGraph server. Both deliver the same protocol events, so stores and views cannot tell which.
 */
import type {
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

/** A paused thread to continue, after an optional state update written as `asNode`. */
export interface ResumeRequest extends StreamOptions {
  graph: GraphId;
  threadId: string;
  update?: Record<string, unknown>;
  asNode?: string;
}

/** A thread's last saved state. */
export interface ThreadState {
  values: unknown;
  next: string[];
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
  threadState(threadId: string, graph: GraphId): Promise<ThreadState>;
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
