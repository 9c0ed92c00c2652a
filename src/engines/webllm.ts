import { namedError } from '../shared/errors';
import { abortError, ENGINE_ERRORS, throwIfAborted, toEngineError } from './errors';
import { defaultGpuSource, gpuUnavailableError, probeGpu, type GpuSource } from './gpu';
import {
  chatModels,
  contextWindowOf,
  DEFAULT_WEBLLM_MODEL_ID,
  needsShaderF16,
  recordContextWindow,
  resolveModelBaseUrl,
  selfHostedAppConfig,
  unsupportedReason,
  type AppConfigLike,
  type ChatConfigLike,
  type ModelRecordLike,
} from './models';
import { preflightSelfHosted, webLLMProgressMapper } from './webllmLoad';
import type { ChatEngine, ChatRequest, EngineChunk, EngineUsage, LoadProgress } from './types';

/** One streamed chunk of web-llm's OpenAI-style chat completion, as far as we read it. */
export interface WebLLMChunk {
  /** `finish_reason` is null until the last choice chunk, which web-llm sends before usage. */
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    extra?: { prefill_tokens_per_s?: number; decode_tokens_per_s?: number; time_to_first_token_s?: number };
  };
}

/** The request we send to `chat.completions.create`. */
export interface WebLLMChatRequest {
  messages: { role: string; content: string }[];
  stream: true;
  stream_options: { include_usage: true };
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: 'json_object'; schema: string };
}

/** The part of web-llm's `MLCEngine` we call; tests hand in a stand-in. */
export interface MLCEngineLike {
  chat: { completions: { create(request: WebLLMChatRequest): Promise<AsyncIterable<WebLLMChunk>> } };
  interruptGenerate(): void | Promise<void>;
  reload(modelId: string): Promise<void>;
  setInitProgressCallback(cb: (report: { progress: number; text: string; timeElapsed?: number }) => void): void;
  unload(): Promise<void>;
  /**
   * web-llm's (TypeScript-private) map from loaded model id to the chat config it built:
   * mlc-chat-config.json with the record's `overrides` on top. It has no public getter, so we
   * read it for the real context window, and fall back to the record when it is gone.
   */
  readonly loadedModelIdToChatConfig?: ReadonlyMap<string, ChatConfigLike>;
}

/** The part of the `@mlc-ai/web-llm` module we use. */
export interface WebLLMModuleLike {
  MLCEngine: new (config?: { appConfig?: AppConfigLike }) => MLCEngineLike;
  prebuiltAppConfig: AppConfigLike;
  hasModelInCache(modelId: string, appConfig?: AppConfigLike): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string, appConfig?: AppConfigLike): Promise<void>;
}

let webllmModule: Promise<WebLLMModuleLike> | undefined;

/**
 * Imports `@mlc-ai/web-llm` on first use. This dynamic `import()` is the only reference to the
 * package, so its ~2 MB chunk is fetched only when a user actually picks WebLLM.
 */
export function importWebLLM(): Promise<WebLLMModuleLike> {
  // The real module's overloaded `create` is wider than our slice of it; the cast narrows it.
  webllmModule ??= import('@mlc-ai/web-llm').then((m) => m as unknown as WebLLMModuleLike);
  webllmModule.catch(() => (webllmModule = undefined)); // let a later call retry a failed import
  return webllmModule;
}

export interface WebLLMEngineOptions {
  /** A model id from web-llm's prebuilt list; defaults to {@link DEFAULT_WEBLLM_MODEL_ID}. */
  modelId?: string;
  /** Self-hosted mirror (see README.md); absent = web-llm's default hosts. */
  modelBaseUrl?: string;
  /** What a relative `modelBaseUrl` resolves against; the worker's URL by default. */
  baseHref?: string;
  /** Injected in tests; the dynamic import by default. */
  loadModule?: () => Promise<WebLLMModuleLike>;
  gpu?: GpuSource;
  /** Used to check a self-hosted mirror before loading; global fetch by default. */
  fetch?: typeof fetch;
}

