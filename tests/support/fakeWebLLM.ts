/**
 * Test stand-ins for the slice of `@mlc-ai/web-llm` the engines call, and for `navigator.gpu`.
 * They mimic the behaviours that matter to us: web-llm's per-model generation lock (taken when
 * the stream starts, released in its `finally`), the interrupt flag being cleared when a stream
 * starts, progress that restarts from 0 for the GPU-upload phase, reload() returning quietly
 * when unload() aborts it, the chat config (mlc-chat-config.json with the record's overrides)
 * it keeps per loaded model, and how a generation ends: `finish_reason` "length" at
 * `max_tokens` or a full context window, and ContextWindowSizeExceededError for a prompt
 * that does not fit.
 */
import type { AppConfigLike, ChatConfigLike, ModelRecordLike } from '../../src/engines/models';
import type { MLCEngineLike, WebLLMChatRequest, WebLLMChunk, WebLLMModuleLike } from '../../src/engines/webllm';

export const FAKE_MODELS: ModelRecordLike[] = [
  {
    model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    model_id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    model_lib: 'https://example.invalid/libs/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    vram_required_MB: 1060.2,
    low_resource_required: true,
    overrides: { context_window_size: 4096 },
  },
  {
    model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
    model_id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
    model_lib: 'https://example.invalid/libs/Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm',
    vram_required_MB: 944.6,
  },
  {
    model: 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f16_1-MLC',
    model_id: 'SmolLM2-360M-Instruct-q4f16_1-MLC',
    model_lib: 'https://example.invalid/libs/SmolLM2-360M-Instruct-q4f16_1_cs1k-webgpu.wasm',
    required_features: ['shader-f16'],
    overrides: { context_window_size: 1024 },
  },
  {
    model: 'https://huggingface.co/mlc-ai/Big-q4f32_1-MLC',
    model_id: 'Big-q4f32_1-MLC',
    model_lib: 'https://example.invalid/libs/Big-q4f32_1-webgpu.wasm',
    buffer_size_required_bytes: 2 ** 31,
  },
  {
    model: 'https://huggingface.co/mlc-ai/snowflake-arctic-embed-m-q0f32-MLC-b4',
    model_id: 'snowflake-arctic-embed-m-q0f32-MLC-b4',
    model_lib: 'https://example.invalid/libs/embed.wasm',
    model_type: 1,
  },
];

export interface FakeBehaviour {
  /** The answer, token by token. */
  reply: string[];
  /** Thrown by reload(), after some progress. */
  reloadError?: unknown;
  /** How long reload() takes, in ms. */
  reloadMs: number;
  /** Delay per decoded token, in ms. */
  tokenMs: number;
  /** How long deleting a model's cache takes, in ms. */
  deleteMs: number;
  /** The model's mlc-chat-config.json (window fields); the record's overrides go on top. */
  chatConfig: ChatConfigLike;
  /** What the tokenizer makes of every prompt. */
  promptTokens: number;
}

/** web-llm 0.2.86's error (lib/index.js; not exported), same name and message. */
function contextWindowSizeExceeded(numPromptTokens: number, contextWindowSize: number): Error {
  const err = new Error(
    `Prompt tokens exceed context window size: number of prompt tokens: ${numPromptTokens}; ` +
      `context window size: ${contextWindowSize}\nConsider shortening the prompt, or increase ` +
      '`context_window_size`, or using sliding window via `sliding_window_size`.',
  );
  err.name = 'ContextWindowSizeExceededError';
  return err;
}

export class FakeMLCEngine implements MLCEngineLike {
  readonly log: string[] = [];
  readonly requests: WebLLMChatRequest[] = [];
  loadedModel?: string;
  readonly loadedModelIdToChatConfig = new Map<string, ChatConfigLike>();
  /** Like web-llm's lock: held from the stream's first step until its `finally`. */
  busy = false;
  private interrupted = false;
  private progress?: (r: { progress: number; text: string; timeElapsed?: number }) => void;
  private abortReload?: () => void;

  constructor(
    readonly config: { appConfig?: AppConfigLike } | undefined,
    private readonly behaviour: FakeBehaviour,
  ) {}

  chat = {
    completions: {
      create: async (request: WebLLMChatRequest): Promise<AsyncIterable<WebLLMChunk>> => {
        this.log.push('create');
        if (!this.loadedModel) throw Object.assign(new Error('not loaded'), { name: 'ModelNotLoadedError' });
        // The real lock would queue forever behind an unfinished stream; failing makes it visible.
        if (this.busy) throw new Error('FakeMLCEngine: the previous stream still holds the lock');
        this.requests.push(request);
        return this.generate(request);
      },
    },
  };

