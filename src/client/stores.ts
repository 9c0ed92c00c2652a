import { writable, type Readable, type Writable } from 'svelte/store';
import type {
  CheckpointInfo,
  GraphId,
  GraphInfo,
  StreamMode,
  ThreadInfo,
  ThreadStatus,
  WorkerEvent,
} from '../protocol';
import { applyEngineEvents, initialEngineState, type EngineState } from './engineState';
import { applyEvents } from './reducer';
import { beginRun, initialRunState, type RunState } from './runState';

/** A replay of a recording: what is on screen comes from a file, not a live run. */
export interface ReplayState {
  status: 'idle' | 'replaying' | 'done';
  runId: string | null;
}

/** The open thread's checkpoints, as the history panel lists them. */
export interface HistoryState {
  threadId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'unavailable' | 'failed';
  checkpoints: CheckpointInfo[];
  error?: string;
}

/** A saved thread to show again. */
export interface RestoredThread {
  threadId: string;
  graph: GraphId;
  status: ThreadStatus;
  values: unknown;
  next: string[];
}

/**
 * The page's state, as Svelte stores over pure reducers. Nothing here knows about Workers, so it
 * all runs in node tests. Each batch updates each store at most once. Components only read
 * these; the page's controller is the one writer.
 */
export interface PageStores {
  run: Readable<RunState>;
  engine: Readable<EngineState>;
  /** What the worker said about each graph of the registry. */
  graphs: Readable<Record<GraphId, GraphInfo>>;
  /** Saved threads, newest first. */
  threads: Readable<ThreadInfo[]>;
  /** The page's own problems (a request that failed, a bad file), for the alert region. */
  notices: Readable<string[]>;
  replay: Readable<ReplayState>;
  /** The other tab whose run this tab is following, or null. */
  following: Readable<string | null>;
  /** The open thread, or null after "New thread". */
  openThread: Readable<string | null>;
  /** The open thread's checkpoints, once asked for. */
  history: Readable<HistoryState>;
  /** False when threads live in memory only and are lost with the tab. */
  persistent: Readable<boolean>;
  /** Current run state, without subscribing. */
  current(): RunState;
}

/** The writing half, held by the controller (and by tests that drive stores directly). */
export interface SessionStores extends PageStores {
  /** Applies one batch of events (from the transport, another tab, or a replay). */
  apply(events: readonly WorkerEvent[]): void;
  /** Resets the run view for a run about to start; later events of other runs are ignored. */
  begin(runId: string, graph: GraphId, streamModes: StreamMode[], subgraphs: boolean): void;
  setThreads(threads: ThreadInfo[]): void;
  setGraph(info: GraphInfo): void;
  notify(message: string): void;
  clearNotices(): void;
  setReplay(state: ReplayState): void;
  setFollowing(userId: string | null): void;
  /** Marks a thread as open, or none (the next run starts a new thread). */
  setOpenThread(threadId: string | null): void;
  setHistory(state: HistoryState): void;
  setPersistent(persistent: boolean): void;
  /** Clears the run view (a new, empty thread); ignored while a run is going. */
  reset(): void;
  /** Shows a saved thread's last state (after a reload, or picked from the thread list). */
  restore(thread: RestoredThread): void;
}

/** Most notices kept: older ones have been read or are noise by then. */
const MAX_NOTICES = 20;

/** Changes the page must show at once; the rest (tokens, chunks) can wait for the next frame. */
const urgent = (a: RunState, b: RunState) =>
  a.runId !== b.runId || a.status !== b.status || a.threadId !== b.threadId || a.interruptedNext !== b.interruptedNext;

/**
 * Tokens a millisecond above which a stream counts as a flood (about 4 a frame, 250 a second):
 * faster than anyone reads, and drawn every frame it costs the page more than all else together.
 */
const FLOOD_TOKENS_PER_MS = 0.25;
/** How often the page draws a flooding stream: ten times a second. */
const FLOOD_INTERVAL_MS = 100;

/** How long after the last publish the next may go out: a frame, or a tenth of a second in a flood. */
const runPace = (published: RunState, next: RunState, sincePublishMs: number) =>
  (next.stats.tokens - published.stats.tokens) / Math.max(sincePublishMs, 1) > FLOOD_TOKENS_PER_MS
    ? FLOOD_INTERVAL_MS
    : 0;

/**
 * Publishes a store's value to its subscribers at most once per animation frame, in the frame's
 * `requestAnimationFrame` callback (just before the page is drawn, so nothing shows later), so
 * components do work in proportion to frames, not to batches, and none of it in the tasks that
 * receive the worker's messages. `pace` may space publishes further (a flood of tokens is drawn
 * ten times a second: every token still reaches the store at once, and the page's readers such
 * as the bench see it there). Urgent changes go out at once; a new subscriber gets the latest
 * value. Without animation frames (node, tests) every change goes out at once.
 */
