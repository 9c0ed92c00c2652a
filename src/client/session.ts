import type { EngineSelection, Endpoint, GraphId, StreamMode, WorkerEvent } from '../protocol';
import { connect, newRunId, pageError, type TabgraphClient } from './client';
import { get } from 'svelte/store';
import { TERMINAL_EVENTS } from '../protocol';
import { createSessionStores, type SessionStores } from './stores';

const TERMINAL = new Set<string>(TERMINAL_EVENTS);
const isTerminal = (e: WorkerEvent) => TERMINAL.has(e.type);

/**
 * A relative model base URL means "on this site": resolve it against the page, not the worker
 * script (which lives under assets/). Unparsable values go through for the worker to refuse.
 */
function withAbsoluteBaseUrl(selection: EngineSelection): EngineSelection {
  const base = selection.modelBaseUrl?.trim();
  if (!base || typeof location === 'undefined') return selection;
  try {
    return { ...selection, modelBaseUrl: new URL(base, location.href).href };
  } catch {
    return selection;
  }
}

/** What the session needs from a worker: an endpoint it can also terminate and watch for crashes. */
export interface WorkerLike extends Endpoint {
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: MessageEvent & ErrorEvent) => void): void;
  removeEventListener(
    type: 'message' | 'error' | 'messageerror',
    listener: (ev: MessageEvent & ErrorEvent) => void,
  ): void;
}

export interface SessionOptions {
  createWorker: () => WorkerLike;
  /** While a run is active and the worker is silent this long, it is pinged. */
  silenceMs?: number;
  /** A ping unanswered this long means the worker is wedged: it is replaced. */
  pingTimeoutMs?: number;
}

export interface RunRequest {
  graph: GraphId;
  input: unknown;
  streamModes: StreamMode[];
  subgraphs: boolean;
  threadId?: string;
  interruptBefore?: string[];
}

/**
 * The page's whole connection to the worker: stores, the client, and the worker's lifecycle.
 *
 * A worker that crashes, or stops answering during a run, is reported as a failed run (the page
 * never waits forever) and replaced by a fresh worker, so the next run works.
 */
export class Session {
  readonly stores: SessionStores;
  private worker!: WorkerLike;
  private client!: TabgraphClient;
  private lastHeard = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private pingSentAt = 0;
  /** Re-applied to a fresh worker, so a restart keeps the user's engine (a cached model reloads). */
  private lastSelection: EngineSelection | null = null;
  private readonly listeners = new Set<(events: WorkerEvent[]) => void>();
  /** How many workers were started (1 + restarts). */
  workersStarted = 0;

  constructor(private readonly options: SessionOptions) {
    this.stores = createSessionStores();
    this.startWorker();
    this.refreshThreads().catch(() => {});
  }

  /** Starts a run and returns its id. */
  run(req: RunRequest): string {
    const runId = newRunId();
    this.stores.begin(runId, req.graph, req.streamModes, req.subgraphs);
    if (!this.send(runId, () => this.client.run({ ...req, runId }))) return runId;
    this.lastHeard = performance.now();
    this.armWatchdog();
    return runId;
  }

  /** Resumes a paused thread (human approval), optionally updating its state first. */
  resume(
    req: Omit<RunRequest, 'input'> & { threadId: string; update?: Record<string, unknown>; asNode?: string },
  ): string {
    const runId = newRunId();
    this.stores.begin(runId, req.graph, req.streamModes, req.subgraphs);
    if (!this.send(runId, () => this.client.resume({ ...req, runId }))) return runId;
    this.armWatchdog();
    return runId;
  }

  cancel(): void {
    const { runId, status } = this.stores.current();
    if (runId && status === 'running') this.client.cancel(runId);
  }

  selectEngine(selection: EngineSelection) {
    selection = withAbsoluteBaseUrl(selection);
    this.lastSelection = selection;
    return this.client.request({ type: 'engine.select', selection });
  }

  listEngines() {
    return this.client.request({ type: 'engine.list' });
  }

  deleteModelCache(modelId: string, modelBaseUrl?: string) {
    return this.client.request({ type: 'engine.deleteCache', modelId, modelBaseUrl });
  }

  /** Refreshes the thread list store from the worker's IndexedDB history. */
  async refreshThreads(): Promise<void> {
    const reply = await this.client.request({ type: 'threads.list' });
    if (reply.type === 'threads') this.stores.setThreads(reply.threads);
  }

