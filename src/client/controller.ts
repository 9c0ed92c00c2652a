/**
 * The page's controller: everything the page does (start, stop, resume, threads, replay,
 * following another tab), in plain TypeScript that runs in node tests. It is the only writer of
 * the page's stores; components read the stores and call these methods.
 */
import type { Readable } from 'svelte/store';
import { get } from 'svelte/store';
import { TERMINAL_EVENTS, type EngineSelection, type GraphId, type WorkerEvent } from '../protocol';
import { errorText, serializeError } from '../shared/errors';
import { unavailableGraph } from '../shared/graphInfo';
import { newRunId } from './client';
import { CrossTab, type ChannelLike } from './crossTab';
import { RunRecordings, recordingFileName, type LastRecording } from './recording/lastRun';
import { parseNdjson, replay, toNdjson } from './recording/ndjson';
import { createSessionStores, readOnly, type PageStores, type SessionStores } from './stores';
import type { BenchControl, EngineControl, ResumeRequest, RunRequest, Transport } from './transport';

const TERMINAL = new Set<string>(TERMINAL_EVENTS);
const isTerminal = (e: WorkerEvent) => TERMINAL.has(e.type);

export interface ControllerOptions {
  transport: Transport & Partial<EngineControl> & Partial<BenchControl>;
  /** The registry's graph ids (from `langgraph.json`, at build time), described at start. */
  graphs?: readonly GraphId[];
  /** Other tabs of the app; none when the browser has no BroadcastChannel. */
  crossTab?: { channel?: ChannelLike; userId?: string } | false;
}

/** The one place the page's actions live. */
export class Controller {
  /** What components read. */
  readonly stores: PageStores;
  /** The last finished run of this tab, ready to export. */
  readonly lastRecording: Readable<LastRecording>;
  readonly crossTab: CrossTab | null;
  readonly graphIds: readonly GraphId[];
  private readonly s: SessionStores;
  private transport: ControllerOptions['transport'];
  private readonly recordings = new RunRecordings();
  private readonly listeners = new Set<(events: WorkerEvent[]) => void>();
  private offTransport: () => void;
  private replaying: AbortController | null = null;
  private followedRun: string | null = null;
  /** Event batches heard so far (this tab's and other tabs'): a thread's history can change with each. */
  private batches = 0;
  /** The history load in flight, and how many batches had been heard when it was asked. */
  private historyLoad: { threadId: string; batch: number; done: Promise<void> } | null = null;

  constructor(options: ControllerOptions) {
    this.s = createSessionStores();
    this.stores = readOnly(this.s);
    this.lastRecording = this.recordings.last;
    this.transport = options.transport;
    this.graphIds = options.graphs ?? [];
    this.offTransport = this.transport.subscribe((events) => this.onLocal(events));
    const tabs = options.crossTab === undefined && typeof BroadcastChannel !== 'function' ? false : options.crossTab;
    this.crossTab =
      tabs === false ? null : new CrossTab({ ...tabs, onRemoteEvents: (from, events) => this.onRemote(from, events) });
    for (const id of this.graphIds) void this.describe(id);
    this.refreshThreads().catch(() => {});
  }

  /**
   * Runs from now on go through `transport` (this tab's worker, or a LangGraph server). The old
   * one is closed (a run still going there is cancelled), the view is cleared, and graphs and
   * threads are asked for again where they now live.
   */
  useTransport(transport: ControllerOptions['transport']): void {
    if (transport === this.transport) return;
    this.stopReplay();
    const { runId, status } = this.s.current();
    if (runId && status === 'running') {
      if (runId !== this.followedRun) this.transport.cancel(runId);
      // Its last events will not be heard: the run ends here, as cancelled.
      this.s.apply([{ type: 'run.cancelled', runId, seq: Number.MAX_SAFE_INTEGER, ts: Date.now() }]);
    }
    this.following(null);
    this.offTransport();
    this.transport.dispose();
    this.transport = transport;
    this.historyLoad = null;
    this.offTransport = transport.subscribe((events) => this.onLocal(events));
    this.s.reset();
    this.s.setOpenThread(null);
    this.s.setThreads([]);
    for (const id of this.graphIds) void this.describe(id);
    this.refreshThreads().catch((err: unknown) => this.s.notify(`Could not list the threads: ${errorText(err)}`));
  }

