import { writable, type Readable } from 'svelte/store';
import type { GraphId, GraphStructureEvent, StreamMode, ThreadInfo, ThreadStatus, WorkerEvent } from '../protocol';
import { applyEngineEvents, initialEngineState, type EngineState } from './engineState';
import { applyEvents } from './reducer';
import { beginRun, initialRunState, type RunState } from './runState';

/** The graph picture: structure from the worker. */
export type GraphStructure = Pick<GraphStructureEvent, 'graph' | 'nodes' | 'edges'>;

/**
 * Svelte stores for one page, fed by batches of worker events.
 *
 * Plain `svelte/store` writables over pure reducers: nothing here knows about Workers, so the
 * whole thing runs in node tests. Each batch updates each store at most once.
 */
export interface SessionStores {
  run: Readable<RunState>;
  engine: Readable<EngineState>;
  graphs: Readable<Partial<Record<GraphId, GraphStructure>>>;
  /** Applies one batch of events (from the client, or from a replay). */
  apply(events: readonly WorkerEvent[]): void;
  /** Resets the run view for a run the page is about to start; later events of other runs are ignored. */
  begin(runId: string, graph: GraphId, streamModes: StreamMode[], subgraphs: boolean): void;
  /** Current run state, without subscribing. */
  current(): RunState;
  /** Saved threads, newest first. */
  threads: Readable<ThreadInfo[]>;
  setThreads(threads: ThreadInfo[]): void;
  /** Clears the run view (a new, empty thread); ignored while a run is going. */
  reset(): void;
  /** Shows a saved thread's last state (after a reload, or picked from the thread list). */
  restore(thread: { threadId: string; graph: GraphId; status: ThreadStatus; values: unknown; next: string[] }): void;
}

export function createSessionStores(): SessionStores {
  let runState = initialRunState();
  let engineState = initialEngineState();
  let graphState: Partial<Record<GraphId, GraphStructure>> = {};
  const run = writable(runState);
  const engine = writable(engineState);
  const graphs = writable(graphState);
  const threads = writable<ThreadInfo[]>([]);
  return {
    run: { subscribe: run.subscribe },
    engine: { subscribe: engine.subscribe },
    graphs: { subscribe: graphs.subscribe },
    apply(events) {
      const nextRun = applyEvents(runState, events);
      if (nextRun !== runState) run.set((runState = nextRun));
      const nextEngine = applyEngineEvents(engineState, events);
      if (nextEngine !== engineState) engine.set((engineState = nextEngine));
      for (const ev of events)
        if (ev.type === 'graph.structure') {
          graphState = { ...graphState, [ev.graph]: { graph: ev.graph, nodes: ev.nodes, edges: ev.edges } };
          graphs.set(graphState);
        }
    },
    begin(runId, graph, streamModes, subgraphs) {
      run.set((runState = beginRun(runId, graph, streamModes, subgraphs)));
    },
    current: () => runState,
    threads: { subscribe: threads.subscribe },
    setThreads: (list) => threads.set(list),
    reset() {
      if (runState.status !== 'running') run.set((runState = initialRunState()));
    },
    restore({ threadId, graph, status, values, next }) {
      const restored = { ...initialRunState(), graph, threadId, values, interruptedNext: next };
      // A thread whose run was cut off still shows as interrupted, never as running.
      restored.status = status === 'running' ? 'interrupted' : status;
      run.set((runState = restored));
    },
  };
}
