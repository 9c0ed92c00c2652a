import { afterEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { Controller } from '../../src/client/controller';
import { Session } from '../../src/client/session';
import { FakeWorker } from '../support/fakeWorker';
import { comparable } from '../support/compare';
import { idleTransport } from '../support/page';
import { until } from '../support/until';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

/** A tab of the app: its controller over a worker session, on the real BroadcastChannel. */
function tab(userId: string, runs = true): Controller {
  const transport = runs ? new Session({ createWorker: () => new FakeWorker(2, 40) }) : idleTransport();
  const c = new Controller({ transport, crossTab: { userId } });
  cleanup.push(() => c.dispose());
  return c;
}

describe('cross-tab live view over BroadcastChannel', () => {
  it('a second tab follows a run live, sees who did what, and survives the first tab closing', async () => {
    const a = tab('alice');
    const b = tab('bob', false);

    const runId = a.start({
      graph: 'demo',
      input: { topic: 'shared' },
      streamModes: ['values', 'custom'],
      subgraphs: true,
    });
    await until(() => a.current().status === 'completed');
    await until(() => b.current().status === 'completed');

    expect(b.current().runId).toBe(runId);
    expect(comparable(b.current())).toEqual(comparable(a.current()));
    expect(get(b.stores.following)).toBe('alice');
    const updates = b.crossTab!.updates;
    const actions = get(updates).map((u) => `${u.userId}:${u.action}`);
    expect(actions).toEqual(expect.arrayContaining(['alice:run_started', 'alice:run_completed']));
    for (const u of get(updates)) expect(typeof u.timestamp).toBe('number');

    a.crossTab!.close();
    await until(() => get(updates).some((u) => u.userId === 'alice' && u.action === 'left'));
    expect(b.current().status).toBe('completed');
    b.crossTab!.announce('run_started', 'next');
    expect(get(updates).at(-1)).toMatchObject({ userId: 'bob', action: 'run_started' });
  });

  it('a tab busy with its own run does not switch to another tab’s run', async () => {
    const a = tab('alice');
    const b = tab('bob');
    const own = b.start({ graph: 'demo', input: { topic: 'mine' }, streamModes: ['values'], subgraphs: false });
    a.start({ graph: 'demo', input: { topic: 'theirs' }, streamModes: ['values'], subgraphs: false });
    await until(() => a.current().status === 'completed' && b.current().status === 'completed');
    expect(b.current().runId).toBe(own);
    expect(get(b.stores.following)).toBeNull();
  });

  it('ignores malformed messages on the channel', async () => {
    const c = tab('carol', false);
    const rogue = new BroadcastChannel('tabgraph-live');
    rogue.postMessage('garbage');
    rogue.postMessage({ kind: 'batch', from: 'x', events: [{ type: 'run.started' }] });
    rogue.postMessage({ kind: 'collab', update: { userId: 1 } });
    await new Promise((r) => setTimeout(r, 50));
    rogue.close();
    expect(c.current().status).toBe('idle');
    expect(get(c.crossTab!.updates).every((u) => u.userId === 'carol')).toBe(true);
  });
});