function perFrame<T>(
  store: Writable<T>,
  initial: T,
  isUrgent: (published: T, next: T) => boolean,
  pace: (published: T, next: T, sincePublishMs: number) => number = () => 0,
) {
  const raf = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : null;
  let published = initial;
  let publishedAt = 0;
  let latest = initial;
  let requested = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const publish = () => {
    if (timer !== undefined) {
      // A paced publish was waiting: this one replaces it.
      clearTimeout(timer);
      timer = undefined;
      requested = false;
    }
    published = latest;
    publishedAt = performance.now();
    store.set(latest);
  };
  /** Publishes in a frame, or first waits as long as `pace` says (asked again in the frame). */
  const schedule = (inFrame: boolean) => {
    const since = performance.now() - publishedAt;
    const wait = pace(published, latest, since) - since;
    requested = true;
    if (wait > 0)
      timer = setTimeout(() => {
        timer = undefined;
        raf!(onFrame);
      }, wait);
    else if (inFrame) {
      requested = false;
      publish();
    } else raf!(onFrame);
  };
  const onFrame = () => {
    requested = false;
    if (latest !== published) schedule(true);
  };
  return {
    set(next: T) {
      latest = next;
      if (!raf || isUrgent(published, next)) return publish();
      if (!requested) schedule(false);
    },
    subscribe: ((run, invalidate) => {
      if (latest !== published) publish();
      return store.subscribe(run, invalidate);
    }) as Writable<T>['subscribe'],
  };
}

export function createSessionStores(): SessionStores {
  let runState = initialRunState();
  let engineState = initialEngineState();
  let graphState: Record<GraphId, GraphInfo> = {};
  const run = writable(runState);
  const engine = writable(engineState);
  const graphs = writable(graphState);
  const threads = writable<ThreadInfo[]>([]);
  const notices = writable<string[]>([]);
  const replay = writable<ReplayState>({ status: 'idle', runId: null });
  const following = writable<string | null>(null);
  const openThread = writable<string | null>(null);
  const history = writable<HistoryState>({ threadId: null, status: 'idle', checkpoints: [] });
  const persistent = writable(true);
  const runFrames = perFrame(run, runState, urgent, runPace);
  let replayState: ReplayState = { status: 'idle', runId: null };
  const setRun = (next: RunState) => {
    runState = next;
    runFrames.set(next);
    if (next.threadId) openThread.set(next.threadId);
  };
  return {
    run: { subscribe: runFrames.subscribe },
    engine: { subscribe: engine.subscribe },
    graphs: { subscribe: graphs.subscribe },
    threads: { subscribe: threads.subscribe },
    notices: { subscribe: notices.subscribe },
    replay: { subscribe: replay.subscribe },
    following: { subscribe: following.subscribe },
    openThread: { subscribe: openThread.subscribe },
    history: { subscribe: history.subscribe },
    persistent: { subscribe: persistent.subscribe },
    current: () => runState,
    apply(events) {
      // A replay's events carry the recording's timestamps: age them from now instead.
      const replaying = replayState.status === 'replaying' && replayState.runId === runState.runId;
      const agedFrom = replaying ? performance.timeOrigin + performance.now() : undefined;
      const nextRun = applyEvents(runState, events, { agedFrom });
      if (nextRun !== runState) setRun(nextRun);
      const nextEngine = applyEngineEvents(engineState, events);
      if (nextEngine !== engineState) engine.set((engineState = nextEngine));
    },
    begin(runId, graph, streamModes, subgraphs) {
      setRun(beginRun(runId, graph, streamModes, subgraphs));
    },
    setThreads: (list) => threads.set(list),
    setGraph(info) {
      graphState = { ...graphState, [info.graph]: info };
      graphs.set(graphState);
    },
    notify: (message) => notices.update((list) => [...list, message].slice(-MAX_NOTICES)),
    clearNotices: () => notices.set([]),
    setReplay: (state) => replay.set((replayState = state)),
    setFollowing: (userId) => following.set(userId),
    setOpenThread: (threadId) => openThread.set(threadId),
    setHistory: (state) => history.set(state),
    setPersistent: (value) => persistent.set(value),
    reset() {
      if (runState.status !== 'running') setRun(initialRunState());
    },
    restore({ threadId, graph, status, values, next }) {
      // A thread still running is another tab's or client's run (a run cut off by a reload or a
      // crash is listed as interrupted): it shows as of its last checkpoint, not as a run here.
      const elsewhere = status === 'running';
      const restored = { ...initialRunState(), graph, threadId, values, interruptedNext: elsewhere ? [] : next };
      restored.status = elsewhere ? 'idle' : status;
      setRun(restored);
    },
  };
}

/** The reading half of the stores, for components: no way to write through it. */
export function readOnly(s: SessionStores): PageStores {
  const { run, engine, graphs, threads, notices, replay, following, openThread, history, persistent, current } = s;
  return { run, engine, graphs, threads, notices, replay, following, openThread, history, persistent, current };
}
