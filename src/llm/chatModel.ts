/**
 * A LangChain chat model over Tabgraph's engines, so that standard LangGraph agents (a model
 * node with `bindTools`, a `ToolNode`, `createReactAgent`) run on the in-tab LLM.
 *
 * Tool calling rides on JSON output (see `toolProtocol.ts`): with tools bound, the model must
 * answer with an envelope, which streams through {@link EnvelopeDecoder} into ordinary
 * `AIMessageChunk`s. `messages` mode shows what each engine token adds to the message, as it
 * would for any LangChain model: the answer's text as it is written, and each tool call, whole,
 * when the token that closes its object arrives (one `tool_call_chunk` with its arguments); a
 * token that adds nothing to the message (JSON scaffolding, half-written arguments) gives no
 * chunk. Concatenating the chunks gives the message's content and tool calls; the JSON itself
 * is transport, and arguments are never shown half-written because a cut-off answer would then
 * leave a tool call with half its arguments. The raw tokens, JSON included, are what the seed's
 * `custom_token` events carry (see {@link EngineChatModelFields.agentName}). As with ChatOpenAI,
 * the closing chunk with usage and metadata is returned but not sent as a token.
 *
 * Bad model output never throws: JSON that breaks off keeps what was complete (text so far,
 * closed tool calls); when nothing usable came, the message says so in its content. It does not
 * retry: the graph sees the message and decides (a second attempt inside one message would run
 * two answers into one stream).
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  AIMessage,
  AIMessageChunk,
  type AIMessageChunkFields,
  type BaseMessage,
  type ToolCallChunk,
} from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable, RunnableConfig } from '@langchain/core/runnables';
import { abortError } from '../engines/errors';
import type { ChatEngine, ChatRequest, DemoResponder, EngineUsage } from '../engines/types';
import { EnvelopeDecoder, type DecodedCall } from './envelopeDecoder';
import { currentEngine } from './engine';
import { TokenEvents } from './tokenEvents';
import {
  envelopeSchema,
  toChatMessages,
  toolInstructions,
  toToolSpec,
  type ToolChoice,
  type ToolSpec,
} from './toolProtocol';

type BadCall = Extract<DecodedCall, { ok: false }>;

/** Where the call options carry the run's engine (a symbol: kept out of traces and JSON). */
const ENGINE = Symbol('tabgraph.engine');

export interface EngineChatModelFields extends BaseChatModelParams {
  /** What the offline demo engine answers for this model's requests (real engines ignore it). */
  demo?: DemoResponder;
  maxTokens?: number;
  temperature?: number;
  /**
   * When set, every engine token is also dispatched as the seed's `custom_token` (and
   * `token_update`) events under this agent name: what the page's token view shows. These carry
   * the model's raw text, envelope JSON included; `messages` mode carries the decoded message.
   */
  agentName?: string;
  /** The engine for a call, given the run's config; by default {@link currentEngine}. */
  engine?: (config?: RunnableConfig) => ChatEngine;
}

export interface EngineChatModelCallOptions extends BaseChatModelCallOptions {
  /** Bound by {@link EngineChatModel.bindTools}. */
  tools?: ToolSpec[];
  [ENGINE]?: ChatEngine;
}

/** LangChain's tool_choice spellings as a {@link ToolChoice}. */
function choiceOf(choice: BaseChatModelCallOptions['tool_choice']): ToolChoice {
  if (choice === undefined || choice === 'auto') return 'auto';
  if (choice === 'required' || choice === 'any') return 'any';
  if (typeof choice === 'string') return choice;
  const name = (choice as { function?: { name?: unknown }; name?: unknown }).function?.name ?? choice.name;
  return typeof name === 'string' ? name : 'auto';
}

/** A chat model that streams from the engine of the run it is called in. */
export class EngineChatModel extends BaseChatModel<EngineChatModelCallOptions> {
  readonly demo?: DemoResponder;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly agentName?: string;
  private readonly engineFor: (config?: RunnableConfig) => ChatEngine;

  static override lc_name(): string {
    return 'EngineChatModel';
  }

  constructor(fields: EngineChatModelFields = {}) {
    super(fields);
    this.demo = fields.demo;
    this.maxTokens = fields.maxTokens;
    this.temperature = fields.temperature;
    this.agentName = fields.agentName;
    this.engineFor = fields.engine ?? currentEngine;
  }

  override _llmType(): string {
    return 'tabgraph-engine';
  }

  /**
   * Call options do not carry the run's config, so the engine is looked up here, where the
   * config (with the host's `configurable` engine) is still at hand.
   */
  protected override _separateRunnableConfigFromCallOptionsCompat(
    options?: Partial<EngineChatModelCallOptions>,
  ): [RunnableConfig, this['ParsedCallOptions']] {
    const [config, callOptions] = super._separateRunnableConfigFromCallOptionsCompat(options);
    (callOptions as EngineChatModelCallOptions)[ENGINE] = this.engineFor(config);
    return [config, callOptions];
  }

  override invocationParams(options?: this['ParsedCallOptions']) {
    const engine = (options as EngineChatModelCallOptions | undefined)?.[ENGINE];
    return {
      ...(engine ? { model: engine.modelId, engine: engine.kind } : {}),
      ...(this.maxTokens !== undefined ? { max_tokens: this.maxTokens } : {}),
      ...(this.temperature !== undefined ? { temperature: this.temperature } : {}),
    };
  }

