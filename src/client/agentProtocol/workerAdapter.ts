/**
 * This tab's worker as a transport for LangGraph's official client: an `AgentServerAdapter`
 * (`@langchain/langgraph-sdk`, `dist/client/stream/transport.d.ts`), the interface `useStream`
 * (`@langchain/svelte`, `@langchain/react`, ...) and the SDK's `StreamController` accept in place
 * of an HTTP server. Commands become the page's own run commands; the run's events are translated
 * into the agent protocol's event frames (`toAgentEvents.ts`).
 *
 * Two things the official client does not route through its adapter, even with one set, are
 * covered by {@link workerClient}: `stop()` cancels with `client.runs.cancel` over HTTP, and
 * hydrating an existing thread reads `client.threads.getHistory` over HTTP.
 */
import { Client, matchesSubscription, type AgentServerAdapter } from '@langchain/langgraph-sdk/client';
import type {
  Command,
  CommandResponse,
  ErrorResponse,
  Event as AgentEvent,
  SubscribeParams,
} from '@langchain/protocol';
import type { GraphId, StreamMode, WorkerEvent } from '../../protocol';
import { errorText } from '../../shared/errors';
import { newRunId } from '../client';
import type { Transport } from '../transport';
import { AgentEventTranslator } from './toAgentEvents';

/** The stream modes a run is asked for: everything the protocol has a channel for. */
const MODES: StreamMode[] = ['values', 'updates', 'messages', 'custom', 'tasks', 'tools'];
/** Most events kept for replay to late subscribers (the SDK re-opens streams when filters widen). */
const MAX_BUFFER = 20_000;

export interface WorkerAgentServerAdapterOptions {
  /** The graph whose threads are read before any run names one (the `assistantId`). */
  graph?: GraphId;
  /** Namespaces of subgraphs come too (default true). */
  subgraphs?: boolean;
  /** Pause before / after these nodes on every run (approval); resume with `submit(null)`. */
  interruptBefore?: string[];
  interruptAfter?: string[];
}

/** One filtered stream the SDK opened. */
interface OpenStream {
  filter: SubscribeParams;
  queue: AgentEvent[];
  waiting: ((r: IteratorResult<AgentEvent>) => void)[];
  closed: boolean;
}

/** The tab's worker (any {@link Transport}) behind LangGraph's agent protocol. */
export class WorkerAgentServerAdapter implements AgentServerAdapter {
  threadId = '';
  private readonly streams = new Set<OpenStream>();
  private buffer: AgentEvent[] = [];
  private translator = new AgentEventTranslator();
  /** The run going on (the page's run id), and its graph. */
  private active: { runId: string; graph: GraphId } | null = null;
  private off: (() => void) | null = null;

  constructor(
    private readonly transport: Pick<Transport, 'run' | 'resume' | 'cancel' | 'threadState' | 'history' | 'subscribe'>,
    private readonly options: WorkerAgentServerAdapterOptions = {},
  ) {}

  /** Binds the adapter to a thread (a new thread id from the SDK is created by its first run). */
  setThreadId(threadId: string): void {
    if (threadId === this.threadId) return;
    this.threadId = threadId;
    this.buffer = [];
    this.translator = new AgentEventTranslator();
  }

  async open(): Promise<void> {
    this.off ??= this.transport.subscribe((events) => this.onEvents(events));
  }

  async send(command: Command): Promise<CommandResponse | ErrorResponse> {
    await this.open();
    const ok = (result: Record<string, unknown> = {}): CommandResponse => ({ type: 'success', id: command.id, result });
    const fail = (error: ErrorResponse['error'], message: string): ErrorResponse => ({
      type: 'error',
      id: command.id,
      error,
      message,
    });
    const params = (command.params ?? {}) as Record<string, unknown>;
    try {
      switch (command.method) {
        case 'run.start': {
          const graph = String(params.assistant_id ?? '');
          // `submit(null)` continues a paused thread, as a LangGraph server does.
          const runId = params.input == null ? this.resume(graph) : this.start(graph, params.input);
          return ok({ run_id: runId });
        }
        case 'input.respond': {
          const update = isRecord(params.update)
            ? params.update
            : isRecord(params.response)
              ? params.response
              : undefined;
          const graph = this.graph ?? String(params.assistant_id ?? '');
          return ok({ run_id: this.resume(graph, update) });
        }
        case 'state.get': {
          const state = await this.getState();
          return ok({ values: state?.values ?? {} });
        }
        case 'subscription.subscribe':
          // Only reached without openEventStream; every stream here is per-subscription.
          return ok({ subscription_id: `sub-${command.id}` });
        case 'subscription.unsubscribe':
          return ok();
        default:
          return fail('not_supported', `${command.method} is not supported by the tab's worker`);
      }
    } catch (err) {
      return fail('invalid_argument', errorText(err));
    }
  }

