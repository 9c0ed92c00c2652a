import {
  TERMINAL_EVENTS,
  type CheckpointInfo,
  type EngineSelection,
  type Endpoint,
  type EventOf,
  type GraphId,
  type GraphInfo,
  type ReplyEvent,
  type ThreadInfo,
  type WorkerEvent,
} from '../protocol';
import { namedError } from '../shared/errors';
import { connect, pageError, type TabgraphClient } from './client';
import type { BenchControl, EngineControl, ResumeRequest, RunRequest, ThreadState, Transport } from './transport';

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

/** The reply of a request, narrowed to the type it must have. */
function expect<K extends ReplyEvent['type']>(reply: ReplyEvent, type: K): EventOf<K> {
  if (reply.type !== type) throw namedError('ProtocolError', `expected a ${type} reply, got ${reply.type}`);
  return reply as unknown as EventOf<K>;
}

/**
 * The page's connection to this tab's worker: the {@link Transport} the controller runs graphs
 * through, plus the worker's engine, and the worker's lifecycle.
 *
 * A worker that crashes, or stops answering during a run, is reported as a failed run (the page
 * never waits forever) and replaced by a fresh worker, so the next run works.
 */
export class Session implements Transport, EngineControl, BenchControl {
  private worker!: WorkerLike;
  private client!: TabgraphClient;
  private lastHeard = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private pingSentAt = 0;
  /** Re-applied to a fresh worker, so a restart keeps the user's engine (a cached model reloads). */
  private lastSelection: EngineSelection | null = null;
  private readonly listeners = new Set<(events: WorkerEvent[]) => void>();
  /** The run this session started that has not ended yet. */
  private activeRun: string | null = null;
  /** False once the worker said its threads live in memory only. */
  persistent = true;
  /** How many workers were started (1 + restarts). */
  workersStarted = 0;

  constructor(private readonly options: SessionOptions) {
    this.startWorker();
  }

  run(req: RunRequest & { runId: string }): void {
    this.client.run(req);
    this.started(req.runId);
  }

  resume(req: ResumeRequest & { runId: string }): void {
    this.client.resume(req);
    this.started(req.runId);
  }

  cancel(runId: string): void {
    if (runId === this.activeRun) this.client.cancel(runId);
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

  async listThreads(): Promise<ThreadInfo[]> {
    const reply = expect(await this.client.request({ type: 'threads.list' }), 'threads');
    this.persistent = reply.persistent;
    return reply.threads;
  }

  async threadState(threadId: string, graph: GraphId, checkpointId?: string): Promise<ThreadState> {
    const reply = expect(
      await this.client.request({ type: 'thread.state', threadId, graph, ...(checkpointId ? { checkpointId } : {}) }),
      'thread.state',
    );
    const { values, next, checkpointId: id, parentId } = reply;
    return { values, next, ...(id ? { checkpointId: id } : {}), ...(parentId ? { parentId } : {}) };
  }

  async history(threadId: string, graph: GraphId): Promise<CheckpointInfo[]> {
    return expect(await this.client.request({ type: 'thread.history', threadId, graph }), 'thread.history').checkpoints;
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.client.request({ type: 'thread.delete', threadId });
  }

  async describe(graph: GraphId): Promise<GraphInfo> {
    const {
      type: _t,
      runId: _r,
      requestId: _q,
      seq: _s,
      ts: _ts,
      ...info
    } = expect(await this.client.request({ type: 'describe', graph }), 'graph.info');
    return info;
  }

  /** Runs a graph inside the worker with nothing relayed (`npm run bench`'s limit). */
  async benchBaseline(req: Pick<RunRequest, 'graph' | 'input' | 'streamModes' | 'subgraphs'>) {
    return expect(await this.client.request({ type: 'bench.baseline', ...req }), 'bench.result');
  }

  async ping(): Promise<void> {
    await this.client.request({ type: 'ping' });
  }

  subscribe(listener: (events: WorkerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws away the worker (and any loaded model) and starts a fresh one. */
  restart(reason: string): void {
    const runId = this.activeRun;
    this.client.failPending(new Error(reason));
    this.client.close();
    this.worker.terminate();
    if (runId) {
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

  private started(runId: string): void {
    this.activeRun = runId;
    this.lastHeard = performance.now();
    this.armWatchdog();
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
    if (events.some((e) => e.runId === this.activeRun && isTerminal(e))) {
      this.activeRun = null;
      this.disarmWatchdog();
    }
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
