import type { RunnableConfig } from '@langchain/core/runnables';
import type { ChatEngine, ChatRequest, EngineUsage } from '../engines/types';

export interface StreamLLMOptions {
  /** Shown as `agentName` on every `custom_token`. */
  agentName: string;
  /** The node's config: dispatches and message-mode callbacks hang off it. */
  config: RunnableConfig;
}

export interface StreamLLMResult {
  /** Stable id shared by every custom_token, the messages-mode chunks and the final message. */
  id: string;
  content: string;
  usage?: EngineUsage;
}

/**
 * Placeholder signature (implemented by the engines work): consumes an engine stream, dispatches
 * `custom_token` per token and `token_update` on a policy, and returns the whole message.
 */
export async function streamLLMResponse(
  engine: ChatEngine,
  request: ChatRequest,
  options: StreamLLMOptions,
): Promise<StreamLLMResult> {
  void options;
  let content = '';
  for await (const chunk of engine.stream(request)) if (chunk.type === 'token') content += chunk.content;
  return { id: crypto.randomUUID(), content };
}