  // --- runs ----------------------------------------------------------------------------------

  /** Starts a run (a new thread, or the next run of `threadId`) and returns its id. */
  start(req: RunRequest): string {
    return this.send(req.graph, req, (runId) => this.transport.run({ ...req, runId }));
  }

  /** Continues a paused thread, optionally updating its state first (as node `asNode`). */
  resume(req: ResumeRequest): string {
    return this.send(req.graph, req, (runId) => this.transport.resume({ ...req, runId }));
  }

  /** Stop: ends a replay in progress, or else cancels this tab's running run. */
  stop(): void {
    if (this.stopReplay()) return;
    const { runId, status } = this.s.current();
    if (runId && status === 'running' && runId !== this.followedRun) this.transport.cancel(runId);
  }

  private send(graph: GraphId, req: RunRequest | ResumeRequest, post: (runId: string) => void): string {
    this.s.clearNotices();
    this.following(null);
    const runId = newRunId();
    this.s.begin(runId, graph, req.streamModes, req.subgraphs);
    try {
      post(runId);
    } catch (err) {
      // Nothing was sent (e.g. input that cannot be cloned): the run ends here, it never hangs.
      const e = serializeError(err);
      this.s.apply([
        {
          type: 'run.rejected',
          runId,
          seq: Number.MAX_SAFE_INTEGER,
          ts: performance.timeOrigin + performance.now(),
          error: { name: e.name, message: `The run could not be sent to the worker: ${e.message}` },
        },
      ]);
    }
    return runId;
  }

  // --- graphs and threads ----------------------------------------------------------------------

  /** Asks what a graph is; a graph that cannot be described shows as unavailable with why. */
  async describe(graph: GraphId): Promise<void> {
    try {
      this.s.setGraph(await this.transport.describe(graph));
    } catch (err) {
      this.s.setGraph(unavailableGraph(graph, err));
    }
  }

  /** Reloads the saved threads. */
  async refreshThreads(): Promise<void> {
    const before = get(this.s.threads);
    const list = await this.transport.listThreads();
    this.s.setThreads(list);
    this.s.setPersistent(this.transport.persistent !== false);
    // The open thread was running elsewhere and has stopped: its view (opened as of a checkpoint,
    // no run of this tab: idle, with no run id) catches up with how it ended.
    const open = get(this.s.openThread);
    const current = this.s.current();
    if (!open || current.threadId !== open || current.runId !== null || current.status !== 'idle' || this.replaying)
      return;
    const was = before.find((t) => t.threadId === open)?.lastStatus;
    const now = list.find((t) => t.threadId === open)?.lastStatus;
    if (was === 'running' && now !== undefined && now !== 'running') await this.openThread(open);
  }

  /**
   * Shows a saved thread's last state. A thread this browser does not have gets a clear message
   * and an empty view; returns whether the thread was opened.
   */
  async openThread(threadId: string): Promise<boolean> {
    this.s.clearNotices();
    try {
      let info = get(this.s.threads).find((t) => t.threadId === threadId);
      if (!info) {
        await this.refreshThreads();
        info = get(this.s.threads).find((t) => t.threadId === threadId);
      }
      if (!info) {
        this.newThread();
        this.s.notify(`There is no thread "${threadId}" here: it was deleted, or it was made in another browser.`);
        return false;
      }
      const graph = info.graph ?? this.graphIds[0] ?? '';
      const state = await this.transport.threadState(threadId, graph);
      this.s.restore({ threadId, graph, status: info.lastStatus, values: state.values, next: state.next });
      return true;
    } catch (err) {
      this.s.notify(`Could not open the thread: ${errorText(err)}`);
      return false;
    }
  }

