import { describe, expect, it } from 'vitest';
import { createEngineManager } from '../../src/engines/manager';
import { contextWindowOf, selfHostedAppConfig, type ModelRecordLike } from '../../src/engines/models';
import { importWebLLM, WebLLMEngine } from '../../src/engines/webllm';
import type { ChatEngine, ChatRequest } from '../../src/engines/types';
import { demoEcho, streamedText } from '../support/engines';

// Chromium runs with --enable-unsafe-webgpu here and gets a SwiftShader adapter without
// shader-f16. Nothing in this file may reach the internet: every load goes to the
// same-origin fixture mirror under tests/fixtures/incomplete-model/.
const MIRROR = new URL('/tests/fixtures/incomplete-model/', location.origin).href;
const req: ChatRequest = { messages: [{ role: 'user', content: 'a gym with members and classes' }] };
/** What the demo engine says to a request that brings no demo answer of its own. */
const DEMO_ECHO = demoEcho('a gym with members and classes');
const text = (engine: ChatEngine) => streamedText(engine, req);

describe('WebLLM with a real (software) WebGPU adapter', () => {
  it('reports the adapter, lacks shader-f16, and marks f16 models unsupported', async () => {
    const manager = createEngineManager();
    const { gpu, models, defaultModelId } = await manager.list(MIRROR);
    expect(gpu.available).toBe(true);
    expect(gpu.shaderF16).toBe(false);
    expect(gpu.maxStorageBufferBindingSize).toBeGreaterThan(0);
    const f16 = models.filter((m) => m.needsF16);
    expect(f16.length).toBeGreaterThan(5);
    for (const m of f16) expect(m.unsupportedReason).toMatch(/shader-f16/);
    const byId = new Map(models.map((m) => [m.modelId, m]));
    expect(byId.get('Qwen2.5-0.5B-Instruct-q4f16_1-MLC')?.unsupportedReason).toMatch(/shader-f16/);
    expect(byId.get(defaultModelId)?.needsF16).toBe(false);
    expect(byId.get(defaultModelId)?.cached).toBe(false);
  });

  it('refuses an f16 model up front with ShaderF16UnsupportedError', async () => {
    const manager = createEngineManager();
    await expect(
      manager.select({ kind: 'webllm', modelId: 'SmolLM2-360M-Instruct-q4f16_1-MLC', modelBaseUrl: MIRROR }, () => {}),
    ).rejects.toMatchObject({ name: 'ShaderF16UnsupportedError' });
    expect(manager.current().kind).toBe('demo');
  });

  it('an incomplete self-hosted model fails with the missing files named; demo still works', async () => {
    const manager = createEngineManager({ demo: { tokensPerSecond: 0 } });
    const err = await manager
      .select(
        {
          kind: 'webllm',
          modelId: 'SmolLM2-360M-Instruct-q4f32_1-MLC',
          modelBaseUrl: '/tests/fixtures/incomplete-model',
        },
        () => {},
      )
      .catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ModelFilesMissingError' });
    expect((err as Error).message).toContain(
      `${MIRROR}SmolLM2-360M-Instruct-q4f32_1-MLC/resolve/main/tensor-cache.json`,
    );
    expect((err as Error).message).toContain(`${MIRROR}libs/SmolLM2-360M-Instruct-q4f32_1_cs1k-webgpu.wasm`);
    expect((err as Error).message).not.toContain('mlc-chat-config.json');
    expect(manager.current().kind).toBe('demo');
    expect(await text(manager.current())).toBe(DEMO_ECHO);
  });

  it('a corrupt model library fails inside web-llm with ModelLibraryError; demo still works', async () => {
    const manager = createEngineManager({ demo: { tokensPerSecond: 0 } });
    const modelId = 'SmolLM2-135M-Instruct-q0f32-MLC';
    const seen: number[] = [];
    const err = await manager
      .select({ kind: 'webllm', modelId, modelBaseUrl: MIRROR }, (p) => seen.push(p.progress))
      .catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ModelLibraryError' });
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(manager.current().kind).toBe('demo');
    expect(await text(manager.current())).toBe(DEMO_ECHO);
    // The config web-llm fetched went into its Cache API store; deleting leaves nothing behind.
    await manager.deleteCache(modelId, MIRROR);
    expect((await manager.list(MIRROR)).models.find((m) => m.modelId === modelId)?.cached).toBe(false);
  });

  it("lists each model's context window from web-llm's own records", async () => {
    const manager = createEngineManager();
    const { models, defaultModelId } = await manager.list(MIRROR);
    const byId = new Map(models.map((m) => [m.modelId, m]));
    expect(byId.get(defaultModelId)).toMatchObject({ contextWindowTokens: 4096 });
    expect(byId.get('Llama-3.1-8B-Instruct-q4f32_1-MLC-1k')).toMatchObject({ contextWindowTokens: 1024 });
  });

  it('web-llm keeps the loaded chat config (mlc-chat-config.json + overrides) where the engine reads it', async () => {
    const modelId = 'SmolLM2-135M-Instruct-q0f32-MLC';
    const mod = await importWebLLM();
    const config = selfHostedAppConfig(mod.prebuiltAppConfig.model_list, new URL(MIRROR));
    const strip = (m: ModelRecordLike) => (m.model_id === modelId ? { ...m, overrides: undefined } : m);
    const real = new mod.MLCEngine({ appConfig: { ...config, model_list: config.model_list.map(strip) } });
    // The fixture's library is not WebAssembly; web-llm has stored the chat config by then.
    await expect(real.reload(modelId)).rejects.toBeDefined();
    const chatConfig = real.loadedModelIdToChatConfig?.get(modelId);
    expect(chatConfig).toMatchObject({ context_window_size: 2048, vocab_size: 49152 }); // the fixture's values
    expect(contextWindowOf(chatConfig)).toBe(2048);
    await real.unload();

    const engine = new WebLLMEngine({ modelId, modelBaseUrl: MIRROR });
    await expect(engine.load(() => {})).rejects.toMatchObject({ name: 'ModelLibraryError' });
    expect(engine.contextWindowTokens).toBe(4096); // the prebuilt record's override
    await createEngineManager().deleteCache(modelId, MIRROR);
  });
});
