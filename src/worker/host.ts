import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import type { Command, Endpoint, ResumeCommand, RunCommand, UnstampedEvent } from '../protocol';
import { namedError, serializeError } from '../shared/errors';
import { parseCommand } from '../shared/validate';
import { toPlain } from '../shared/plain';
import type { EngineManager } from '../engines/types';
import { setEngineProvider } from '../llm/engine';
import { measureBaseline } from './baseline';
import { unavailableGraph } from '../shared/graphInfo';
import { describeGraph } from './describe';
import { DEFAULT_BATCH_POLICY, EventEmitter, type BatchPolicy } from './emitter';
import { packBatch } from '../shared/packing';
import { parseRunInput } from './input';
import { GraphRegistry, type GraphEntry } from './registry';
import { executeRun, type ActiveRun } from './run';
import type { ThreadBook } from './threads';
import { reportingUsage } from './usage';
import { threadHistory } from './history';

/** What a host serves: its graphs, engines and (optionally) saved threads. */
export interface HostOptions {
  /** The graphs of `langgraph.json` (the build's registry), imported when first used. */
  graphs: readonly GraphEntry[];
  engines: EngineManager;
  /** Saves checkpoints so threads can be resumed; without one each run stands alone. */
  checkpointer?: BaseCheckpointSaver;
  /** Keeps the thread list; needs the checkpointer. */
  threads?: ThreadBook;
  /** False when threads live in memory only (no IndexedDB): the page says they will not persist. */
  persistent?: boolean;
  batch?: BatchPolicy;
  /** How long a cancelled run may take to wind down before `run.cancelled` is sent anyway. */
  cancelGraceMs?: number;
}

/** A running host; `close()` detaches it from its endpoint. */
export interface Host {
  close(): void;
  /** Posts everything queued now (tests and shutdown). */
  flush(): void;
  /** True while a run is starting or going. */
  running(): boolean;
}

/**
 * Serves the protocol on an endpoint (the worker's global scope, or a MessagePort in tests).
 *
 * One run at a time: a `run` or `resume` that arrives while another run is active is refused with
 * `run.rejected` (the page disables Run meanwhile; nothing is queued silently).
 */
