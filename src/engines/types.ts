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
}

/** Performance and size of one completion, as far as the engine knows them. */
export interface EngineUsage {
  promptTokens: number;
  completionTokens: number;
  prefillTokensPerSecond?: number;
  decodeTokensPerSecond?: number;
  timeToFirstTokenMs?: number;
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