/**
 * A WebLLM model driven by an `MLCEngine` living in this worker (no WebWorkerMLCEngine
 * wrapper: the graph already runs off the main thread). Throws `InvalidModelUrlError` from
 * the constructor for a bad `modelBaseUrl`, before anything is fetched.
 */
export class WebLLMEngine implements ChatEngine {
  readonly kind = 'webllm' as const;
  readonly modelId: string;
  /** The resolved self-hosted base, when one was given. */
  readonly modelBase?: URL;
  private readonly loadModule: () => Promise<WebLLMModuleLike>;
  private readonly gpu: GpuSource;
  private readonly fetchFn: typeof fetch;
  private engine?: MLCEngineLike;
  private contextWindow?: number;
  private streams = 0;

  constructor(options: WebLLMEngineOptions = {}) {
    this.modelId = options.modelId ?? DEFAULT_WEBLLM_MODEL_ID;
    if (options.modelBaseUrl !== undefined)
      this.modelBase = resolveModelBaseUrl(options.modelBaseUrl, options.baseHref);
    this.loadModule = options.loadModule ?? importWebLLM;
    this.gpu = options.gpu ?? defaultGpuSource;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** True once `load()` succeeded and until `unload()`. */
  get loaded(): boolean {
    return this.engine !== undefined;
  }

  /** True while a `stream()` is under way (from its first step until it ends or is closed). */
  get generating(): boolean {
    return this.streams > 0;
  }

  /**
   * From the model record once `load()` has found it; after loading, what web-llm actually
   * configured (mlc-chat-config.json with the record's overrides). Kept after `unload()`.
   */
  get contextWindowTokens(): number | undefined {
    return this.contextWindow;
  }

  /** The AppConfig this engine loads from (web-llm's prebuilt one, or the self-hosted mirror). */
  appConfig(mod: WebLLMModuleLike): AppConfigLike {
    return this.modelBase
      ? selfHostedAppConfig(mod.prebuiltAppConfig.model_list, this.modelBase)
      : mod.prebuiltAppConfig;
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    let engine: MLCEngineLike | undefined;
    const onAbort = () => void engine?.unload(); // aborts web-llm's in-flight downloads
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      throwIfAborted(signal);
      onProgress({ text: 'Checking WebGPU…', progress: 0 });
      // Capability check first: no point fetching the runtime, let alone weights, without a GPU.
      const gpu = await probeGpu(this.gpu);
      if (!gpu.available) throw gpuUnavailableError(gpu);
      const mod = await this.loadModule();
      throwIfAborted(signal);
      const appConfig = this.appConfig(mod);
      const record = chatModels(appConfig.model_list).find((m) => m.model_id === this.modelId);
      if (!record) throw namedError(ENGINE_ERRORS.modelNotFound, `Unknown WebLLM chat model "${this.modelId}".`);
      checkSupported(record, gpu);
      this.contextWindow = recordContextWindow(record);
      if (this.modelBase) {
        onProgress({ text: 'Checking the self-hosted model files…', progress: 0.02 });
        await preflightSelfHosted(record, this.fetchFn, signal);
      }
      engine = new mod.MLCEngine({ appConfig });
      const map = webLLMProgressMapper();
      engine.setInitProgressCallback((r) => onProgress({ ...map(r), timeElapsed: r.timeElapsed }));
      await engine.reload(this.modelId);
      // web-llm swallows the abort of its own downloads and returns normally.
      throwIfAborted(signal);
      this.contextWindow = contextWindowOf(engine.loadedModelIdToChatConfig?.get(this.modelId)) ?? this.contextWindow;
      this.engine = engine;
      onProgress({ text: `${this.modelId} ready.`, progress: 1 });
    } catch (err) {
      await engine?.unload().catch(() => undefined);
      throw signal?.aborted ? abortError('Loading the model was cancelled.') : toEngineError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.unload();
  }

  async *stream(request: ChatRequest): AsyncGenerator<EngineChunk> {
    const engine = this.engine;
    if (!engine) throw namedError(ENGINE_ERRORS.notLoaded, `The WebLLM model ${this.modelId} is not loaded.`);
    this.streams++;
    try {
      yield* this.generate(engine, request);
    } finally {
      this.streams--;
    }
  }

  private async *generate(engine: MLCEngineLike, request: ChatRequest): AsyncGenerator<EngineChunk> {
    const { signal } = request;
    throwIfAborted(signal);
    const start = performance.now();
    let chunks: AsyncIterable<WebLLMChunk>;
    try {
      chunks = await engine.chat.completions.create(toWebLLMRequest(request));
    } catch (err) {
      throw toEngineError(err);
    }
    const it = chunks[Symbol.asyncIterator]();
    const onAbort = () => void engine.interruptGenerate();
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    let firstAt: number | undefined;
    let usage: WebLLMChunk['usage'];
    let finishReason: string | undefined;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) {
          finished = true;
          break;
        }
        if (signal?.aborted) break;
        const choice = r.value.choices?.[0];
        const delta = choice?.delta?.content;
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (r.value.usage) usage = r.value.usage;
        if (delta) {
          firstAt ??= performance.now();
          yield { type: 'token', content: delta };
        }
      }
    } catch (err) {
      throw signal?.aborted ? abortError() : toEngineError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Stopped early (abort, or our consumer called return()): web-llm holds a per-model lock
      // until its generator finishes. return() runs its `finally` (releasing the lock) whether it
      // is suspended at a yield or not started yet; draining would not do for the latter, since
      // a generator that starts after interruptGenerate() clears the interrupt flag.
      if (!finished) await closeStream(engine, it);
    }
    throwIfAborted(signal);
    yield { type: 'usage', usage: toUsage(usage, start, firstAt, finishReason) };
  }
}