  /** Loads a saved thread's last state into the run view. */
  async openThread(threadId: string): Promise<void> {
    const info = get(this.stores.threads).find((t) => t.threadId === threadId);
    const graph = info?.graph ?? 'schema';
    const reply = await this.client.request({ type: 'thread.state', threadId, graph });
    if (reply.type !== 'thread.state') return;
    this.stores.restore({
      threadId,
      graph,
      status: info?.lastStatus ?? 'completed',
      values: reply.values,
      next: reply.next,
    });
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.client.request({ type: 'thread.delete', threadId });
    await this.refreshThreads();
  }

  describe(graph: GraphId) {
    return this.client.request({ type: 'describe', graph });
  }

  /** Runs a graph inside the worker with nothing relayed (`npm run bench`'s limit); answers `bench.result`. */
  benchBaseline(req: Pick<RunRequest, 'graph' | 'input' | 'streamModes' | 'subgraphs'>) {
    return this.client.request({ type: 'bench.baseline', ...req });
  }

  /** Every batch, after the stores have it (recording, cross-tab relay). */
  onEvents(listener: (events: WorkerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws away the worker (and any loaded model) and starts a fresh one. */
  restart(reason: string): void {
    const { runId, status } = this.stores.current();
    this.client.failPending(new Error(reason));
    this.client.close();
    this.worker.terminate();
    if (runId && status === 'running') {
      const failed: WorkerEvent = {
        type: 'run.failed',
        runId,
        seq: Number.MAX_SAFE_INTEGER,
        ts: performance.timeOrigin + performance.now(),
        error: { name: 'WorkerCrashedError', message: reason },
      };
      this.deliver([failed]);
    }
    this.startWorker();
    if (this.lastSelection) this.selectEngine(this.lastSelection).catch(() => {});
  }

  dispose(): void {
    this.disarmWatchdog();
    this.client.close();
    this.worker.terminate();
    this.listeners.clear();
  }

  /** Sends a run command; if it cannot be sent (e.g. uncloneable input), the run fails at once. */
  private send(runId: string, post: () => void): boolean {
    try {
      post();
      return true;
    } catch (err) {
      const e = err as { name?: string; message?: string };
      this.deliver([
        {
          type: 'run.rejected',
          runId,
          seq: Number.MAX_SAFE_INTEGER,
          ts: performance.timeOrigin + performance.now(),
          error: { name: e?.name ?? 'Error', message: `The run could not be sent to the worker: ${e?.message ?? err}` },
        },
      ]);
      return false;
    }
  }

  private startWorker(): void {
    this.workersStarted += 1;
    const worker = this.options.createWorker();
    this.worker = worker;
    this.client = connect(worker);
    this.client.subscribe((events) => {
      this.lastHeard = performance.now();
      this.pingSentAt = 0;
      this.deliver(events);
    });
    worker.addEventListener('error', (ev) => {
      if (this.worker !== worker) return;
      ev.preventDefault?.();
      this.restart(`The worker crashed: ${ev.message || 'unknown error'}. A fresh worker was started.`);
    });
    worker.addEventListener('messageerror', () => {
      this.deliver([pageError('message', 'a message from the worker could not be deserialized')]);
    });
  }

  private deliver(events: WorkerEvent[]): void {
    this.stores.apply(events);
    if (this.stores.current().status !== 'running') this.disarmWatchdog();
    if (events.some((e) => e.type === 'run.started' || isTerminal(e))) this.refreshThreads().catch(() => {});
    for (const l of this.listeners) l(events);
  }

  private armWatchdog(): void {
    if (this.watchdog) return;
    const silenceMs = this.options.silenceMs ?? 10_000;
    const pingTimeoutMs = this.options.pingTimeoutMs ?? 10_000;
    this.watchdog = setInterval(
      () => {
        const now = performance.now();
        if (this.pingSentAt && now - this.pingSentAt > pingTimeoutMs) {
          this.restart(
            `The worker stopped answering for ${Math.round((now - this.lastHeard) / 1000)} s. A fresh worker was started.`,
          );
          this.disarmWatchdog();
        } else if (!this.pingSentAt && now - this.lastHeard > silenceMs) {
          this.pingSentAt = now;
          this.client.request({ type: 'ping' }).catch(() => {});
        }
      },
      Math.min(1000, silenceMs / 2),
    );
  }

  private disarmWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.pingSentAt = 0;
  }
}
