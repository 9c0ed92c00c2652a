import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch/web';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatGeneration } from '@langchain/core/outputs';
import { getCallbackManagerForConfig, type RunnableConfig } from '@langchain/core/runnables';
import type { SeedEventPayloads } from '../shared/seedEvents';
import { abortError } from '../engines/errors';
import type { ChatEngine, ChatMessage, ChatRequest, EngineUsage } from '../engines/types';

export interface StreamLLMOptions {
  /** Shown as `agentName` on every `custom_token`, and the run name in `messages` mode. */
  agentName: string;
  /** The node's config: dispatches and message-mode callbacks hang off it. */
  config: RunnableConfig;
  /** The first partial `token_update` comes after this many tokens (default 8), then at each doubling. */
  updateEvery?: number;
  /** Hears the token count every {@link PROGRESS_EVERY} tokens (progress against a budget). */
  onTokens?: (count: number) => Promise<void> | void;
}

/** How often {@link StreamLLMOptions.onTokens} hears of the count. */
export const PROGRESS_EVERY = 32;

export interface StreamLLMResult {
  /** Stable id shared by every custom_token, the messages-mode chunks and the final message. */
  id: string;
  content: string;
  usage?: EngineUsage;
}

/** Default of {@link StreamLLMOptions.updateEvery}. */
export const TOKEN_UPDATE_EVERY = 8;

/**
 * Streams one completion from a non-LangChain engine into a LangGraph node's streams
 * (the seed's "Token-level Streaming"), and returns the whole message.
 *
 * For every token, in order:
 * - `custom_token {content, id, agentName}` via `dispatchCustomEvent` (the web variant, with the
 *   node's `config`), so `streamEvents` consumers see each delta;
 * - a chat-model callback `handleLLMNewToken` with an `AIMessageChunk` carrying `id`, so
 *   LangGraph's stream mode `messages` yields `[chunk, metadata]` for the node exactly as it would
 *   for a LangChain chat model (its dedup by id means a node that also returns
 *   `new AIMessage({content, id})` is not shown twice).
 *
 * `token_update {content: accumulated, partial: true, id}` policy: after `updateEvery` tokens
 * (default 8), then each time the token count doubles (8, 16, 32, 64, ...). Each update carries
 * the whole text so far (as the seed's Custom Token Handling does), so a fixed interval would send
 * O(n²) characters over a long answer; doubling keeps the total under twice the final text.
 * Readers that need every character use `custom_token`. One final `token_update {partial: false}`
 * carries the complete text.
 *
 * If `request.signal` aborts, the engine stream is closed and an Error named `AbortError` is
 * thrown (the chat-model run ends with `handleLLMError`); engine errors propagate the same way.
 */
export async function streamLLMResponse(
  engine: ChatEngine,
  request: ChatRequest,
  options: StreamLLMOptions,
): Promise<StreamLLMResult> {
  const { agentName, config } = options;
  const every = Math.max(1, options.updateEvery ?? TOKEN_UPDATE_EVERY);
  const id = `msg-${crypto.randomUUID()}`;
  const runManager = await startChatModelRun(engine, request.messages, agentName, config);
  const dispatch = <K extends 'custom_token' | 'token_update'>(name: K, data: SeedEventPayloads[K]) =>
    dispatchCustomEvent(name, data, config);

  let content = '';
  let usage: EngineUsage | undefined;
  let count = 0;
  let nextUpdateAt = every;
  try {
    for await (const chunk of engine.stream(request)) {
      if (chunk.type === 'usage') {
        usage = chunk.usage;
        continue;
      }
      const token = chunk.content;
      if (!token) continue;
      content += token;
      await dispatch('custom_token', { content: token, id, agentName });
      await runManager?.handleLLMNewToken(token, { prompt: 0, completion: 0 }, undefined, undefined, undefined, {
        chunk: new ChatGenerationChunk({ text: token, message: new AIMessageChunk({ content: token, id }) }),
      });
      count++;
      if (options.onTokens && count % PROGRESS_EVERY === 0) await options.onTokens(count);
      if (count >= nextUpdateAt) {
        nextUpdateAt *= 2;
        await dispatch('token_update', { content, partial: true, id });
      }
      // An engine that ignores the signal still stops here (for-await then closes its stream).
      if (request.signal?.aborted) throw abortError();
    }
    if (request.signal?.aborted) throw abortError();
  } catch (err) {
    await runManager?.handleLLMError(err);
    throw err;
  }
  await dispatch('token_update', { content, partial: false, id });
  const message = new AIMessage({ content, id, ...(usage ? { usage_metadata: toUsageMetadata(usage) } : {}) });
  const generation: ChatGeneration = { text: content, message };
  await runManager?.handleLLMEnd({
    generations: [[generation]],
    llmOutput: usage ? { tokenUsage: usage } : undefined,
  });
  return usage ? { id, content, usage } : { id, content };
}

/** Announces a chat-model run on the node's callbacks, which is what `messages` mode listens to. */
async function startChatModelRun(
  engine: ChatEngine,
  messages: ChatMessage[],
  agentName: string,
  config: RunnableConfig,
): Promise<CallbackManagerForLLMRun | undefined> {
  const manager = await getCallbackManagerForConfig(config);
  if (!manager) return undefined;
  const [run] = await manager.handleChatModelStart(
    { lc: 1, type: 'not_implemented', id: ['tabgraph', 'engines', engine.kind] },
    [messages.map(toBaseMessage)],
    crypto.randomUUID(),
    undefined,
    { invocation_params: { model: engine.modelId } },
    undefined,
    undefined,
    agentName,
  );
  return run;
}

function toBaseMessage(m: ChatMessage): BaseMessage {
  if (m.role === 'system') return new SystemMessage(m.content);
  if (m.role === 'assistant') return new AIMessage(m.content);
  return new HumanMessage(m.content);
}

function toUsageMetadata(u: EngineUsage) {
  return {
    input_tokens: u.promptTokens,
    output_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
  };
}
