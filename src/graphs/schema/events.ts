/**
 * The one place the schema agent dispatches the seed's custom events from. Every node goes
 * through {@link instrumentNode}, so node_start / node_complete / execution_error cannot be
 * forgotten or drift between nodes.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
// The `/web` entry: the plain one imports node:async_hooks and breaks the worker bundle.
import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch/web';
import { isGraphBubbleUp } from '@langchain/langgraph/web';
import type { SeedEventName, SeedEventPayloads } from '../../shared/seedEvents';
import { isAbortError } from '../../shared/errors';
import { toPlain } from '../../shared/plain';

/** Dispatches the seed's events, always with the node's config (without it they go nowhere). */
export class StreamingEventDispatcher {
  /** Dispatches any seed event with its typed payload. */
  async dispatch<K extends SeedEventName>(
    name: K,
    payload: SeedEventPayloads[K],
    config: RunnableConfig,
  ): Promise<void> {
    await dispatchCustomEvent(name, payload, config);
  }

  async dispatchNodeStart(node: string, input: unknown, config: RunnableConfig): Promise<void> {
    await this.dispatch('node_start', { node, input: compact(input), timestamp: new Date().toISOString() }, config);
  }

  async dispatchNodeComplete(node: string, output: unknown, config: RunnableConfig): Promise<void> {
    await this.dispatch(
      'node_complete',
      { node, output: compact(output), timestamp: new Date().toISOString() },
      config,
    );
  }

  async dispatchError(context: string, error: unknown, config: RunnableConfig): Promise<void> {
    const e = error instanceof Error ? error : new Error(String(error));
    await this.dispatch(
      'execution_error',
      { context, error: e.message, ...(e.stack ? { stack: e.stack } : {}), timestamp: new Date().toISOString() },
      config,
    );
  }

  async progress(step: string, progress: number, message: string, config: RunnableConfig): Promise<void> {
    await this.dispatch('progress_update', { step, progress, message }, config);
  }

  /** `summary` is the seed's `result`, a sentence; `details` the data behind it. */
  async stepComplete(step: string, summary: string, details: unknown, config: RunnableConfig): Promise<void> {
    await this.dispatch('step_complete', { step, result: summary, details: compact(details) }, config);
  }

  /**
   * Runs `work` between node_progress `started` and `completed` (or `failed`, then rethrows).
   */
  async nodeStep<T>(node: string, step: string, config: RunnableConfig, work: () => Promise<T>): Promise<T> {
    await this.dispatch('node_progress', { node, step, status: 'started' }, config);
    try {
      const result = await work();
      await this.dispatch('node_progress', { node, step, status: 'completed' }, config);
      return result;
    } catch (err) {
      await this.dispatch('node_progress', { node, step, status: 'failed' }, config);
      throw err;
    }
  }
}

/** The dispatcher every schema-agent node uses. */
export const events = new StreamingEventDispatcher();

/** A graph node function as the agent writes them. */
export type NodeFn<S, U> = (state: S, config: RunnableConfig) => Promise<U>;

/**
 * Wraps a node so that it dispatches node_start, then node_complete with its update, or
 * execution_error and rethrows. Cancellation and LangGraph's own control flow (interrupts)
 * are not errors and pass through unreported.
 */
export function instrumentNode<S, U>(name: string, fn: NodeFn<S, U>): NodeFn<S, U> {
  return async (state, config) => {
    await events.dispatchNodeStart(name, state, config);
    try {
      const update = await fn(state, config);
      await events.dispatchNodeComplete(name, update, config);
      return update;
    } catch (err) {
      if (!isGraphBubbleUp(err) && !isAbortError(err) && !config.signal?.aborted)
        await events.dispatchError(name, err, config);
      throw err;
    }
  };
}

/**
 * Plain, bounded data for event payloads: messages are reduced to a count (they already
 * stream as tokens and in `values`), so node events stay small.
 */
function compact(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return toPlain(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = k === 'messages' && Array.isArray(v) ? { count: v.length } : toPlain(v);
  return out;
}
