/**
 * The {@link Transport} for a LangGraph server (`langgraph dev`, or LangGraph's Agent Server):
 * graphs run there, through the official SDK client, and what it streams is turned into the
 * page's protocol events (`convert.ts`), so the stores and views work as with the tab's worker.
 *
 * This module (with the SDK) is loaded only when the page connects to a server.
 */
import { Client } from '@langchain/langgraph-sdk/client';
import type {
  CheckpointInfo,
  GraphId,
  GraphInfo,
  SerializedError,
  ThreadInfo,
  UnstampedEvent,
  WorkerEvent,
} from '../../protocol';
import { isAbortError, namedError, serializeError } from '../../shared/errors';
import { unavailableGraph } from '../../shared/graphInfo';
// Pure modules of the worker, shared so both transports batch events and list checkpoints alike.
import { EventEmitter } from '../../worker/emitter';
import { checkpointInfos, MAX_HISTORY, type SnapshotLike } from '../../worker/history';
import type { ResumeRequest, RunRequest, ThreadState, Transport } from '../transport';
import {
  TITLE_KEY,
  graphStructure,
  readServerPart,
  serverStreamModes,
  threadInfo,
  titleOf,
  type ServerStreamPart,
  type ServerThread,
} from './convert';

/** What the transport needs of the SDK's `Client` (tests pass a stand-in). */
export interface ServerClient {
  threads: {
    create(payload: { metadata?: Record<string, unknown>; graphId?: string }): Promise<{ thread_id: string }>;
    search(query: {
      limit?: number;
      sortBy?: 'updated_at';
      sortOrder?: 'desc';
      signal?: AbortSignal;
    }): Promise<ServerThread[]>;
    getState(threadId: string, checkpoint?: string, options?: { signal?: AbortSignal }): Promise<ServerState>;
    getHistory(threadId: string, options: { limit: number; signal?: AbortSignal }): Promise<ServerState[]>;
    updateState(
      threadId: string,
      options: { values: unknown; asNode?: string; checkpointId?: string },
    ): Promise<{ configurable?: { checkpoint_id?: string | null } }>;
    delete(threadId: string): Promise<void>;
  };
  runs: {
    stream(
      threadId: string,
      assistantId: string,
      payload: {
        input: Record<string, unknown> | null;
        checkpointId?: string;
        streamMode: never[];
        streamSubgraphs: boolean;
        interruptBefore?: string[] | '*';
        interruptAfter?: string[] | '*';
        signal: AbortSignal;
        onDisconnect: 'cancel';
      },
    ): AsyncIterable<ServerStreamPart>;
    cancel(threadId: string, runId: string, wait?: boolean): Promise<void>;
  };
  assistants: { getGraph(assistantId: string, options: { xray: boolean; signal?: AbortSignal }): Promise<unknown> };
}

