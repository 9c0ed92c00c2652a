import { describe, expect, it } from 'vitest';
import type { GraphInfo } from '../../src/protocol';
import RunControls from '../../src/ui/run/RunControls.svelte';
import { mountPerTest, settle } from '../support/mount';

const { place } = mountPerTest();

const info: GraphInfo = {
  graph: 'demo',
  title: 'Demo',
  available: true,
  nodes: [],
  edges: [],
  inputSchema: { type: 'object', properties: {} },
  breakpoints: [],
  interruptBefore: [],
  interruptAfter: [],
  stateKeys: [],
};

function controls(props: Record<string, unknown>) {
  return place(RunControls, {
    graphIds: ['demo'],
    graphs: { demo: info },
    graph: 'demo',
    input: {},
    presets: {},
    status: 'running',
    error: null,
    stoppable: true,
    onrun: () => {},
    onstop: () => {},
    ...props,
  });
}

describe('run controls (real Chromium)', () => {
  it('say when a run waits for its thread, which another tab is running, and that Stop gives up', async () => {
    const target = controls({ waiting: true });
    await settle();
    const line = target.querySelector('[data-testid="run-waiting"]');
    expect(line?.getAttribute('role')).toBe('status');
    expect(line?.textContent).toContain('Another tab is running this thread');
    expect(line?.textContent).toContain('Stop gives up');
    expect(target.querySelector<HTMLButtonElement>('button.secondary')?.disabled).toBe(false);
  });

  it('say nothing of waiting for a run that is not waiting', async () => {
    const target = controls({});
    await settle();
    expect(target.querySelector('[data-testid="run-waiting"]')).toBeNull();
    expect(target.querySelector('[data-testid="run-status"]')?.textContent).toBe('running');
  });
});
