import { describe, expect, it } from 'vitest';
import { fakeGpu, fakeWebLLM } from '../../support/fakeWebLLM';
import type { ChatRequest, EngineChunk, EngineUsage, LoadProgress } from '../../../src/engines/types';
import { WebLLMEngine, type WebLLMEngineOptions } from '../../../src/engines/webllm';

const F32 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const req = (signal?: AbortSignal, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  signal,
  ...extra,
});

function setup(opts: Partial<WebLLMEngineOptions> = {}, behaviour: Parameters<typeof fakeWebLLM>[0] = {}) {
  const fake = fakeWebLLM(behaviour);
  const engine = new WebLLMEngine({
    modelId: F32,
    loadModule: fake.load,
    gpu: fakeGpu({ f16: false }),
    ...opts,
  });
  return { fake, engine };
}

async function collect(stream: AsyncIterable<EngineChunk>) {
  let text = '';
  let usage: EngineUsage | undefined;
  for await (const c of stream)
    if (c.type === 'token') text += c.content;
    else usage = c.usage;
  return { text, usage };
}

describe('WebLLMEngine.load', () => {
  it('reports one progress bar that never goes back, ending at 1', async () => {
    const { fake, engine } = setup();
    const seen: LoadProgress[] = [];
    await engine.load((p) => seen.push(p));
    const values = seen.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(values.at(-1)).toBe(1);
    expect(values.some((v) => v > 0.05 && v < 0.8)).toBe(true); // the download phase shows
    expect(fake.engines[0].log).toContain(`reload ${F32}`);
    expect(engine.loaded).toBe(true);
  });

  it('checks WebGPU before importing web-llm: no navigator.gpu, no adapter', async () => {
    const none = setup({ gpu: () => undefined });
    await expect(none.engine.load(() => {})).rejects.toMatchObject({ name: 'NoWebGPUError' });
    expect(none.fake.imports()).toBe(0);
    const noAdapter = setup({ gpu: fakeGpu(null) });
    await expect(noAdapter.engine.load(() => {})).rejects.toMatchObject({ name: 'NoAdapterError' });
    expect(noAdapter.fake.imports()).toBe(0);
  });

  it('refuses f16 models on a GPU without shader-f16 before any download', async () => {
    for (const modelId of ['SmolLM2-360M-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC']) {
      const { fake, engine } = setup({ modelId });
      await expect(engine.load(() => {})).rejects.toMatchObject({ name: 'ShaderF16UnsupportedError' });
      expect(fake.engines).toHaveLength(0);
    }
    const ok = setup({ modelId: 'SmolLM2-360M-Instruct-q4f16_1-MLC', gpu: fakeGpu({ f16: true }) });
    await ok.engine.load(() => {});
    expect(ok.engine.loaded).toBe(true);
  });

  it('refuses models whose buffer needs exceed maxStorageBufferBindingSize, and unknown ids', async () => {
    const big = setup({
      modelId: 'Big-q4f32_1-MLC',
      gpu: fakeGpu({ f16: true, maxStorageBufferBindingSize: 2 ** 27 }),
    });
    await expect(big.engine.load(() => {})).rejects.toMatchObject({ name: 'UnsupportedModelError' });
    const unknown = setup({ modelId: 'nope' });
    await expect(unknown.engine.load(() => {})).rejects.toMatchObject({ name: 'ModelNotFoundError' });
    const embed = setup({ modelId: 'snowflake-arctic-embed-m-q0f32-MLC-b4' });
    await expect(embed.engine.load(() => {})).rejects.toMatchObject({ name: 'ModelNotFoundError' });
  });

  it.each([
    [Object.assign(new Error('lost'), { name: 'DeviceLostError' }), 'DeviceLostError'],
    [new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'QuotaExceededError'],
    [new TypeError('Failed to fetch'), 'NetworkError'],
    [Object.assign(new Error('x'), { name: 'ShaderF16SupportError' }), 'ShaderF16UnsupportedError'],
  ])('maps a reload failure (%s) to %s and unloads', async (error, name) => {
    const { fake, engine } = setup({}, { reloadError: error });
    await expect(engine.load(() => {})).rejects.toMatchObject({ name });
    expect(fake.engines[0].log.at(-1)).toBe('unload');
    expect(engine.loaded).toBe(false);
  });

  it('aborting a load unloads web-llm and rejects with AbortError', async () => {
    const { fake, engine } = setup({}, { reloadMs: 200 });
    const ctl = new AbortController();
    const pending = engine.load(() => {}, ctl.signal);
    setTimeout(() => ctl.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.engines[0].log).toContain('unload');
    expect(engine.loaded).toBe(false);
  });

  it('points a self-hosted mirror at <base>/<id>/resolve/main/ and <base>/libs/, after a HEAD check', async () => {
    const heads: string[] = [];
    const fetchOk: typeof fetch = async (url, init) => {
      heads.push(`${init?.method} ${String(url)}`);
      return new Response(null, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    };
    const { fake, engine } = setup({ modelBaseUrl: '/models', baseHref: 'https://app.example/x/', fetch: fetchOk });
    await engine.load(() => {});
    const record = fake.engines[0].config?.appConfig?.model_list.find((m) => m.model_id === F32);
    expect(record?.model).toBe(`https://app.example/models/${F32}/resolve/main/`);
    expect(record?.model_lib).toBe('https://app.example/models/libs/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm');
    expect(heads).toEqual([
      `HEAD https://app.example/models/${F32}/resolve/main/mlc-chat-config.json`,
      `HEAD https://app.example/models/${F32}/resolve/main/tensor-cache.json`,
      'HEAD https://app.example/models/libs/Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm',
    ]);
  });

  it('names the missing files of an incomplete mirror (404 or an HTML fallback page)', async () => {
    const fetchPartial: typeof fetch = async (url) => {
      const u = String(url);
      if (u.endsWith('mlc-chat-config.json')) return new Response('{}', { status: 200 });
      if (u.endsWith('.wasm')) return new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } });
      return new Response('', { status: 404 });
    };
    const { fake, engine } = setup({ modelBaseUrl: 'https://cdn.example/m/', fetch: fetchPartial });
    const err = await engine.load(() => {}).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ModelFilesMissingError' });
    expect((err as Error).message).toContain('tensor-cache.json (HTTP 404)');
    expect((err as Error).message).toContain('.wasm (served an HTML page)');
    expect(fake.engines).toHaveLength(0);
  });

  it('rejects malformed base URLs with InvalidModelUrlError before anything happens', () => {
    for (const bad of ['ftp://host/models/', 'javascript:alert(1)', 'http://', '   '])
      expect(() => new WebLLMEngine({ modelBaseUrl: bad, baseHref: 'https://app.example/' })).toThrow(
        expect.objectContaining({ name: 'InvalidModelUrlError' }),
      );
  });
});