function checkSupported(record: ModelRecordLike, gpu: Parameters<typeof unsupportedReason>[1]): void {
  const reason = unsupportedReason(record, gpu);
  if (!reason) return;
  const f16 = needsShaderF16(record) && !gpu.shaderF16;
  throw namedError(f16 ? ENGINE_ERRORS.shaderF16 : ENGINE_ERRORS.unsupportedModel, `${record.model_id}: ${reason}`);
}

async function closeStream(engine: MLCEngineLike, it: AsyncIterator<WebLLMChunk>): Promise<void> {
  try {
    await engine.interruptGenerate();
    if (it.return) await it.return();
    else while (!(await it.next()).done); // an iterator without return(): drain it
  } catch {
    // Closing is best effort; the caller is already leaving with its own result or error.
  }
}

function toWebLLMRequest(request: ChatRequest): WebLLMChatRequest {
  const out: WebLLMChatRequest = {
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.maxTokens !== undefined) out.max_tokens = request.maxTokens;
  if (request.jsonSchema) out.response_format = { type: 'json_object', schema: JSON.stringify(request.jsonSchema) };
  return out;
}

function toUsage(
  u: WebLLMChunk['usage'],
  start: number,
  firstAt: number | undefined,
  finishReason: string | undefined,
): EngineUsage {
  const usage: EngineUsage = { promptTokens: u?.prompt_tokens ?? 0, completionTokens: u?.completion_tokens ?? 0 };
  if (u?.extra?.prefill_tokens_per_s !== undefined) usage.prefillTokensPerSecond = u.extra.prefill_tokens_per_s;
  if (u?.extra?.decode_tokens_per_s !== undefined) usage.decodeTokensPerSecond = u.extra.decode_tokens_per_s;
  // Measured here, around web-llm, so it includes lock wait and grammar setup the user also waits for.
  if (firstAt !== undefined) usage.timeToFirstTokenMs = firstAt - start;
  if (finishReason !== undefined) usage.finishReason = finishReason;
  return usage;
}