  /** Lists the open thread's checkpoints (the history panel); again after each run of it. */
  loadHistory(): Promise<void> {
    const threadId = get(this.s.openThread);
    // A run's start asks twice at once (the controller, and the panel for the newly open thread):
    // one read answers both while nothing new has been heard since it was asked.
    const inFlight = this.historyLoad;
    if (threadId && inFlight && inFlight.threadId === threadId && inFlight.batch === this.batches) return inFlight.done;
    const done = this.readHistory(threadId);
    if (threadId) {
      const load = { threadId, batch: this.batches, done };
      this.historyLoad = load;
      void done.finally(() => {
        if (this.historyLoad === load) this.historyLoad = null;
      });
    }
    return done;
  }

  private async readHistory(threadId: string | null): Promise<void> {
    const graph = this.s.current().graph;
    if (!threadId || !graph) return this.s.setHistory({ threadId: null, status: 'idle', checkpoints: [] });
    if (!this.transport.history)
      return this.s.setHistory({
        threadId,
        status: 'unavailable',
        checkpoints: [],
        error: 'this connection keeps no history',
      });
    const previous = get(this.s.history);
    this.s.setHistory({
      threadId,
      status: 'loading',
      checkpoints: previous.threadId === threadId ? previous.checkpoints : [],
    });
    try {
      const checkpoints = await this.transport.history(threadId, graph);
      if (get(this.s.openThread) === threadId) this.s.setHistory({ threadId, status: 'ready', checkpoints });
    } catch (err) {
      this.s.setHistory({ threadId, status: 'failed', checkpoints: [], error: errorText(err) });
    }
  }

  /** The state of the open thread at one checkpoint (for the history panel's view and diff). */
  checkpointState(checkpointId: string) {
    const threadId = get(this.s.openThread);
    const graph = this.s.current().graph;
    if (!threadId || !graph) return Promise.reject(new Error('no thread is open'));
    return this.transport.threadState(threadId, graph, checkpointId);
  }

  async deleteThread(threadId: string): Promise<void> {
    try {
      await this.transport.deleteThread(threadId);
      if (get(this.s.openThread) === threadId) this.s.setOpenThread(null);
      await this.refreshThreads();
    } catch (err) {
      this.s.notify(`Could not delete the thread: ${errorText(err)}`);
    }
  }

  /** "New thread": an empty view; the next run starts a thread of its own. */
  newThread(): void {
    this.s.reset();
    this.s.setOpenThread(null);
  }

  // --- recording and replay --------------------------------------------------------------------

  /** The last finished run as an NDJSON file, or null when there is none. */
  exportRecording(): { fileName: string; text: string } | null {
    const last = get(this.recordings.last);
    if (last.kind !== 'ready') return null;
    return { fileName: recordingFileName(last.recording.header.runId), text: toNdjson(last.recording) };
  }

  /** Replays a recording file into the views; a file that fails validation changes nothing. */
  async importRecording(text: string, fileName: string, speed: number): Promise<void> {
    let rec;
    try {
      rec = parseNdjson(text);
    } catch (err) {
      this.s.notify(`Could not import ${fileName}: ${errorText(err)}`);
      return;
    }
    this.stopReplay();
    this.s.clearNotices();
    this.following(null);
    const controller = new AbortController();
    this.replaying = controller;
    const runId = rec.header.runId;
    this.s.setReplay({ status: 'replaying', runId });
    try {
      // replay() sleeps between batches and looks at the signal only before sleeping: drop
      // whatever it applies after a stop, so a stopped replay stays stopped.
      const target = {
        begin: (...args: Parameters<SessionStores['begin']>) => this.s.begin(...args),
        apply: (events: readonly WorkerEvent[]) => {
          if (!controller.signal.aborted) this.s.apply(events);
        },
      };
      await replay(rec, target, speed, controller.signal);
    } catch (err) {
      this.s.notify(`The replay stopped: ${errorText(err)}`);
      this.endReplayedRun(runId);
    } finally {
      if (this.replaying === controller) {
        this.replaying = null;
        this.s.setReplay({ status: 'done', runId });
      }
    }
  }

