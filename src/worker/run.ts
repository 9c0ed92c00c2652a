import type { RunnableConfig } from '@langchain/core/runnables';
import type { ResumeCommand, RunCommand, ThreadStatus } from '../protocol';
import { isAbortError, serializeError } from '../shared/errors';
import type { EventEmitter } from './emitter';
import type { ChatEngine } from '../engines/types';
import type { RunnableGraph } from '../graphs/types';
import { ENGINE_CONFIG_KEY } from '../llm/engine';
import { StreamRelay } from './relay';

/** A run in progress, as the host tracks it. */
export interface ActiveRun {
  runId: string;
  /** Aborts the run; `run.cancelled` follows once it has stopped (or after the grace period). */
  cancel(): void;
  /** Settles, with how the run ended, when its terminal event has been emitted. */
  done: Promise<ThreadStatus>;
}

export interface ExecuteRunOptions {
  cmd: RunCommand | ResumeCommand;
  graph: RunnableGraph;
  /** The parsed input of a `run`; null for a `resume`, which continues from the checkpoint. */
  input: Record<string, unknown> | null;
  emitter: EventEmitter;
  cancelGraceMs: number;
  /** The thread the run's checkpoints go to; none when the worker has no checkpointer. */
  threadId?: string;
  /** The engine the run's nodes call (they find it in their config). */
  engine?: ChatEngine;
  /**
   * Awaited before the terminal event is sent (e.g. to record the thread's status), so that
   * once the page hears a run has ended, that is already saved.
   */
  beforeEnd?: (status: ThreadStatus) => Promise<void>;
}

/** `['*']` means every node (LangGraph spells it `'*'`): "step" pauses before whatever runs next. */
const breakpoints = (nodes: string[]): string[] | '*' => (nodes.includes('*') ? '*' : nodes);

/**
 * Runs a graph and relays everything it streams.
 *
 * The graph gets the run's AbortSignal (nodes pass it on to the engine, which stops generating).
 * Exactly one terminal event is emitted: completed, interrupted (paused before a node), cancelled
 * or failed; the emitter drops anything the run makes after it.
 */
export function executeRun(opts: ExecuteRunOptions): ActiveRun {
  const { cmd, graph, input, emitter } = opts;
  const runId = cmd.runId;
  const controller = new AbortController();
  let cancelled = false;
  // Chunks and custom events go out in the order the graph made them (see StreamRelay).
  const relay = new StreamRelay(cmd.streamModes, cmd.subgraphs, {
    chunk: ({ mode, ns, chunk }) => emitter.emit({ type: 'stream', runId, mode, ns, chunk }),
    custom: (ev) => emitter.emit({ type: 'custom', runId, name: ev.name, ns: ev.ns, node: ev.node, data: ev.data }),
  });
  const threadId = opts.threadId;
  const configurable = threadId ? { thread_id: threadId } : undefined;
  const runConfigurable = { ...configurable, ...(opts.engine ? { [ENGINE_CONFIG_KEY]: opts.engine } : {}) };

  emitter.emit({
    type: 'run.started',
    runId,
    graph: cmd.graph,
    streamModes: cmd.streamModes,
    subgraphs: cmd.subgraphs,
    ...(threadId ? { threadId } : {}),
  });

  let outcome: ThreadStatus = 'failed';
  const settle = (status: ThreadStatus) => opts.beforeEnd?.(status).catch(() => {}) ?? Promise.resolve();
  async function drive(): Promise<void> {
    // A resume may start from an older checkpoint (time travel), and may first write an update
    // there, as `asNode`: that makes a new branch, and the old one stays as it was.
    const from = cmd.type === 'resume' && cmd.checkpointId ? { checkpoint_id: cmd.checkpointId } : {};
    let start: Record<string, unknown> = { ...runConfigurable, ...from };
    if (cmd.type === 'resume' && cmd.update && configurable) {
      const forked = await graph.updateState({ configurable: { ...configurable, ...from } }, cmd.update, cmd.asNode);
      start = { ...runConfigurable, ...forked.configurable };
    }
    const { callbacks, writer, configurable: relayConfigurable } = relay.streamOptions();
    try {
      const stream = await graph.stream(input, {
        streamMode: cmd.streamModes,
        subgraphs: cmd.subgraphs,
        signal: controller.signal,
        callbacks,
        ...(writer ? { writer } : {}),
        configurable: { ...start, ...relayConfigurable },
        ...(cmd.interruptBefore ? { interruptBefore: breakpoints(cmd.interruptBefore) } : {}),
        ...(cmd.interruptAfter ? { interruptAfter: breakpoints(cmd.interruptAfter) } : {}),
        recursionLimit: 50,
      } as Partial<RunnableConfig>);
      relay.started();
      for await (const raw of stream) {
        if (cancelled) break;
        relay.onStreamItem(raw);
      }
    } finally {
      if (!cancelled) relay.finish();
    }
    if (cancelled) return;
    if (configurable) {
      const state = await graph.getState({ configurable });
      if (state.next.length > 0) {
        outcome = 'interrupted';
        await settle(outcome);
        emitter.emit({ type: 'run.interrupted', runId, next: state.next, threadId });
        return;
      }
    }
    outcome = 'completed';
    await settle(outcome);
    emitter.emit({ type: 'run.completed', runId });
  }

  let resolveCancelWait: () => void = () => {};
  const cancelWait = new Promise<void>((resolve) => (resolveCancelWait = resolve));

  const driven = drive().then(
    () => undefined,
    async (err: unknown) => {
      if (cancelled || (controller.signal.aborted && isAbortError(err))) return;
      await settle('failed');
      emitter.emit({ type: 'run.failed', runId, error: serializeError(err) });
    },
  );

  const done = (async () => {
    await Promise.race([driven, cancelWait]);
    if (cancelled) {
      // Give the graph a bounded time to stop, so the next run finds the engine free.
      await Promise.race([driven, new Promise((r) => setTimeout(r, opts.cancelGraceMs))]);
      outcome = 'cancelled';
      await settle(outcome);
      emitter.emit({ type: 'run.cancelled', runId });
    }
    relay.stop();
    return outcome;
  })();

  return {
    runId,
    done,
    cancel() {
      if (cancelled || emitter.hasEnded(runId)) return;
      cancelled = true;
      relay.stop();
      controller.abort(new DOMException('The run was cancelled', 'AbortError'));
      resolveCancelWait();
    },
  };
}
