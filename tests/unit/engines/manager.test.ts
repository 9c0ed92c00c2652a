import { describe, expect, it } from 'vitest';
import { createEngineManager, type EngineManagerOptions } from '../../../src/engines/manager';
import { streamedText } from '../../support/engines';
import { fakeGpu, fakeWebLLM } from '../../support/fakeWebLLM';
import type { ChatEngine, ChatRequest, LoadProgress } from '../../../src/engines/types';

const F32 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
// The demo engine streams the request's own demo answer (a graph supplies one; this is ours);
// WebLLM ignores it and the fake model answers 'Hello there. Fine!'.
const DEMO_ANSWER = '{"tables":["orders"]}';
const req: ChatRequest = {
  messages: [{ role: 'user', content: 'a shop with orders' }],
  jsonSchema: { type: 'object' },
  demo: () => DEMO_ANSWER,
};

const text = (engine: ChatEngine) => streamedText(engine, req);

function setup(behaviour: Parameters<typeof fakeWebLLM>[0] = {}, opts: EngineManagerOptions = {}) {
  const fake = fakeWebLLM(behaviour);
  const manager = createEngineManager({
    demo: { tokensPerSecond: 0 },
    loadWebLLM: fake.load,
    gpu: fakeGpu({ f16: false }),
    baseHref: 'https://app.example/',
    ...opts,
  });
  return { fake, manager };
}

type Progress = LoadProgress & { modelId: string };

