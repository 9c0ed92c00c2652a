/**
 * Test stand-ins for the slice of `@mlc-ai/web-llm` the engines call, and for `navigator.gpu`.
 * They mimic the behaviours that matter to us: web-llm's per-model generation lock (taken when
 * the stream starts, released in its `finally`), the interrupt flag being cleared when a stream
 * starts, progress that restarts from 0 for the GPU-upload phase, and reload() returning quietly
 * when unload() aborts it.
 */
import type { AppConfigLike, ModelRecordLike } from '../../src/engines/models';
import type { MLCEngineLike, WebLLMChatRequest, WebLLMChunk, WebLLMModuleLike } from '../../src/engines/webllm';

export const FAKE_MODELS: ModelRecordLike[] = [
  {
    model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    model_id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    model_lib: 'https://example.invalid/libs/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    vram_required_MB: 1060.2,
    low_resource_required: true,
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
}

export class FakeMLCEngine implements MLCEngineLike {
  readonly log: string[] = [];
  readonly requests: WebLLMChatRequest[] = [];
  loadedModel?: string;
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
      for (const token of this.behaviour.reply) {
        if (this.interrupted) break;
        await new Promise((r) => setTimeout(r, this.behaviour.tokenMs));
        n++;
        yield { choices: [{ delta: { content: token } }] };
      }
      yield { choices: [{ delta: {} }] };
      if (request.stream_options.include_usage)
        yield {
          choices: [],
          usage: {
            prompt_tokens: 12,
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
    this.progress?.({ progress: 1, text: 'Finish loading on WebGPU - fake', timeElapsed: 5 });
  }

  async unload(): Promise<void> {
    this.log.push('unload');
    this.abortReload?.();
    this.loadedModel = undefined;
  }
}

/** A fake `@mlc-ai/web-llm` module; `engines` records every MLCEngine it made. */
export function fakeWebLLM(behaviour: Partial<FakeBehaviour> = {}) {
  const b: FakeBehaviour = { reply: ['Hello', ' there', '.', ' Fine', '!'], reloadMs: 5, tokenMs: 1, ...behaviour };
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
    },
    prebuiltAppConfig: { model_list: FAKE_MODELS },
    hasModelInCache: async (id) => cached.has(id),
    deleteModelAllInfoInCache: async (modelId, appConfig) => {
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