  /** Stops a replay in progress; false when none is running. */
  stopReplay(): boolean {
    const controller = this.replaying;
    if (!controller) return false;
    controller.abort();
    this.replaying = null;
    const runId = get(this.s.replay).runId;
    this.s.setReplay({ status: 'done', runId });
    if (runId) this.endReplayedRun(runId);
    return true;
  }

  /** A replay cut short would leave the view "running": end it as cancelled. */
  private endReplayedRun(runId: string): void {
    const cur = this.s.current();
    if (cur.runId !== runId || cur.status !== 'running') return;
    this.s.apply([{ type: 'run.cancelled', runId, seq: cur.lastSeq + 1, ts: Date.now() }]);
  }

  // --- engine, notices, events -----------------------------------------------------------------

  selectEngine(selection: EngineSelection): Promise<unknown> {
    return this.engine().selectEngine(selection);
  }

  listEngines(): Promise<unknown> {
    return this.engine().listEngines();
  }

  deleteModelCache(modelId: string, modelBaseUrl?: string): Promise<unknown> {
    return this.engine().deleteModelCache(modelId, modelBaseUrl);
  }

  /** True when runs happen in this tab (engine choice applies). */
  get hasEngine(): boolean {
    return typeof this.transport.selectEngine === 'function';
  }

  /** The benchmark's hooks (this tab's worker only). */
  benchBaseline(req: Parameters<BenchControl['benchBaseline']>[0]) {
    if (!this.transport.benchBaseline) throw new Error('this transport has no benchmark hook');
    return this.transport.benchBaseline(req);
  }

  ping(): Promise<void> {
    return this.transport.ping?.() ?? Promise.resolve();
  }

  /** Adds a message to the page's alert region. */
  notify(message: string): void {
    this.s.notify(message);
  }

  dismissNotices(): void {
    this.s.clearNotices();
  }

  /** Every batch of this tab's own events, after the stores have it (tests and the benchmark). */
  onEvents(listener: (events: WorkerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current run state, without subscribing. */
  current() {
    return this.s.current();
  }

  dispose(): void {
    this.stopReplay();
    this.offTransport();
    this.crossTab?.close();
    this.transport.dispose();
    this.listeners.clear();
  }

  private engine(): EngineControl {
    const t = this.transport;
    if (!t.selectEngine || !t.listEngines || !t.deleteModelCache)
      throw new Error('Engines are chosen where the graphs run: this connection has no engine to choose.');
    return t as EngineControl;
  }

  private following(userId: string | null): void {
    if (userId === null) this.followedRun = null;
    this.s.setFollowing(userId);
  }

  private onLocal(events: WorkerEvent[]): void {
    this.batches += 1;
    this.s.apply(events);
    this.recordings.push(events);
    this.crossTab?.publish(events);
    // One pass over the batch (most are thousands of tokens): a run's start or end, or the worker
    // saying the saved threads changed.
    let runEdge = false;
    let threadsChanged = false;
    for (const e of events) {
      if (e.type === 'run.started' || isTerminal(e)) runEdge = true;
      else if (e.type === 'threads.changed') threadsChanged = true;
    }
    if (runEdge || threadsChanged) this.refreshThreads().catch(() => {});
    // A history on screen follows its thread's new checkpoints.
    if (runEdge && get(this.s.history).status !== 'idle') void this.loadHistory();
    for (const l of this.listeners) l(events);
  }

  /** Another tab's run: followed live unless this tab is busy with a run or replay of its own. */
  private onRemote(from: string, events: WorkerEvent[]): void {
    this.batches += 1;
    const started = events.find((e) => e.type === 'run.started');
    const current = this.s.current();
    const busy = (current.status === 'running' && current.runId !== this.followedRun) || this.replaying !== null;
    if (started?.type === 'run.started' && !busy) {
      this.followedRun = started.runId;
      this.s.setFollowing(from);
      this.s.begin(started.runId, started.graph, started.streamModes, started.subgraphs);
    }
    if (this.followedRun && events.some((e) => e.runId === this.followedRun)) this.s.apply(events);
    // A run of another tab that ended changed the saved threads (they share IndexedDB).
    if (events.some(isTerminal)) this.refreshThreads().catch(() => {});
  }
}
