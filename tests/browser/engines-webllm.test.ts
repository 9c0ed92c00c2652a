import { afterEach, describe, expect, it } from 'vitest';
import { createEngineManager } from '../../src/engines/manager';
import type { ChatEngine, ChatRequest } from '../../src/engines/types';
import { demoEcho, streamedText } from '../support/engines';

// The worker's engine modules, imported straight into the page: plain TS with no DOM needs.
const req: ChatRequest = { messages: [{ role: 'user', content: 'a library with books and loans' }] };
/** The demo engine's own answer to `req` (no graph responder in it): it says what it is, and echoes. */
const DEMO_ECHO = demoEcho('a library with books and loans');
const text = (engine: ChatEngine) => streamedText(engine, req);

/** True if the page has requested the web-llm bundle (it must not on the demo path). */
const webllmFetched = () =>
  performance
    .getEntriesByType('resource')
    .some((e) => e.name.includes('@mlc-ai/web-llm') || e.name.includes('web-llm'));

/** Shadows Navigator.prototype.gpu with an own property; afterEach removes it again. */
function setGpu(value: unknown) {
  Object.defineProperty(navigator, 'gpu', { value, configurable: true });
}
afterEach(() => {
  delete (navigator as { gpu?: unknown }).gpu;
});

describe('engines in a browser without a usable GPU', () => {
  it('this Chromium has no WebGPU adapter: clear error, demo engine still serves', async () => {
    const manager = createEngineManager({ demo: { tokensPerSecond: 0 } });
    const gpu = await manager.probeGpu();
    expect(gpu.available).toBe(false);
    expect(gpu.reason).toMatch(/navigator\.gpu|adapter/);
    const err = await manager.select({ kind: 'webllm' }, () => {}).catch((e: Error) => e);
    expect(['NoWebGPUError', 'NoAdapterError']).toContain((err as Error).name);
    expect((err as Error).message).toMatch(/WebGPU|GPU adapter/);
    expect(manager.current().kind).toBe('demo');
    expect(await text(manager.current())).toBe(DEMO_ECHO);
    expect(webllmFetched()).toBe(false);
  });

  it('navigator.gpu missing -> NoWebGPUError', async () => {
    setGpu(undefined);
    const manager = createEngineManager({ demo: { tokensPerSecond: 0 } });
    await expect(manager.select({ kind: 'webllm' }, () => {})).rejects.toMatchObject({
      name: 'NoWebGPUError',
      message: expect.stringMatching(/navigator\.gpu is missing/),
    });
    expect(await text(manager.current())).toBe(DEMO_ECHO);
  });

  it('requestAdapter() null -> NoAdapterError, and progress started at 0 without going back', async () => {
    setGpu({ requestAdapter: async () => null });
    const manager = createEngineManager({ demo: { tokensPerSecond: 0 } });
    const seen: number[] = [];
    await expect(manager.select({ kind: 'webllm' }, (p) => seen.push(p.progress))).rejects.toMatchObject({
      name: 'NoAdapterError',
    });
    expect(seen).toEqual([0]);
    expect(manager.current().kind).toBe('demo');
    expect(await text(manager.current())).toBe(DEMO_ECHO);
    expect(webllmFetched()).toBe(false);
  });

  it('rejects a malformed model base URL with InvalidModelUrlError', async () => {
    const manager = createEngineManager();
    await expect(
      manager.select({ kind: 'webllm', modelBaseUrl: 'ftp://example.com/models/' }, () => {}),
    ).rejects.toMatchObject({ name: 'InvalidModelUrlError' });
  });
});
