import type { EngineModelInfo, GpuInfo } from '../protocol';
import { namedError } from '../shared/errors';
import { ENGINE_ERRORS } from './errors';

/**
 * The fields of web-llm's `ModelRecord` that we read or write. Declared here (not imported)
 * so nothing in the worker's static graph refers to `@mlc-ai/web-llm`.
 */
export interface ModelRecordLike {
  model: string;
  model_id: string;
  model_lib: string;
  vram_required_MB?: number;
  low_resource_required?: boolean;
  buffer_size_required_bytes?: number;
  required_features?: string[];
  /** web-llm's ModelType enum: 0 = LLM (also when absent), 1 = embedding, 2 = VLM. */
  model_type?: number;
  /** Fields merged over the model's mlc-chat-config.json when web-llm loads it. */
  overrides?: ChatConfigLike;
  [key: string]: unknown;
}

/** The window fields of web-llm's `ChatConfig` (mlc-chat-config.json plus `overrides`). */
export interface ChatConfigLike {
  /** Tokens the KV cache holds, prompt and answer together; -1 = none (a sliding window instead). */
  context_window_size?: number;
  /** -1 = no sliding window. */
  sliding_window_size?: number;
  [key: string]: unknown;
}

/** The part of web-llm's `AppConfig` we build. */
export interface AppConfigLike {
  model_list: ModelRecordLike[];
  [key: string]: unknown;
}

/**
 * Default WebLLM model: small (~1 GB VRAM), good at following a JSON format, and q4f32 so it
 * runs on GPUs without shader-f16 (the q4f16 twin is smaller but excludes those).
 */
export const DEFAULT_WEBLLM_MODEL_ID = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

/** Only chat models: embedding and vision models cannot answer our graph's prompts. */
export function chatModels(list: readonly ModelRecordLike[]): ModelRecordLike[] {
  return list.filter((m) => m.model_type === undefined || m.model_type === null || m.model_type === 0);
}

/**
 * Whether a model needs shader-f16. web-llm's list marks most f16 models with
 * `required_features`, but not all (e.g. Qwen2.5-0.5B-Instruct-q4f16_1), and their kernels still
 * use f16, so the quantisation in the id (`q4f16_1`, `q0f16`) counts too.
 */
export function needsShaderF16(m: ModelRecordLike): boolean {
  return (m.required_features ?? []).includes('shader-f16') || /q\d+f16/.test(m.model_id);
}

/** Why this GPU cannot run the model, or undefined when it can (as far as we can tell upfront). */
export function unsupportedReason(m: ModelRecordLike, gpu: GpuInfo): string | undefined {
  if (!gpu.available) return gpu.reason ?? 'WebGPU is not available.';
  if (needsShaderF16(m) && !gpu.shaderF16) return 'Needs the WebGPU shader-f16 feature, which this GPU lacks.';
  for (const f of m.required_features ?? [])
    if (f !== 'shader-f16') return `Needs the WebGPU feature "${f}", which may be missing.`;
  const need = m.buffer_size_required_bytes;
  const have = gpu.maxStorageBufferBindingSize;
  if (need !== undefined && have !== undefined && need > have)
    return `Needs a storage buffer binding of ${mb(need)} MB; this GPU allows ${mb(have)} MB.`;
  return undefined;
}

/** This worker's (or page's) URL; undefined in Node, where only absolute URLs resolve. */
function defaultBaseHref(): string | undefined {
  return (globalThis as { location?: { href: string } }).location?.href;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * The context window of a chat config, in tokens: its `context_window_size`, or for a
 * sliding-window model the window's size (the most it attends to at once). Undefined when
 * neither is set: web-llm has no default and refuses to load such a config.
 */
export function contextWindowOf(config: ChatConfigLike | undefined): number | undefined {
  for (const size of [config?.context_window_size, config?.sliding_window_size])
    if (typeof size === 'number' && Number.isFinite(size) && size > 0) return size;
  return undefined;
}

/**
 * The context window web-llm will give a model, as far as its record tells: every chat model
 * in web-llm 0.2.86's prebuilt list sets `overrides.context_window_size` (mostly 4096; the
 * `-1k` builds 1024). Undefined when only the model's mlc-chat-config.json knows.
 */
export function recordContextWindow(m: ModelRecordLike): number | undefined {
  return contextWindowOf(m.overrides);
}

/**
 * A deliberately high estimate of how many tokens `text` takes: one per 3 ASCII characters
 * (tokenizers average about 4 on English and code) plus one per other character (CJK and
 * accented letters often take one or more). Use it to stay inside a context window.
 */
export function approxTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text)
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  return Math.ceil(ascii / 3) + other;
}

