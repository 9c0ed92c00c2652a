import type { EngineKind, EngineModelInfo, EngineSelection, GpuInfo } from '../protocol';

/** One chat turn sent to an engine. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Aborting stops generation (WebLLM: interruptGenerate) and ends the stream early. */
  signal?: AbortSignal;
  temperature?: number;
  maxTokens?: number;
  /** When set, the answer must be JSON matching this JSON Schema (WebLLM: response_format). */
  jsonSchema?: Record<string, unknown>;
  /**
   * What the offline demo engine answers to this request, supplied by the graph that asks (a
   * graph knows its own prompts; engines know no graph). Real engines ignore it.
   */
  demo?: DemoResponder;
}

/** A graph's stand-in for a model: the answer the demo engine streams for a request. */
export type DemoResponder = (request: ChatRequest) => string;

/**
 * Why a completion ended, in OpenAI's words as WebLLM reports them: `stop` (the model finished
 * or hit a stop string), `length` (it ran into `maxTokens` or the context window, so the answer
 * is cut short), `abort` (interrupted), `tool_calls`. Other strings pass through unchanged.
 */
export type EngineFinishReason = 'stop' | 'length' | 'abort' | 'tool_calls' | (string & {});

/** Performance and size of one completion, as far as the engine knows them. */
export interface EngineUsage {
  promptTokens: number;
  completionTokens: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  timeToFirstTokenMs?: number;
  /** Absent when the engine does not say. `length` means a truncated answer. */
  finishReason?: EngineFinishReason;
}

/** What an engine stream yields: text deltas, then (optionally) one usage report at the end. */
export type EngineChunk = { type: 'token'; content: string } | { type: 'usage'; usage: EngineUsage };

export interface LoadProgress {
  text: string;
  /** 0..1 */
  progress: number;
  timeElapsed?: number;
}

/** A chat model that is not a LangChain model: the graph calls it directly. */
export interface ChatEngine {
  readonly kind: EngineKind;
  readonly modelId: string;
  /**
   * How many tokens the model attends to, prompt and answer together; absent while unknown.
   * A prompt longer than this fails with `ContextWindowExceededError`.
   */
  readonly contextWindowTokens?: number;
  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void>;
  /** Streams a completion. A consumer that stops early must call `return()` on the iterator. */
  stream(request: ChatRequest): AsyncIterable<EngineChunk>;
  unload(): Promise<void>;
}

/** Owns the current engine in the worker and answers the engine commands. */
export interface EngineManager {
  /** The engine the graph should call now (the demo engine until another is loaded). */
  current(): ChatEngine;
  select(selection: EngineSelection, onProgress: (p: LoadProgress & { modelId: string }) => void): Promise<ChatEngine>;
  /** Models with GPU support and cache state; `modelBaseUrl` picks a self-hosted mirror's cache. */
  list(modelBaseUrl?: string): Promise<{ gpu: GpuInfo; models: EngineModelInfo[]; defaultModelId: string }>;
  deleteCache(modelId: string, modelBaseUrl?: string): Promise<void>;
}