  /** Everything arrives through {@link openEventStream}; this shared stream stays empty. */
  events(): AsyncIterable<AgentEvent> {
    return { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) };
  }

  openEventStream(filter: SubscribeParams) {
    const stream: OpenStream = { filter, queue: [], waiting: [], closed: false };
    this.streams.add(stream);
    // Replay: the SDK opens (and re-opens, wider) streams after the run started.
    for (const e of this.buffer) this.deliver(stream, e);
    const close = () => {
      stream.closed = true;
      this.streams.delete(stream);
      for (const w of stream.waiting.splice(0)) w({ done: true, value: undefined });
    };
    const next = (): Promise<IteratorResult<AgentEvent>> => {
      const e = stream.queue.shift();
      if (e) return Promise.resolve({ done: false, value: e });
      if (stream.closed) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve) => stream.waiting.push(resolve));
    };
    return {
      ready: Promise.resolve(),
      close,
      events: {
        [Symbol.asyncIterator]: () => ({
          next,
          return: async () => (close(), { done: true as const, value: undefined }),
        }),
      },
    };
  }

  async close(): Promise<void> {
    this.off?.();
    this.off = null;
    for (const s of [...this.streams]) {
      s.closed = true;
      for (const w of s.waiting.splice(0)) w({ done: true, value: undefined });
    }
    this.streams.clear();
  }

  /** The graph of the thread: its last run's, else the configured one. */
  private get graph(): GraphId | undefined {
    return this.active?.graph ?? this.options.graph;
  }

  /** The thread's last state (the worker's checkpoint); null for a thread that has none yet. */
  async getState<StateType = unknown>() {
    const graph = this.graph;
    if (!this.threadId || !graph) return null;
    const state = await this.transport.threadState(this.threadId, graph);
    if (state.values === null) return null;
    return {
      values: state.values as StateType,
      next: state.next,
      checkpoint: state.checkpointId ? { checkpoint_id: state.checkpointId } : null,
      parent_checkpoint: state.parentId ? { checkpoint_id: state.parentId } : null,
    };
  }

  /** The thread's checkpoints, newest first, each with its values. */
  async getHistory<StateType = unknown>(options?: { limit?: number }) {
    const graph = this.graph;
    if (!this.threadId || !graph || !this.transport.history) return [];
    const list = await this.transport.history(this.threadId, graph);
    const slice = list.slice(0, options?.limit ?? list.length);
    return Promise.all(
      slice.map(async (c) => ({
        values: (await this.transport.threadState(this.threadId, graph, c.checkpointId)).values as StateType,
        checkpoint: { checkpoint_id: c.checkpointId },
      })),
    );
  }

  /** Stops a run the SDK started (`stop()`); see {@link workerClient}. */
  cancel(runId: string): void {
    this.transport.cancel(runId);
  }

  // -----------------------------------------------------------------------------------------------

  private start(graph: GraphId, input: unknown): string {
    const runId = newRunId();
    this.active = { runId, graph };
    this.transport.run({ ...this.runOptions(), runId, graph, input, threadId: this.threadId || undefined });
    return runId;
  }

  private resume(graph: GraphId, update?: Record<string, unknown>): string {
    const runId = newRunId();
    this.active = { runId, graph };
    this.transport.resume({
      ...this.runOptions(),
      runId,
      graph,
      threadId: this.threadId,
      ...(update ? { update } : {}),
    });
    return runId;
  }

  private runOptions() {
    const { subgraphs = true, interruptBefore, interruptAfter } = this.options;
    return {
      streamModes: MODES,
      subgraphs,
      ...(interruptBefore ? { interruptBefore } : {}),
      ...(interruptAfter ? { interruptAfter } : {}),
    };
  }

  private onEvents(events: WorkerEvent[]): void {
    for (const e of events) {
      if (!this.active || e.runId !== this.active.runId) continue;
      for (const out of this.translator.translate(e)) {
        if (this.buffer.length < MAX_BUFFER) this.buffer.push(out);
        for (const s of this.streams) this.deliver(s, out);
      }
    }
  }

  private deliver(stream: OpenStream, e: AgentEvent): void {
    if (stream.closed || !matchesSubscription(e, stream.filter)) return;
    const waiter = stream.waiting.shift();
    if (waiter) waiter({ done: false, value: e });
    else stream.queue.push(e);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A client for `useStream({ transport: adapter, client })`: the SDK's `Client`, with the two
 * calls the official stream controller makes over HTTP even when it has a custom adapter routed
 * to the adapter instead (cancel on `stop()`, and the history read when it hydrates a thread).
 */
export function workerClient(adapter: WorkerAgentServerAdapter): Client {
  // No server behind it: an address that cannot resolve, so a stray request fails at once.
  const client = new Client({ apiUrl: 'http://tabgraph-worker.invalid', apiKey: null });
  client.runs.cancel = async (_threadId: string, runId: string) => adapter.cancel(runId);
  client.threads.getHistory = (async (_threadId: string, options?: { limit?: number }) =>
    adapter.getHistory(options)) as unknown as Client['threads']['getHistory'];
  return client;
}