/**
 * How many characters of input (at {@link approxTokens}' 3 per token, so ASCII-exact) fit
 * beside a prompt of `promptTokens` when `maxOutputTokens` must stay free for the answer,
 * in a model with `contextWindowTokens`. Count the chat template (role markers, a few tokens
 * per message) in `promptTokens`. Never negative.
 */
export function inputBudgetChars(contextWindowTokens: number, promptTokens: number, maxOutputTokens: number): number {
  return Math.max(0, Math.floor(contextWindowTokens - promptTokens - maxOutputTokens)) * 3;
}

/** {@link EngineModelInfo} with the model's context window, once protocol.ts carries it. */
export type ModelInfo = EngineModelInfo;

/** The protocol's view of one model record. */
export function toModelInfo(m: ModelRecordLike, gpu: GpuInfo, cached?: boolean): ModelInfo {
  const info: ModelInfo = { modelId: m.model_id, needsF16: needsShaderF16(m) };
  const contextWindowTokens = recordContextWindow(m);
  if (contextWindowTokens !== undefined) info.contextWindowTokens = contextWindowTokens;
  if (m.vram_required_MB !== undefined) info.vramMB = m.vram_required_MB;
  if (m.low_resource_required !== undefined) info.lowResource = m.low_resource_required;
  if (cached !== undefined) info.cached = cached;
  const reason = unsupportedReason(m, gpu);
  if (reason) info.unsupportedReason = reason;
  return info;
}

/**
 * Turns a user-entered model base URL into an absolute http(s) URL ending in `/`.
 * Relative values resolve against `baseHref` (the worker's own URL unless told otherwise).
 * Throws an Error named `InvalidModelUrlError` for anything else.
 */
export function resolveModelBaseUrl(base: string, baseHref: string | undefined = defaultBaseHref()): URL {
  const trimmed = base.trim();
  let url: URL;
  try {
    if (!trimmed) throw new TypeError('empty');
    url = new URL(trimmed, baseHref);
  } catch {
    throw namedError(ENGINE_ERRORS.invalidUrl, `The model base URL "${base}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw namedError(
      ENGINE_ERRORS.invalidUrl,
      `The model base URL must use http or https, not "${url.protocol.replace(':', '')}".`,
    );
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The last path segment of a model library URL, e.g. `Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm`. */
export function libFileName(modelLib: string): string {
  return modelLib.split(/[?#]/)[0].split('/').pop() ?? modelLib;
}

/** Where a self-hosted model's files live; see README.md beside this file for the layout. */
export function selfHostedUrls(base: URL, m: Pick<ModelRecordLike, 'model_id' | 'model_lib'>) {
  // web-llm appends `resolve/main/` to any model URL that lacks a `/resolve/<branch>/` part
  // (Hugging Face's layout), so we spell it out rather than let the files move silently.
  const model = new URL(`${encodeURIComponent(m.model_id)}/resolve/main/`, base).href;
  const modelLib = new URL(`libs/${encodeURIComponent(libFileName(m.model_lib))}`, base).href;
  return { model, modelLib };
}

/** The URL web-llm fetches a model's files from (its `cleanModelUrl`: HF-style `resolve/main/`). */
export function modelFilesUrl(record: Pick<ModelRecordLike, 'model'>): string {
  let url = record.model.endsWith('/') ? record.model : `${record.model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/**
 * The AppConfig for a self-hosted mirror: every chat model of `list`, with `model` and
 * `model_lib` pointed at `base` (no request leaves for huggingface.co or GitHub).
 */
export function selfHostedAppConfig(list: readonly ModelRecordLike[], base: URL): AppConfigLike {
  return {
    model_list: chatModels(list).map((m) => {
      const { model, modelLib } = selfHostedUrls(base, m);
      return { ...m, model, model_lib: modelLib };
    }),
  };
}
