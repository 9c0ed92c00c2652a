import { afterEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { CrossTab } from '../../src/client/crossTab';
import { createSessionStores } from '../../src/client/stores';
import { demoGraph } from '../../src/graphs/demo/graph';
import { fixedEngineManager, ScriptedEngine } from '../support/engines';
import { comparable } from '../support/compare';
import { createHarness, type Harness } from '../support/harness';
import { until } from '../support/until';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('cross-tab live view over BroadcastChannel', () => {
  it('a second tab follows a run live, sees who did what, and survives the first tab closing', async () => {
    const a: Harness = createHarness({
      graphs: { demo: demoGraph },
      engines: fixedEngineManager(new ScriptedEngine(undefined, 2)),
    });
    cleanup.push(() => a.close());
    const tabA = new CrossTab({ stores: a.stores, onLocalEvents: (l) => a.client.subscribe(l), userId: 'alice' });
    const bStores = createSessionStores();
    const tabB = new CrossTab({ stores: bStores, onLocalEvents: () => () => {}, userId: 'bob' });
    cleanup.push(() => tabB.close());

    const runId = a.client.run({
      graph: 'demo',
      input: { topic: 'shared' },
      streamModes: ['values', 'custom'],
      subgraphs: true,
    });
    a.stores.begin(runId, 'demo', ['values', 'custom'], true);
    await a.waitFor((e) => e.runId === runId && e.type === 'run.completed');
    await until(() => bStores.current().status === 'completed');

    expect(bStores.current().runId).toBe(runId);
    expect(comparable(bStores.current())).toEqual(comparable(a.stores.current()));
    expect(get(tabB.following)).toBe('alice');
    const actions = get(tabB.updates).map((u) => `${u.userId}:${u.action}`);
    expect(actions).toEqual(expect.arrayContaining(['alice:run_started', 'alice:run_completed']));
    for (const u of get(tabB.updates)) expect(typeof u.timestamp).toBe('number');

    tabA.close();
    await until(() => get(tabB.updates).some((u) => u.userId === 'alice' && u.action === 'left'));
    expect(bStores.current().status).toBe('completed');
    tabB.announce('run_started', 'next');
    expect(get(tabB.updates).at(-1)).toMatchObject({ userId: 'bob', action: 'run_started' });
  });

  it('ignores malformed messages on the channel', async () => {
    const stores = createSessionStores();
    const tab = new CrossTab({ stores, onLocalEvents: () => () => {}, userId: 'carol' });
    cleanup.push(() => tab.close());
    const rogue = new BroadcastChannel('tabgraph-live');
    rogue.postMessage('garbage');
    rogue.postMessage({ kind: 'batch', from: 'x', events: [{ type: 'run.started' }] });
    rogue.postMessage({ kind: 'collab', update: { userId: 1 } });
    await new Promise((r) => setTimeout(r, 50));
    rogue.close();
    expect(stores.current().status).toBe('idle');
    expect(get(tab.updates).every((u) => u.userId === 'carol')).toBe(true);
  });
});
