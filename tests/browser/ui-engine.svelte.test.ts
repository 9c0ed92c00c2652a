import { describe, expect, it } from 'vitest';
import { initialEngineState, type EngineState } from '../../src/client/engineState';
import type { EngineSelection, EventOf } from '../../src/protocol';
import type { Controller } from '../../src/client/controller';
import EnginePanel from '../../src/ui/engine/EnginePanel.svelte';
import { mountPerTest, settle } from '../support/mount';

const { place } = mountPerTest();

const LIST: Pick<EventOf<'engine.list'>, 'gpu' | 'models' | 'defaultModelId'> = {
  gpu: { available: true, vendor: 'acme', architecture: 'rdna', shaderF16: true },
  models: [
    { modelId: 'Big-8B', vramMB: 6000, unsupportedReason: 'needs 6000 MB of GPU memory; this GPU offers 2048 MB' },
    { modelId: 'Small-1B', vramMB: 900, cached: true },
    { modelId: 'Tiny-0.5B', vramMB: 500, cached: false },
  ],
  defaultModelId: 'Big-8B',
};

function setup() {
  const calls: unknown[] = [];
  const errors: string[] = [];
  const props = $state({
    engine: initialEngineState() as EngineState,
    session: null as unknown as Pick<Controller, 'selectEngine' | 'listEngines' | 'deleteModelCache'>,
    onerror: (m: string) => errors.push(m),
  });
  props.session = {
    listEngines: async () => {
      calls.push('list');
      props.engine = { ...props.engine, ...LIST };
      return { type: 'engine.list', requestId: 'r', runId: null, seq: 1, ts: 0, ...LIST };
    },
    selectEngine: async (s: EngineSelection) => {
      calls.push(s);
      return { type: 'ack', requestId: 'r', runId: null, seq: 1, ts: 0, ok: true };
    },
    deleteModelCache: async (id: string) => {
      calls.push(`delete ${id}`);
      return { type: 'ack', requestId: 'r', runId: null, seq: 1, ts: 0, ok: true };
    },
  } as unknown as Pick<Controller, 'selectEngine' | 'listEngines' | 'deleteModelCache'>;
  const target = place(EnginePanel, props);
  return { target, props, calls, errors };
}

function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('engine panel (real Chromium)', () => {
  it('labels the demo engine as a demo without an LLM and applies its speed', async () => {
    const { target, calls } = setup();
    expect(target.textContent).toContain('demo without an LLM');
    const speed = target.querySelector<HTMLInputElement>('#demo-speed')!;
    speed.value = '0';
    speed.dispatchEvent(new Event('input', { bubbles: true }));
    speed.dispatchEvent(new Event('change', { bubbles: true }));
    await settle(5);
    expect(calls).toContainEqual({ kind: 'demo', demo: { tokensPerSecond: 0 } });
  });

  it('lists models only when WebLLM is chosen, disabling unsupported ones with the reason', async () => {
    const { target, calls } = setup();
    expect(calls).not.toContain('list');
    choose(target.querySelector<HTMLSelectElement>('#engine-kind')!, 'webllm');
    await settle(5);
    expect(calls).toContain('list');
    const options = [...target.querySelectorAll<HTMLOptionElement>('#model option')];
    expect(options.map((o) => o.disabled)).toEqual([true, false, false]);
    expect(options[0].textContent).toContain('unavailable: needs 6000 MB');
    // The default is unsupported here, so the first usable model is picked.
    expect(target.querySelector<HTMLSelectElement>('#model')!.value).toBe('Small-1B');
    expect(target.querySelector('[data-testid=cache-badge]')!.textContent).toBe('cached');
    expect(target.querySelector('[data-testid=gpu-info]')!.textContent).toContain('acme');

    const buttons = () => [...target.querySelectorAll('button')];
    buttons()
      .find((b) => b.textContent === 'Delete cached model')!
      .click();
    await settle(5);
    expect(calls).toContain('delete Small-1B');

    target.querySelector<HTMLInputElement>('#base-url')!.value = 'https://models.example/';
    target.querySelector<HTMLInputElement>('#base-url')!.dispatchEvent(new Event('input', { bubbles: true }));
    choose(target.querySelector<HTMLSelectElement>('#model')!, 'Tiny-0.5B');
    await settle(5);
    expect(target.querySelector('[data-testid=cache-badge]')!.textContent).toBe('not cached');
    buttons()
      .find((b) => b.textContent === 'Load model')!
      .click();
    await settle(5);
    expect(calls).toContainEqual({ kind: 'webllm', modelId: 'Tiny-0.5B', modelBaseUrl: 'https://models.example/' });
  });

  it('says clearly when WebGPU is missing or a load failed, and shows load progress', async () => {
    const { target, props } = setup();
    choose(target.querySelector<HTMLSelectElement>('#engine-kind')!, 'webllm');
    await settle(5);
    props.engine = { ...props.engine, gpu: { available: false, reason: 'navigator.gpu is undefined' } };
    await settle(5);
    expect(target.querySelector('[data-testid=gpu-info]')!.textContent).toContain(
      'WebGPU is not available here: navigator.gpu is undefined',
    );
    const load = [...target.querySelectorAll('button')].find((b) => b.textContent === 'Load model')!;
    expect(load.disabled).toBe(true);

    props.engine = {
      ...props.engine,
      kind: 'webllm',
      status: 'loading',
      progress: 0.42,
      progressText: 'Fetching shards',
    };
    await settle(5);
    const bar = target.querySelector('[role=progressbar]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(bar.getAttribute('aria-label')).toBe('Model load');

    props.engine = {
      ...props.engine,
      status: 'failed',
      error: { name: 'ModelUnavailableError', message: 'the model files could not be fetched' },
    };
    await settle(5);
    expect(target.textContent).toContain('The engine could not load: the model files could not be fetched');
  });
});