describe('createEngineManager', () => {
  it('starts with a working demo engine and never imports web-llm for it', async () => {
    const { fake, manager } = setup();
    expect(manager.current().kind).toBe('demo');
    expect(await text(manager.current())).toBe(DEMO_ANSWER);
    await manager.select({ kind: 'demo', demo: { tokensPerSecond: 0, malformedAnswers: 1 } }, () => {});
    // The new demo engine's options apply: its first JSON answer is cut in half (21 chars -> 10).
    expect(await text(manager.current())).toBe('{"tables":');
    expect(await text(manager.current())).toBe(DEMO_ANSWER);
    expect(fake.imports()).toBe(0);
  });

  it('loads WebLLM with progress that carries the model id and never goes backwards', async () => {
    const { manager } = setup();
    const seen: Progress[] = [];
    const engine = await manager.select({ kind: 'webllm' }, (p) => seen.push(p));
    expect(engine.kind).toBe('webllm');
    expect(engine.modelId).toBe(F32);
    expect(manager.current()).toBe(engine);
    expect(seen.every((p) => p.modelId === F32)).toBe(true);
    const values = seen.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    expect(values.at(-1)).toBe(1);
    expect(await text(engine)).toBe('Hello there. Fine!');
  });

  it.each([
    ['quota', new DOMException('quota', 'QuotaExceededError'), 'QuotaExceededError', /storage quota/],
    ['network', new TypeError('Failed to fetch'), 'NetworkError', /network request/],
    [
      'device loss',
      Object.assign(new Error('GPU device was lost'), { name: 'DeviceLostError' }),
      'DeviceLostError',
      /GPU/,
    ],
  ])(
    'a load that fails by %s falls back to the demo engine with a clear error',
    async (_kind, cause, name, message) => {
      const { fake, manager } = setup({ reloadError: cause });
      const err = await manager.select({ kind: 'webllm' }, () => {}).catch((e: Error) => e);
      expect(err).toMatchObject({ name });
      expect((err as Error).message).toMatch(message);
      expect(manager.current().kind).toBe('demo');
      expect(await text(manager.current())).toBe(DEMO_ANSWER);
      expect(fake.engines[0].log.at(-1)).toBe('unload');
    },
  );

  it('falls back to demo when there is no WebGPU, without fetching web-llm', async () => {
    const { fake, manager } = setup({}, { gpu: () => undefined });
    await expect(manager.select({ kind: 'webllm' }, () => {})).rejects.toMatchObject({ name: 'NoWebGPUError' });
    expect(manager.current().kind).toBe('demo');
    expect(fake.imports()).toBe(0);
    expect(await manager.probeGpu()).toMatchObject({ available: false });
  });

  it('unloads the previous model before loading another, and when switching back to demo', async () => {
    const { fake, manager } = setup({}, { gpu: fakeGpu({ f16: true }) });
    await manager.select({ kind: 'webllm' }, () => {});
    const again = await manager.select({ kind: 'webllm' }, () => {});
    expect(fake.engines).toHaveLength(1); // same model: kept, not reloaded
    expect(again).toBe(manager.current());
    await manager.select({ kind: 'webllm', modelId: 'SmolLM2-360M-Instruct-q4f16_1-MLC' }, () => {});
    expect(fake.engines[0].log.at(-1)).toBe('unload');
    await manager.select({ kind: 'demo' }, () => {});
    expect(fake.engines[1].log.at(-1)).toBe('unload');
    expect(manager.current().kind).toBe('demo');
  });

  it('a newer select cancels an unfinished one', async () => {
    const { manager } = setup({ reloadMs: 100 });
    const first = manager.select({ kind: 'webllm' }, () => {});
    await new Promise((r) => setTimeout(r, 10));
    const second = manager.select({ kind: 'demo' }, () => {});
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await second;
    expect(manager.current().kind).toBe('demo');
  });

  it('rejects a malformed base URL without touching the loaded model', async () => {
    const { manager } = setup();
    const loaded = await manager.select({ kind: 'webllm' }, () => {});
    await expect(
      manager.select({ kind: 'webllm', modelId: 'other', modelBaseUrl: 'ftp://x/' }, () => {}),
    ).rejects.toMatchObject({ name: 'InvalidModelUrlError' });
    expect(manager.current()).toBe(loaded);
    expect(await text(loaded)).toBe('Hello there. Fine!');
  });

  it('lists chat models with support and cache state for this GPU', async () => {
    const { manager } = setup({}, { gpu: fakeGpu({ f16: false, maxStorageBufferBindingSize: 2 ** 28 }) });
    const { gpu, models, defaultModelId } = await manager.list();
    expect(defaultModelId).toBe(F32);
    expect(gpu).toMatchObject({ available: true, shaderF16: false, vendor: 'fake' });
    const byId = Object.fromEntries(models.map((m) => [m.modelId, m]));
    expect(Object.keys(byId)).not.toContain('snowflake-arctic-embed-m-q0f32-MLC-b4');
    expect(byId[F32]).toMatchObject({
      cached: true,
      needsF16: false,
      lowResource: true,
      vramMB: 1060.2,
      contextWindowTokens: 4096,
    });
    expect(byId['SmolLM2-360M-Instruct-q4f16_1-MLC'].contextWindowTokens).toBe(1024);
    expect(byId['Big-q4f32_1-MLC'].contextWindowTokens).toBeUndefined(); // only its chat config knows
    expect(byId[F32].unsupportedReason).toBeUndefined();
    expect(byId['Qwen2.5-0.5B-Instruct-q4f16_1-MLC'].unsupportedReason).toMatch(/shader-f16/);
    expect(byId['SmolLM2-360M-Instruct-q4f16_1-MLC']).toMatchObject({ needsF16: true, cached: false });
    expect(byId['Big-q4f32_1-MLC'].unsupportedReason).toMatch(/storage buffer/);
  });

  it('lists every model as unsupported when there is no adapter', async () => {
    const { manager } = setup({}, { gpu: fakeGpu(null) });
    const { gpu, models } = await manager.list();
    expect(gpu.available).toBe(false);
    expect(models.every((m) => m.unsupportedReason)).toBe(true);
  });

  it('deletes a model from the cache of the chosen mirror', async () => {
    const { fake, manager } = setup();
    await manager.deleteCache(F32);
    await manager.deleteCache(F32, '/mirror/');
    expect(fake.deleted[0].appConfig?.model_list[0].model).toMatch(/^https:\/\/huggingface\.co\//);
    expect(fake.deleted[1].appConfig?.model_list[0].model).toBe(`https://app.example/mirror/${F32}/resolve/main/`);
    expect((await manager.list()).models.find((m) => m.modelId === F32)?.cached).toBe(false);
  });

  it('deleting the loaded model while idle unloads it first, then the demo engine serves', async () => {
    const { fake, manager } = setup();
    await manager.select({ kind: 'webllm' }, () => {});
    await manager.deleteCache(F32);
    expect(fake.engines[0].log.at(-1)).toBe('unload');
    expect(fake.deleted.map((d) => d.modelId)).toEqual([F32]);
    expect(manager.current().kind).toBe('demo');
    expect(await text(manager.current())).toBe(DEMO_ANSWER);
    expect((await manager.list()).models.find((m) => m.modelId === F32)?.cached).toBe(false);
  });

  it('refuses to delete the model while it generates, or while a run is active, and deletes nothing', async () => {
    let runActive = false;
    const { fake, manager } = setup({}, { runActive: () => runActive });
    const engine = await manager.select({ kind: 'webllm' }, () => {});
    const it = engine.stream(req)[Symbol.asyncIterator]();
    await it.next();
    const err = await manager.deleteCache(F32).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ModelInUseError' });
    expect((err as Error).message).toBe(
      `${F32} is answering a run. Stop the run or wait for it to finish, then delete it.`,
    );
    await it.return?.();
    runActive = true; // between two model calls of a run
    await expect(manager.deleteCache(F32)).rejects.toMatchObject({ name: 'ModelInUseError' });
    expect(fake.deleted).toEqual([]);
    expect(manager.current()).toBe(engine);
    expect(await text(engine)).toBe('Hello there. Fine!');
    runActive = false;
    await manager.deleteCache(F32);
    expect(fake.deleted.map((d) => d.modelId)).toEqual([F32]);
  });

  it('refuses to delete a model while it loads; other models can be deleted meanwhile', async () => {
    const { fake, manager } = setup({ reloadMs: 50 });
    const loading = manager.select({ kind: 'webllm' }, () => {});
    await new Promise((r) => setTimeout(r, 0));
    await expect(manager.deleteCache(F32)).rejects.toMatchObject({
      name: 'ModelInUseError',
      message: `${F32} is being loaded. Cancel the load or wait for it to finish, then delete it.`,
    });
    await manager.deleteCache('SmolLM2-360M-Instruct-q4f16_1-MLC');
    expect(await loading).toBe(manager.current());
    expect(fake.deleted.map((d) => d.modelId)).toEqual(['SmolLM2-360M-Instruct-q4f16_1-MLC']);
  });

  it('deleting the same model from another mirror leaves the loaded one alone', async () => {
    const { fake, manager } = setup();
    const engine = await manager.select({ kind: 'webllm' }, () => {});
    await manager.deleteCache(F32, '/mirror/');
    expect(manager.current()).toBe(engine);
    expect(fake.engines[0].log).not.toContain('unload');
    expect(await text(engine)).toBe('Hello there. Fine!');
  });

  it('a load started during a deletion waits for it, so the cache ends up filled', async () => {
    const { fake, manager } = setup({ deleteMs: 30 });
    await manager.select({ kind: 'webllm' }, () => {});
    const deleting = manager.deleteCache(F32);
    const reloading = manager.select({ kind: 'webllm' }, () => {});
    await Promise.all([deleting, reloading]);
    expect(fake.engines).toHaveLength(2);
    expect(manager.current().kind).toBe('webllm');
    expect((await manager.list()).models.find((m) => m.modelId === F32)?.cached).toBe(true);
  });
});