export interface ServerTransportOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:2024`. */
  apiUrl: string;
  /** Defaults to the SDK's client for `apiUrl`. */
  client?: ServerClient;
  /**
   * What the page's own registry says of a graph (title, example input, input schema, approval
   * switches), e.g. from the tab's worker: the server knows only the graph's drawing. Without it,
   * the graph's input is edited as JSON.
   */
  describeLocally?: (graph: GraphId) => Promise<GraphInfo>;
  /** Called when the server stops answering (mid-run, or a request fails to connect). */
  onConnectionLost?: (reason: string) => void;
  /** Limit for requests other than runs, in ms. */
  requestTimeoutMs?: number;
}

/** A thread state as the server returns it (`GET /threads/:id/state`, and each of its history). */
export interface ServerState {
  values: unknown;
  next?: string[];
  checkpoint?: { checkpoint_id?: string | null } | null;
  parent_checkpoint?: { checkpoint_id?: string | null } | null;
  metadata?: { step?: unknown; source?: unknown } | null;
  tasks?: { name?: unknown }[];
  created_at?: string | null;
}

/** A run this transport started and has not ended. */
interface ActiveServerRun {
  runId: string;
  threadId?: string;
  serverRunId?: string;
  /** Where a resume starts, when not at the thread's last checkpoint. */
  checkpointId?: string;
  abort: AbortController;
  cancelled: boolean;
}

/** True for the errors `fetch` gives when nothing answers (connection refused, CORS, CSP, DNS). */
const isNetworkError = (err: unknown) =>
  err instanceof TypeError || (typeof err === 'object' && err !== null && (err as Error).name === 'NetworkError');

/** The SDK's HTTP errors carry `status`. */
const statusOf = (err: unknown) =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number'
    ? (err as { status: number }).status
    : undefined;

/** A run on a LangGraph server, reported to the page as protocol events. */
export class ServerTransport implements Transport {
  readonly apiUrl: string;
  private readonly client: ServerClient;
  private readonly listeners = new Set<(events: WorkerEvent[]) => void>();
  private readonly emitter = new EventEmitter((batch) => {
    for (const l of this.listeners) l(batch.events);
  });
  private active: ActiveServerRun | null = null;
  private disposed = false;

  constructor(private readonly options: ServerTransportOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.client =
      options.client ??
      (new Client({
        apiUrl: this.apiUrl,
        apiKey: null,
        // A server that is down should say so at once, not after five backed-off retries.
        callerOptions: { maxRetries: 1 },
      }) satisfies ServerClient);
  }

  run(req: RunRequest & { runId: string }): void {
    this.start(req.runId, req, async (run) => {
      run.threadId =
        req.threadId ??
        (
          await this.client.threads.create({
            metadata: { [TITLE_KEY]: titleOf(req.input) },
            graphId: req.graph,
          })
        ).thread_id;
      return req.input as Record<string, unknown>;
    });
  }

  resume(req: ResumeRequest & { runId: string }): void {
    this.start(req.runId, req, async (run) => {
      run.threadId = req.threadId;
      // As in the worker: from an older checkpoint (time travel) when asked, after an optional
      // update written there as `asNode`, which makes a new branch.
      run.checkpointId = req.checkpointId;
      if (req.update) {
        const written = await this.client.threads.updateState(req.threadId, {
          values: req.update,
          ...(req.asNode ? { asNode: req.asNode } : {}),
          ...(req.checkpointId ? { checkpointId: req.checkpointId } : {}),
        });
        run.checkpointId = written.configurable?.checkpoint_id ?? req.checkpointId;
      }
      return null;
    });
  }

  cancel(runId: string): void {
    const run = this.active;
    if (!run || run.runId !== runId || run.cancelled) return;
    run.cancelled = true;
    // Closing the stream cancels the run server-side (`onDisconnect: 'cancel'`); the explicit
    // cancel covers a server that has already started it. Wait for it (bounded), so a next run
    // on the same thread is not refused as concurrent.
    run.abort.abort(namedError('AbortError', 'The run was cancelled'));
    const stopped =
      run.threadId && run.serverRunId
        ? this.client.runs.cancel(run.threadId, run.serverRunId, true).catch(() => {})
        : Promise.resolve();
    void Promise.race([stopped, new Promise((r) => setTimeout(r, 5_000))]).then(() => this.end(run, 'run.cancelled'));
  }

  async describe(graph: GraphId): Promise<GraphInfo> {
    const local = this.options.describeLocally?.(graph).catch(() => null) ?? Promise.resolve(null);
    let drawing: unknown;
    try {
      drawing = await this.client.assistants.getGraph(graph, { xray: true, signal: this.timeout() });
    } catch (err) {
      if (statusOf(err) === 404 || statusOf(err) === 422)
        return {
          ...unavailableGraph(graph),
          error: {
            name: 'UnknownGraphError',
            message: `The LangGraph server at ${this.apiUrl} has no graph "${graph}" (its langgraph.json does not list it).`,
          },
        };
      throw this.requestError(err, `describe graph "${graph}"`);
    }
    const info = await local;
    const { error: _localError, ...card } = info?.available ? info : unavailableGraph(graph);
    return { ...card, graph, available: true, ...graphStructure(drawing) };
  }

  async listThreads(): Promise<ThreadInfo[]> {
    let threads: ServerThread[];
    try {
      threads = await this.client.threads.search({
        limit: 100,
        sortBy: 'updated_at',
        sortOrder: 'desc',
        signal: this.timeout(),
      });
    } catch (err) {
      throw this.requestError(err, 'list the threads');
    }
    const live = this.active;
    return threads.map((t) => threadInfo(t, live && live.threadId === t.thread_id ? live.runId : undefined));
  }

  async threadState(threadId: string, _graph?: GraphId, checkpointId?: string): Promise<ThreadState> {
    let state: ServerState;
    try {
      state = await this.client.threads.getState(threadId, checkpointId, { signal: this.timeout() });
    } catch (err) {
      throw this.requestError(err, 'read the thread');
    }
    const values =
      state.values && typeof state.values === 'object' && Object.keys(state.values).length ? state.values : null;
    const id = state.checkpoint?.checkpoint_id;
    const parentId = state.parent_checkpoint?.checkpoint_id;

    return { values, next: state.next ?? [], ...(id ? { checkpointId: id } : {}), ...(parentId ? { parentId } : {}) };
  }

  async history(threadId: string): Promise<CheckpointInfo[]> {
    let states: ServerState[];
    try {
      states = await this.client.threads.getHistory(threadId, { limit: MAX_HISTORY, signal: this.timeout() });
    } catch (err) {
      throw this.requestError(err, 'read the thread history');
    }
    return checkpointInfos(states.map(snapshotOf));
  }

  async deleteThread(threadId: string): Promise<void> {
    if (this.active?.threadId === threadId)
      throw namedError('RunActiveError', 'cannot delete a thread while a run is active');
    try {
      await this.client.threads.delete(threadId);
    } catch (err) {
      throw this.requestError(err, 'delete the thread');
    }
  }

  subscribe(listener: (events: WorkerEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.active) this.cancel(this.active.runId);
    this.emitter.close();
    this.listeners.clear();
  }

  // --- runs --------------------------------------------------------------------------------------

  /** Starts a run: `prepare` binds its thread (and returns its input); then it streams to the end. */
  private start(
    runId: string,
    req: RunRequest | ResumeRequest,
    prepare: (run: ActiveServerRun) => Promise<Record<string, unknown> | null>,
  ): void {
    if (this.disposed) throw namedError('TransportClosedError', 'this server connection is closed');
    if (this.active) {
      this.emit({
        type: 'run.rejected',
        runId,
        error: {
          name: 'RunActiveError',
          message: `Run ${this.active.runId} is still active: wait for it to end or cancel it before starting another.`,
        },
      });
      return;
    }
    const run: ActiveServerRun = { runId, abort: new AbortController(), cancelled: false };
    this.active = run;
    void this.drive(run, req, prepare);
  }

  private async drive(
    run: ActiveServerRun,
    req: RunRequest | ResumeRequest,
    prepare: (run: ActiveServerRun) => Promise<Record<string, unknown> | null>,
  ): Promise<void> {
    let input: Record<string, unknown> | null;
    try {
      input = await prepare(run);
    } catch (err) {
      // Nothing ran: the run is refused, as the worker refuses a run it cannot start.
      if (!run.cancelled) this.end(run, 'run.rejected', this.requestError(err, 'start the run'));
      return;
    }
    if (run.cancelled) return;
    const { runId, threadId } = run;
    this.emit({
      type: 'run.started',
      runId,
      graph: req.graph,
      streamModes: req.streamModes,
      subgraphs: req.subgraphs,
      ...(threadId ? { threadId } : {}),
    });
    let failure: SerializedError | null = null;
    try {
      const parts = this.client.runs.stream(threadId!, req.graph, {
        input,
        ...(run.checkpointId ? { checkpointId: run.checkpointId } : {}),
        streamMode: serverStreamModes(req.streamModes) as never[],
        streamSubgraphs: req.subgraphs,
        ...(req.interruptBefore ? { interruptBefore: breakpoints(req.interruptBefore) } : {}),
        ...(req.interruptAfter ? { interruptAfter: breakpoints(req.interruptAfter) } : {}),
        signal: run.abort.signal,
        onDisconnect: 'cancel',
      });
      for await (const raw of parts) {
        if (run.cancelled) return;
        const part = readServerPart(raw);
        if (part.kind === 'metadata') run.serverRunId = part.runId;
        else if (part.kind === 'error') failure ??= part.error;
        else if (part.kind === 'stream')
          this.emit({ type: 'stream', runId, mode: part.mode, ns: part.ns, chunk: part.chunk });
        else if (part.kind === 'custom')
          this.emit({ type: 'custom', runId, name: part.name, ns: part.ns, node: part.node, data: part.data });
      }
      if (run.cancelled) return;
      if (failure) return this.end(run, 'run.failed', failure);
      const state = await this.client.threads.getState(threadId!, undefined, { signal: this.timeout() });
      if (run.cancelled) return;
      if (state.next?.length) this.end(run, 'run.interrupted', undefined, state.next);
      else this.end(run, 'run.completed');
    } catch (err) {
      if (run.cancelled || (run.abort.signal.aborted && isAbortError(err))) return;
      this.end(run, 'run.failed', this.runError(err));
    }
  }

  /** Emits the run's one terminal event and frees the transport for the next run. */
  private end(
    run: ActiveServerRun,
    type: 'run.completed' | 'run.interrupted' | 'run.cancelled' | 'run.failed' | 'run.rejected',
    error?: SerializedError,
    next?: string[],
  ): void {
    if (this.active === run) this.active = null;
    const { runId, threadId } = run;
    if (type === 'run.failed' || type === 'run.rejected') this.emit({ type, runId, error: error! });
    else if (type === 'run.interrupted')
      this.emit({ type, runId, next: next ?? [], ...(threadId ? { threadId } : {}) });
    else this.emit({ type, runId });
  }

  private emit(event: UnstampedEvent): void {
    if (!this.disposed) this.emitter.emit(event);
  }

  // --- errors ------------------------------------------------------------------------------------

  private timeout(): AbortSignal {
    return AbortSignal.timeout(this.options.requestTimeoutMs ?? 15_000);
  }

  /** A failed request as an error the page can show. */
  private requestError(err: unknown, what: string): SerializedError {
    if (isNetworkError(err) || (err as Error)?.name === 'TimeoutError') {
      const reason = `The LangGraph server at ${this.apiUrl} did not answer (could not ${what}): it may have stopped, or refuse this page's origin.`;
      this.options.onConnectionLost?.(reason);
      return { name: 'ServerUnreachableError', message: reason };
    }
    const e = serializeError(err);
    return { ...e, message: `The LangGraph server could not ${what}: ${e.message}` };
  }

  /** A run cut off mid-stream: a dropped connection says so plainly. */
  private runError(err: unknown): SerializedError {
    if (isNetworkError(err) || /network|fetch|terminated|socket/i.test(String((err as Error)?.message))) {
      const reason = `The connection to the LangGraph server at ${this.apiUrl} was lost during the run (${serializeError(err).message}). Reconnect, or run in this tab.`;
      this.options.onConnectionLost?.(reason);
      return { name: 'ServerConnectionLostError', message: reason };
    }
    return serializeError(err);
  }
}

/** `['*']` means every node; the server spells it `'*'`, as LangGraph does. */
const breakpoints = (nodes: string[]): string[] | '*' => (nodes.includes('*') ? '*' : nodes);

/** A server state in the shape the worker's history reader takes (LangGraph's `StateSnapshot`). */
function snapshotOf(s: ServerState): SnapshotLike {
  return {
    config: { configurable: { checkpoint_id: s.checkpoint?.checkpoint_id } },
    parentConfig: { configurable: { checkpoint_id: s.parent_checkpoint?.checkpoint_id } },
    metadata: s.metadata ?? {},
    next: s.next ?? [],
    tasks: s.tasks ?? [],
    createdAt: s.created_at ?? undefined,
  };
}