  private async *generate(request: WebLLMChatRequest): AsyncGenerator<WebLLMChunk> {
    this.busy = true;
    this.interrupted = false; // web-llm resets the flag when a generation starts
    let n = 0;
    try {
      const prompt = this.behaviour.promptTokens;
      const window = this.loadedModelIdToChatConfig.get(this.loadedModel ?? '')?.context_window_size ?? -1;
      if (window > 0 && prompt > window) throw contextWindowSizeExceeded(prompt, window);
      let finish = 'stop';
      for (const token of this.behaviour.reply) {
        if (this.interrupted) {
          finish = 'abort';
          break;
        }
        await new Promise((r) => setTimeout(r, this.behaviour.tokenMs));
        n++;
        yield { choices: [{ delta: { content: token }, finish_reason: null }] };
        if (n === request.max_tokens || prompt + n === window) {
          finish = 'length';
          break;
        }
      }
      yield { choices: [{ delta: {}, finish_reason: finish }] };
      if (request.stream_options.include_usage)
        yield {
          choices: [],
          usage: {
            prompt_tokens: prompt,
            completion_tokens: n,
            extra: { prefill_tokens_per_s: 321, decode_tokens_per_s: 45.5, time_to_first_token_s: 0.01 },
          },
        };
    } finally {
      this.busy = false;
      this.log.push('released');
    }
  }

  interruptGenerate(): void {
    this.log.push('interrupt');
    this.interrupted = true;
  }

  setInitProgressCallback(cb: (r: { progress: number; text: string; timeElapsed?: number }) => void): void {
    this.progress = cb;
  }

  async reload(modelId: string): Promise<void> {
    this.log.push(`reload ${modelId}`);
    const steps: [number, string][] = [
      [0, 'Start to fetch params'],
      [0.5, 'Fetching param cache[1/2]: 50% completed'],
      [1, 'Fetching param cache[2/2]: 100% completed'],
      [0.5, 'Loading model from cache[1/2]: 50% completed'],
      [1, 'Loading model from cache[2/2]: 100% completed'],
    ];
    let aborted = false;
    this.abortReload = () => (aborted = true);
    for (const [i, [progress, text]] of steps.entries()) {
      await new Promise((r) => setTimeout(r, this.behaviour.reloadMs / steps.length));
      if (aborted) return; // web-llm swallows its own AbortError
      this.progress?.({ progress, text, timeElapsed: i });
      if (i === 2 && this.behaviour.reloadError !== undefined) throw this.behaviour.reloadError;
    }
    this.loadedModel = modelId;
    const record = this.config?.appConfig?.model_list.find((m) => m.model_id === modelId);
    this.loadedModelIdToChatConfig.set(modelId, { ...this.behaviour.chatConfig, ...record?.overrides });
    this.progress?.({ progress: 1, text: 'Finish loading on WebGPU - fake', timeElapsed: 5 });
  }

  async unload(): Promise<void> {
    this.log.push('unload');
    this.abortReload?.();
    this.loadedModel = undefined;
    this.loadedModelIdToChatConfig.clear();
  }
}

/** A fake `@mlc-ai/web-llm` module; `engines` records every MLCEngine it made. */
export function fakeWebLLM(behaviour: Partial<FakeBehaviour> = {}) {
  const b: FakeBehaviour = {
    reply: ['Hello', ' there', '.', ' Fine', '!'],
    reloadMs: 5,
    tokenMs: 1,
    deleteMs: 0,
    chatConfig: { context_window_size: 32768, sliding_window_size: -1 },
    promptTokens: 12,
    ...behaviour,
  };
  const engines: FakeMLCEngine[] = [];
  const cached = new Set<string>(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC']);
  const deleted: { modelId: string; appConfig?: AppConfigLike }[] = [];
  let imports = 0;
  const module: WebLLMModuleLike = {
    MLCEngine: class extends FakeMLCEngine {
      constructor(config?: { appConfig?: AppConfigLike }) {
        super(config, b);
        engines.push(this);
      }

      override async reload(modelId: string): Promise<void> {
        await super.reload(modelId);
        if (this.loadedModel === modelId) cached.add(modelId); // a load downloads into the cache
      }
    },
    prebuiltAppConfig: { model_list: FAKE_MODELS },
    hasModelInCache: async (id) => cached.has(id),
    deleteModelAllInfoInCache: async (modelId, appConfig) => {
      await new Promise((r) => setTimeout(r, b.deleteMs));
      deleted.push({ modelId, appConfig });
      cached.delete(modelId);
    },
  };
  return {
    engines,
    deleted,
    behaviour: b,
    imports: () => imports,
    load: async () => {
      imports++;
      return module;
    },
  };
}

/** A `navigator.gpu` stand-in: `null` adapter, or one with the given features and limits. */
export function fakeGpu(adapter: { f16: boolean; maxStorageBufferBindingSize?: number } | null): () => GPU {
  return () =>
    ({
      requestAdapter: async () =>
        adapter && {
          features: new Set(adapter.f16 ? ['shader-f16'] : []),
          limits: { maxStorageBufferBindingSize: adapter.maxStorageBufferBindingSize ?? 2 ** 30 },
          info: { vendor: 'fake', architecture: 'test', description: 'Fake GPU' },
        },
    }) as unknown as GPU;
}
