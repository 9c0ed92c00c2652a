import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch/web';
import type { RunnableConfig } from '@langchain/core/runnables';

/**
 * Runs a tool's work between the seed's `tool_start` and `tool_success` / `tool_error` events
 * (the page's tool list reads those), dispatched on the tool's own run. Errors are rethrown, so
 * that `ToolNode` turns them into an error `ToolMessage` for the model.
 */
export async function reportTool<T>(
  toolName: string,
  input: unknown,
  config: RunnableConfig | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const dispatch = (name: string, data: unknown) => (config ? dispatchCustomEvent(name, data, config) : undefined);
  await dispatch('tool_start', { toolName, input });
  try {
    const result = await work();
    await dispatch('tool_success', { toolName, result });
    return result;
  } catch (err) {
    await dispatch('tool_error', { toolName, error: (err as Error)?.message ?? String(err) });
    throw err;
  }
}