describe('WebLLMEngine.stream', () => {
  it('streams deltas then usage with web-llm extras and our own time to first token', async () => {
    const { fake, engine } = setup();
    await engine.load(() => {});
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const { text, usage } = await collect(engine.stream(req(undefined, { jsonSchema: schema, maxTokens: 64 })));
    expect(text).toBe('Hello there. Fine!');
    expect(usage).toMatchObject({
      promptTokens: 12,
      completionTokens: 5,
      prefillTokensPerSecond: 321,
      decodeTokensPerSecond: 45.5,
      finishReason: 'stop',
    });
    expect(usage?.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(fake.engines[0].requests[0]).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      response_format: { type: 'json_object', schema: JSON.stringify(schema) },
    });
  });

  it('on abort interrupts, releases the lock, throws AbortError; the next generation works', async () => {
    const { fake, engine } = setup({}, { tokenMs: 20 });
    await engine.load(() => {});
    const ctl = new AbortController();
    let got = '';
    const run = (async () => {
      for await (const c of engine.stream(req(ctl.signal))) {
        if (c.type === 'token') got += c.content;
        if (got === 'Hello') ctl.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(got).toBe('Hello');
    const log = fake.engines[0].log;
    expect(log).toContain('interrupt');
    expect(log.at(-1)).toBe('released');
    expect((await collect(engine.stream(req()))).text).toBe('Hello there. Fine!');
  });

  it('releases the lock when the consumer stops early (return) or aborts before the first token', async () => {
    const { engine } = setup();
    await engine.load(() => {});
    for await (const c of engine.stream(req())) if (c.type === 'token') break;
    const ctl = new AbortController();
    const it = engine.stream(req(ctl.signal))[Symbol.asyncIterator]();
    const first = it.next();
    ctl.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect((await collect(engine.stream(req()))).text).toBe('Hello there. Fine!');
  });

  it('refuses to stream before load, and after unload', async () => {
    const { engine } = setup();
    await expect(collect(engine.stream(req()))).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
    await engine.load(() => {});
    await engine.unload();
    await expect(collect(engine.stream(req()))).rejects.toMatchObject({ name: 'ModelNotLoadedError' });
  });

  it('reports finish reason "length" when max_tokens or the context window cuts the answer', async () => {
    const { engine } = setup();
    await engine.load(() => {});
    const capped = await collect(engine.stream(req(undefined, { maxTokens: 2 })));
    expect(capped.text).toBe('Hello there');
    expect(capped.usage).toMatchObject({ completionTokens: 2, finishReason: 'length' });

    const full = setup({}, { promptTokens: 4093 }); // 3 tokens left of the 4096-token window
    await full.engine.load(() => {});
    const cut = await collect(full.engine.stream(req()));
    expect(cut.text).toBe('Hello there.');
    expect(cut.usage).toMatchObject({ promptTokens: 4093, completionTokens: 3, finishReason: 'length' });
  });

  it('a prompt longer than the context window fails with ContextWindowExceededError', async () => {
    const { fake, engine } = setup({}, { promptTokens: 5000 });
    await engine.load(() => {});
    const err = await collect(engine.stream(req())).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ContextWindowExceededError' });
    expect((err as Error).message).toBe(
      "The input is too long for this model: the prompt has 5000 tokens, but this model's context window " +
        'holds 4096 (prompt and answer together). Shorten the input or pick a model with a larger context window.',
    );
    expect(engine.generating).toBe(false);
    fake.behaviour.promptTokens = 12;
    expect((await collect(engine.stream(req()))).text).toBe('Hello there. Fine!');
  });

  it('is generating from the first step of a stream until it ends or is left early', async () => {
    const { engine } = setup();
    await engine.load(() => {});
    const it = engine.stream(req())[Symbol.asyncIterator]();
    expect(engine.generating).toBe(false); // not started
    await it.next();
    expect(engine.generating).toBe(true);
    await it.return?.(undefined);
    expect(engine.generating).toBe(false);
    for await (const c of engine.stream(req())) expect([c.type, engine.generating]).toEqual([c.type, true]);
    expect(engine.generating).toBe(false);
  });
});

describe('WebLLMEngine.contextWindowTokens', () => {
  it("comes from the model record, then from web-llm's loaded chat config", async () => {
    const { engine } = setup({}, { chatConfig: { context_window_size: 32768 } });
    expect(engine.contextWindowTokens).toBeUndefined();
    const during: (number | undefined)[] = [];
    await engine.load(() => during.push(engine.contextWindowTokens));
    expect(during.at(-2)).toBe(4096); // the record's override, before web-llm finished
    expect(engine.contextWindowTokens).toBe(4096); // web-llm applies the same override
    await engine.unload();
    expect(engine.contextWindowTokens).toBe(4096);
  });

  it("falls back to mlc-chat-config.json's value for a record without overrides", async () => {
    const { engine } = setup(
      { modelId: 'Big-q4f32_1-MLC', gpu: fakeGpu({ f16: false, maxStorageBufferBindingSize: 2 ** 32 }) },
      { chatConfig: { context_window_size: 8192, sliding_window_size: -1 } },
    );
    await engine.load(() => {});
    expect(engine.contextWindowTokens).toBe(8192);
  });

  it("reads a map that the installed web-llm's MLCEngine really has", async () => {
    const { MLCEngine } = await import('@mlc-ai/web-llm');
    const real = new MLCEngine({}) as unknown as { loadedModelIdToChatConfig?: unknown };
    expect(real.loadedModelIdToChatConfig).toBeInstanceOf(Map);
  });
});