export function serve(endpoint: Endpoint, options: HostOptions): Host {
  // Across the boundary token events go packed (`src/shared/packing.ts`); the page unpacks them.
  const emitter = new EventEmitter(
    (batch) => endpoint.postMessage(packBatch(batch.events)),
    options.batch ?? DEFAULT_BATCH_POLICY,
  );
  const emit = (event: UnstampedEvent) => emitter.emit(event);
  const registry = new GraphRegistry(options.graphs, options.checkpointer);
  // A thread marked interrupted late (its tab was still going away) is news to the page.
  const offThreads = options.threads?.subscribe(() => emit({ type: 'threads.changed', runId: null }));
  let active: ActiveRun | null = null;
  /**
   * A run loading its graph or waiting for its thread (put on record, its lock free); it counts as
   * active, so a second run is refused.
   */
  let starting: string | null = null;
  /** A cancel that arrived while its run was still starting. */
  let pendingCancel: string | null = null;
  /** Ends the starting run's wait for its thread's lock. */
  let stopWaiting: (() => void) | null = null;
  // Graph code asks `currentEngine()`; here that is the manager's engine, reporting usage per run.
  const restoreEngine = setEngineProvider(() =>
    reportingUsage(options.engines.current(), emit, () => active?.runId ?? null),
  );

  async function startRun(cmd: RunCommand | ResumeCommand): Promise<void> {
    const busy = active?.runId ?? starting;
    if (busy) {
      emit({
        type: 'run.rejected',
        runId: cmd.runId,
        error: {
          name: 'RunActiveError',
          message: `Run ${busy} is still active: wait for it to end or cancel it before starting another.`,
        },
      });
      return;
    }
    let input: Record<string, unknown> | null = null;
    let loaded;
    // With a checkpointer every run is a thread: its own, unless it continues one.
    const threadId = cmd.threadId ?? (options.checkpointer ? cmd.runId : undefined);
    const book = threadId ? options.threads : undefined;
    starting = cmd.runId;
    try {
      loaded = await registry.get(cmd.graph);
      if (cmd.type === 'run') input = await parseRunInput(loaded, cmd.input);
      if ((cmd.type === 'resume' || cmd.threadId) && !options.checkpointer)
        throw namedError('NoCheckpointerError', 'threads need a checkpointer, and this worker has none');
      // The thread is on record, its lock held, before the run makes anything: a tab that goes
      // away a moment after the first token leaves an interrupted thread, not checkpoints that
      // no list names. While another tab runs the thread this run waits its turn, and a cancel
      // ends the wait; a record that cannot be written does not stop the run.
      if (book) {
        const waiting = new AbortController();
        stopWaiting = () => waiting.abort();
        if (pendingCancel === cmd.runId) waiting.abort();
        const onWait = () => emit({ type: 'run.waiting', runId: cmd.runId, threadId: threadId! });
        const cancelled = await book
          .started(threadId!, cmd.runId, cmd.graph, input, { signal: waiting.signal, onWait })
          .then(
            () => false,
            () => waiting.signal.aborted,
          );
        if (cancelled) {
          pendingCancel = null;
          emit({ type: 'run.cancelled', runId: cmd.runId });
          return;
        }
      }
    } catch (err) {
      emit({ type: 'run.rejected', runId: cmd.runId, error: serializeError(err) });
      return;
    } finally {
      starting = null;
      stopWaiting = null;
    }
    const graph = loaded.graph;
    const run = executeRun({
      cmd,
      graph,
      input,
      emitter,
      threadId,
      engine: reportingUsage(options.engines.current(), emit, () => cmd.runId),
      cancelGraceMs: options.cancelGraceMs ?? 2000,
      beforeEnd: async (status) => {
        await book?.ended(threadId!, cmd.runId, status);
      },
    });
    active = run;
    if (pendingCancel === run.runId) run.cancel();
    pendingCancel = null;
    void run.done.finally(() => {
      if (active === run) active = null;
    });
  }

  async function reply(requestId: string, fn: () => Promise<UnstampedEvent | null>): Promise<void> {
    try {
      const event = await fn();
      emit(event ?? { type: 'ack', runId: null, requestId, ok: true });
    } catch (err) {
      emit({ type: 'ack', runId: null, requestId, ok: false, error: serializeError(err) });
    }
  }

  function handle(cmd: Command): void {
    switch (cmd.type) {
      case 'run':
      case 'resume':
        void startRun(cmd);
        return;
      case 'cancel':
        if (active && active.runId === cmd.runId) active.cancel();
        else if (starting === cmd.runId) {
          pendingCancel = cmd.runId;
          stopWaiting?.();
        } else
          emit({
            type: 'error',
            runId: null,
            context: 'cancel',
            error: { name: 'UnknownRunError', message: `cannot cancel run "${cmd.runId}": it is not active` },
          });
        return;
      case 'describe':
        void reply(cmd.requestId, async () => {
          if (!registry.has(cmd.graph))
            throw namedError('UnknownGraphError', `There is no graph "${cmd.graph}" in langgraph.json.`);
          const info = await registry.get(cmd.graph).then(describeGraph, (err) => unavailableGraph(cmd.graph, err));
          return { type: 'graph.info', runId: null, requestId: cmd.requestId, ...info };
        });
        return;
      case 'engine.select':
        void reply(cmd.requestId, async () => {
          if (active) throw namedError('RunActiveError', 'cannot switch engines while a run is active');
          const { kind, modelId } = cmd.selection;
          emit({ type: 'engine.state', runId: null, kind, status: 'loading', modelId });
          try {
            const engine = await options.engines.select(cmd.selection, (p) =>
              emit({
                type: 'engine.progress',
                runId: null,
                modelId: p.modelId,
                text: p.text,
                progress: p.progress,
                timeElapsed: p.timeElapsed,
              }),
            );
            emit({ type: 'engine.state', runId: null, kind: engine.kind, status: 'ready', modelId: engine.modelId });
          } catch (err) {
            // The manager keeps (or falls back to) the demo engine, so the app stays usable.
            emit({ type: 'engine.state', runId: null, kind, status: 'failed', modelId, error: serializeError(err) });
            throw err;
          }
          return null;
        });
        return;
      case 'engine.list':
        void reply(cmd.requestId, async () => ({
          type: 'engine.list',
          runId: null,
          requestId: cmd.requestId,
          ...(await options.engines.list()),
        }));
        return;
      case 'engine.deleteCache':
        void reply(cmd.requestId, async () => {
          await options.engines.deleteCache(cmd.modelId, cmd.modelBaseUrl);
          // Deleting the loaded model unloads it first: say which engine serves now.
          const now = options.engines.current();
          emit({ type: 'engine.state', runId: null, kind: now.kind, status: 'ready', modelId: now.modelId });
          return null;
        });
        return;
      case 'bench.baseline':
        void reply(cmd.requestId, async () => {
          if (active) throw namedError('RunActiveError', 'cannot benchmark while a run is active');
          const loaded = await registry.get(cmd.graph);
          const input = await parseRunInput(loaded, cmd.input);
          const result = await measureBaseline(loaded.graph, input, cmd.streamModes, cmd.subgraphs);
          return { type: 'bench.result', runId: null, requestId: cmd.requestId, ...result };
        });
        return;
      case 'threads.list':
        void reply(cmd.requestId, async () => ({
          type: 'threads',
          runId: null,
          requestId: cmd.requestId,
          threads: options.threads ? await options.threads.list() : [],
          persistent: options.persistent ?? true,
        }));
        return;
      case 'thread.state':
        void reply(cmd.requestId, async () => {
          const { graph } = await registry.get(cmd.graph);
          if (!options.checkpointer) throw namedError('NoCheckpointerError', 'this worker saves no threads');
          const at = cmd.checkpointId ? { checkpoint_id: cmd.checkpointId } : {};
          const state = (await graph.getState({ configurable: { thread_id: cmd.threadId, ...at } })) as {
            values: unknown;
            next: string[];
            config?: { configurable?: { checkpoint_id?: string } };
            parentConfig?: { configurable?: { checkpoint_id?: string } };
          };
          const values = state.values && Object.keys(state.values as object).length ? toPlain(state.values) : null;
          const checkpointId = state.config?.configurable?.checkpoint_id;
          const parentId = state.parentConfig?.configurable?.checkpoint_id;
          return {
            type: 'thread.state',
            runId: null,
            requestId: cmd.requestId,
            threadId: cmd.threadId,
            values,
            next: state.next,
            ...(checkpointId ? { checkpointId } : {}),
            ...(parentId ? { parentId } : {}),
          };
        });
        return;
      case 'thread.history':
        void reply(cmd.requestId, async () => {
          const { graph } = await registry.get(cmd.graph);
          if (!options.checkpointer) throw namedError('NoCheckpointerError', 'this worker saves no threads');
          const checkpoints = await threadHistory(graph, cmd.threadId);
          return { type: 'thread.history', runId: null, requestId: cmd.requestId, threadId: cmd.threadId, checkpoints };
        });
        return;
      case 'thread.delete':
        void reply(cmd.requestId, async () => {
          if (active) throw namedError('RunActiveError', 'cannot delete a thread while a run is active');
          await options.threads?.delete(cmd.threadId);
          return null;
        });
        return;
      case 'ping':
        emit({ type: 'ack', runId: null, requestId: cmd.requestId, ok: true });
        return;
      default: {
        const never: never = cmd;
        void never;
      }
    }
  }

  const onMessage = (ev: MessageEvent) => {
    const parsed = parseCommand(ev.data);
    if (!parsed.ok) {
      const data = ev.data as { runId?: unknown } | null;
      const runId = typeof data?.runId === 'string' && !emitter.hasEnded(data.runId) ? data.runId : null;
      // A malformed run command still gets a terminal answer, so the page never waits forever.
      if (runId && (data as { type?: unknown }).type === 'run' && !active)
        emit({ type: 'run.rejected', runId, error: { name: 'ProtocolError', message: parsed.error } });
      else
        emit({
          type: 'error',
          runId: null,
          context: 'command',
          error: { name: 'ProtocolError', message: parsed.error },
        });
      return;
    }
    handle(parsed.value);
  };
  endpoint.addEventListener('message', onMessage);
  endpoint.start?.();

  return {
    flush: () => emitter.flush(),
    running: () => active !== null || starting !== null,
    close: () => {
      endpoint.removeEventListener('message', onMessage);
      active?.cancel();
      offThreads?.();
      emitter.close();
      restoreEngine();
    },
  };
}
