/**
 * What the engines tell the page, and how the page picks one: data carried by the protocol's
 * engine commands and events (`src/protocol.ts` re-exports these), owned by the engines.
 */

/** Engines the worker can drive. */
export const ENGINE_KINDS = ['demo', 'webllm'] as const;
/** One engine kind. */
export type EngineKind = (typeof ENGINE_KINDS)[number];

/** Options for the demo engine (deterministic, no weights). */
export interface DemoEngineOptions {
  /** Tokens per second; 0 means unthrottled. */
  tokensPerSecond?: number;
  /** Make the model emit malformed JSON on its first N answers (for tests and demos). */
  malformedAnswers?: number;
  /** Repeat each plain-text answer until it has at least this many tokens (benchmarks). */
  minTokens?: number;
}

/** Which engine to load, and how. */
export interface EngineSelection {
  kind: EngineKind;
  /** WebLLM model id (from its prebuilt list). */
  modelId?: string;
  /** Self-hosted model base URL (absolute, or relative to the page origin). */
  modelBaseUrl?: string;
  demo?: DemoEngineOptions;
}

/** A model the worker can load, with what this GPU says about it. */
export interface EngineModelInfo {
  modelId: string;
  /** VRAM needed in MB, as WebLLM reports. */
  vramMB?: number;
  lowResource?: boolean;
  needsF16?: boolean;
  cached?: boolean;
  /** Why this GPU cannot run it; absent when it can. */
  unsupportedReason?: string;
  /** Tokens the model attends to, prompt and answer together. */
  contextWindowTokens?: number;
}

/** What WebGPU offers in this browser. */
export interface GpuInfo {
  available: boolean;
  /** Why WebGPU is unavailable, when it is. */
  reason?: string;
  vendor?: string;
  architecture?: string;
  description?: string;
  shaderF16?: boolean;
  maxStorageBufferBindingSize?: number;
}

/** Where an engine load stands. */
export type EngineStatus = 'idle' | 'loading' | 'ready' | 'failed';
