import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import type { Command, Endpoint, GraphId, ResumeCommand, RunCommand, UnstampedEvent } from '../protocol';
import { namedError, serializeError } from '../shared/errors';
import { parseCommand } from '../shared/validate';
import { DEFAULT_BATCH_POLICY, EventEmitter, type BatchPolicy } from './emitter';
import type { EngineManager } from '../engines/types';
import type { GraphContext, GraphDefinition, RunnableGraph } from '../graphs/types';
import { describeGraph } from './describe';
import { executeRun, type ActiveRun } from './run';
import { reportingUsage } from './usage';
import { measureBaseline } from './baseline';
import type { ThreadBook } from './threads';
import { toPlain } from '../shared/plain';

export interface HostOptions {
  graphs: Partial<Record<GraphId, GraphDefinition>>;
  engines: EngineManager;
  /** Saves checkpoints so threads can be resumed; without one each run stands alone. */
  checkpointer?: BaseCheckpointSaver;
  /** Keeps the thread list; needs the checkpointer. */
  threads?: ThreadBook;
  batch?: BatchPolicy;
  /** How long a cancelled run may take to wind down before `run.cancelled` is sent anyway. */
  cancelGraceMs?: number;
}

/** A running host; `close()` detaches it from its endpoint. */
export interface Host {
  close(): void;
  /** Posts everything queued now (tests and shutdown). */
  flush(): void;
}

/**
 * Serves the protocol on an endpoint (the worker's global scope, or a MessagePort in tests).
 *
 * One run at a time: a `run` or `resume` that arrives while another run is active is refused with
 * `run.rejected` (the page disables Run meanwhile; nothing is queued silently).
 */
export function serve(endpoint: Endpoint, options: HostOptions): Host {
  const emitter = new EventEmitter((batch) => endpoint.postMessage(batch), options.batch ?? DEFAULT_BATCH_POLICY);
  const emit = (event: UnstampedEvent) => emitter.emit(event);
  const ctx: GraphContext = { engine: () => reportingUsage(options.engines.current(), emit) };
  const built = new Map<GraphId, RunnableGraph>();
  let active: ActiveRun | null = null;

  function graphFor(id: GraphId): { def: GraphDefinition; graph: RunnableGraph } {
    const def = options.graphs[id];
    if (!def) throw namedError('UnknownGraphError', `graph "${id}" is not available in this worker`);
    let graph = built.get(id);
    if (!graph) {
      graph = def.build(ctx, options.checkpointer);
      built.set(id, graph);
    }
    return { def, graph };
  }

  function startRun(cmd: RunCommand | ResumeCommand): void {
    if (active) {
      emit({
        type: 'run.rejected',
        runId: cmd.runId,
        error: {
          name: 'RunActiveError',
          message: `Run ${active.runId} is still active: wait for it to end or cancel it before starting another.`,
        },
      });
      return;
    }
    let input: Record<string, unknown> | null = null;
    let graph: RunnableGraph;
    try {
      const found = graphFor(cmd.graph);
      graph = found.graph;
      if (cmd.type === 'run') input = found.def.parseInput(cmd.input);
      if ((cmd.type === 'resume' || cmd.threadId) && !options.checkpointer)
        throw namedError('NoCheckpointerError', 'threads need a checkpointer, and this worker has none');
    } catch (err) {
      emit({ type: 'run.rejected', runId: cmd.runId, error: serializeError(err) });
      return;
    }
    // With a checkpointer every run is a thread: its own, unless it continues one.
    const threadId = cmd.threadId ?? (options.checkpointer ? cmd.runId : undefined);
    const book = threadId ? options.threads : undefined;
    const recorded = book?.started(threadId!, cmd.runId, cmd.graph, input).catch(() => {});
    const run = executeRun({
      cmd,
      graph,
      input,
      emitter,
      threadId,
      cancelGraceMs: options.cancelGraceMs ?? 2000,
      beforeEnd: async (status) => {
        await recorded;
        await book?.ended(threadId!, cmd.runId, status);
      },
    });
    active = run;
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
        startRun(cmd);
        return;
      case 'cancel':
        if (active && active.runId === cmd.runId) active.cancel();
        else
          emit({
            type: 'error',
            runId: null,
            context: 'cancel',
            error: { name: 'UnknownRunError', message: `cannot cancel run "${cmd.runId}": it is not active` },
          });
        return;
      case 'describe':
        void reply(cmd.requestId, async () => {
          const { graph } = graphFor(cmd.graph);
          return {
            type: 'graph.structure',
            runId: null,
            requestId: cmd.requestId,
            graph: cmd.graph,
            ...(await describeGraph(graph)),
          };
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
          return null;
        });
        return;
      case 'bench.baseline':
        void reply(cmd.requestId, async () => {
          if (active) throw namedError('RunActiveError', 'cannot benchmark while a run is active');
          const { def, graph } = graphFor(cmd.graph);
          const result = await measureBaseline(graph, def.parseInput(cmd.input), cmd.streamModes, cmd.subgraphs);
          return { type: 'bench.result', runId: null, requestId: cmd.requestId, ...result };
        });
        return;
      case 'threads.list':
        void reply(cmd.requestId, async () => ({
          type: 'threads',
          runId: null,
          requestId: cmd.requestId,
          threads: options.threads ? await options.threads.list() : [],
        }));
        return;
      case 'thread.state':
        void reply(cmd.requestId, async () => {
          const { graph } = graphFor(cmd.graph);
          if (!options.checkpointer) throw namedError('NoCheckpointerError', 'this worker saves no threads');
          const state = await graph.getState({ configurable: { thread_id: cmd.threadId } });
          const values = state.values && Object.keys(state.values as object).length ? toPlain(state.values) : null;
          return {
            type: 'thread.state',
            runId: null,
            requestId: cmd.requestId,
            threadId: cmd.threadId,
            values,
            next: state.next,
          };
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
    close: () => {
      endpoint.removeEventListener('message', onMessage);
      active?.cancel();
      emitter.close();
    },
  };
}