  /** Binds tools: the model then answers with tool calls or text, as JSON the engine is held to. */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<EngineChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, EngineChatModelCallOptions> {
    return this.withConfig({ tools: tools.map(toToolSpec), ...kwargs });
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let all: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager))
      all = all ? all.concat(chunk) : chunk;
    const m = (all?.message ?? new AIMessageChunk({ content: '' })) as AIMessageChunk;
    const message = new AIMessage({
      content: m.content,
      tool_calls: m.tool_calls,
      invalid_tool_calls: m.invalid_tool_calls,
      response_metadata: m.response_metadata,
      ...(m.id ? { id: m.id } : {}),
      ...(m.usage_metadata ? { usage_metadata: m.usage_metadata } : {}),
    });
    return { generations: [{ text: typeof m.content === 'string' ? m.content : '', message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const opts = options as EngineChatModelCallOptions;
    const engine = opts[ENGINE] ?? this.engineFor();
    const tools = opts.tools ?? [];
    const choice = choiceOf(opts.tool_choice);
    const structured = tools.length > 0;
    const request: ChatRequest = {
      messages: toChatMessages(
        messages,
        structured ? { instructions: toolInstructions(tools, choice), envelopes: true } : {},
      ),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(this.maxTokens !== undefined ? { maxTokens: this.maxTokens } : {}),
      ...(this.temperature !== undefined ? { temperature: this.temperature } : {}),
      ...(structured ? { jsonSchema: envelopeSchema(tools, choice) } : {}),
      ...(this.demo ? { demo: this.demo } : {}),
    };
    // The id LangGraph would give the message; set now so the seed's token events can share it.
    const id = runManager ? `run-${runManager.runId}` : undefined;
    const tokens = this.agentName && runManager ? new TokenEvents(runManager, this.agentName, id!) : null;
    const decoder = structured ? new EnvelopeDecoder() : null;
    const emit = async (fields: AIMessageChunkFields, asToken = true) => {
      const chunk = new ChatGenerationChunk({
        text: typeof fields.content === 'string' ? fields.content : '',
        message: new AIMessageChunk({ ...fields, ...(id ? { id } : {}) }),
      });
      if (asToken)
        await runManager?.handleLLMNewToken(chunk.text, { prompt: 0, completion: 0 }, undefined, undefined, undefined, {
          chunk,
        });
      return chunk;
    };

    let usage: EngineUsage | undefined;
    let content = '';
    let validCalls = 0;
    const invalid: BadCall[] = [];
    for await (const piece of engine.stream(request)) {
      // An engine that ignores the signal still stops here (for-await then closes its stream).
      if (opts.signal?.aborted) throw abortError();
      if (piece.type === 'usage') {
        usage = piece.usage;
        continue;
      }
      if (!piece.content) continue;
      await tokens?.token(piece.content);
      const delta = decoder ? decoder.push(piece.content) : { content: piece.content, calls: [] };
      content += delta.content;
      const toolCallChunks: ToolCallChunk[] = [];
      for (const c of delta.calls) {
        if (c.ok) validCalls++;
        else invalid.push(c);
        toolCallChunks.push(toToolCallChunk(c));
      }
      if (delta.content || toolCallChunks.length)
        yield await emit({
          content: delta.content,
          ...(toolCallChunks.length ? { tool_call_chunks: toolCallChunks } : {}),
        });
    }
    if (opts.signal?.aborted) throw abortError();
    await tokens?.done();

    const problem = decoder && !decoder.prose ? envelopeProblem(decoder.raw, invalid) : null;
    const note = problem && !content && validCalls === 0 ? unusableNote(problem, decoder!.raw) : '';
    // Always yielded (a stream with no chunk at all is an error to LangChain); a token only when
    // it says why the answer could not be used.
    yield await emit(
      {
        content: note,
        response_metadata: {
          model_provider: 'tabgraph',
          model_name: engine.modelId,
          ...(usage?.finishReason ? { finish_reason: usage.finishReason } : {}),
          ...(problem ? { output_error: problem } : {}),
        },
        ...(usage ? { usage_metadata: toUsageMetadata(usage) } : {}),
      },
      note !== '',
    );
  }
}

/** Why the finished answer is not a valid envelope, or null when it is one. */
function envelopeProblem(raw: string, invalid: BadCall[]): string | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return raw.trim() ? `the answer is not valid JSON (${(err as Error).message})` : 'the answer is empty';
  }
  const v = value as { content?: unknown; tool_calls?: unknown } | null;
  if (typeof v !== 'object' || v === null || (typeof v.content !== 'string' && !Array.isArray(v.tool_calls)))
    return 'the answer is JSON but has neither "content" nor "tool_calls"';
  return invalid.length ? `${invalid.length} tool call(s) could not be read (${invalid[0].error})` : null;
}

function unusableNote(problem: string, raw: string): string {
  const start = raw.length > 200 ? `${raw.slice(0, 200)}…` : raw;
  return `The model's answer could not be used: ${problem}. It began: ${start}`;
}

function toToolCallChunk(c: DecodedCall): ToolCallChunk {
  if (c.ok)
    return {
      type: 'tool_call_chunk',
      index: c.index,
      id: `call_${crypto.randomUUID()}`,
      name: c.call.name,
      args: JSON.stringify(c.call.args),
    };
  // No id: LangChain then files the call under `invalid_tool_calls`, with its raw text.
  return { type: 'tool_call_chunk', index: c.index, ...(c.name ? { name: c.name } : {}), args: c.raw };
}

function toUsageMetadata(u: EngineUsage) {
  return {
    input_tokens: u.promptTokens,
    output_tokens: u.completionTokens,
    total_tokens: u.promptTokens + u.completionTokens,
  };
}
