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
    // Each knows the other: Alice heard Bob join, Bob heard Alice answer.
    await until(() => a.crossTab!.listeners === 1 && b.crossTab!.listeners === 1);

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

  it('a tab alone publishes no run events; it does once another tab joins, and stops when it leaves', async () => {
    const a = tab('alice');
    const other = new BroadcastChannel('tabgraph-live');
    cleanup.push(() => other.close());
    const heard: { kind: string; from?: string; events?: { type: string }[] }[] = [];
    other.onmessage = (ev: MessageEvent) => heard.push(ev.data);
    const run = () =>
      a.start({ graph: 'demo', input: { topic: 'alone' }, streamModes: ['values', 'custom'], subgraphs: false });
    const batchesOf = (runId: string) =>
      heard.filter((m) => m.kind === 'batch' && m.events?.some((e) => (e as { runId?: string }).runId === runId));

    const alone = run();
    await until(() => a.current().status === 'completed');
    await new Promise((r) => setTimeout(r, 50));
    expect(batchesOf(alone)).toEqual([]);
    expect(a.crossTab!.listeners).toBe(0);
    // Its announcements still go out (cheap, and a tab opening later learns nothing from them anyway).
    expect(heard.filter((m) => m.kind === 'collab').length).toBeGreaterThan(0);

    other.postMessage({
      kind: 'collab',
      update: { sessionId: 'lobby', userId: 'dave', action: 'joined', timestamp: 1 },
    });
    await until(() => heard.some((m) => m.kind === 'here' && m.from === 'alice'));
    expect(a.crossTab!.listeners).toBe(1);
    const watched = run();
    await until(() => a.current().status === 'completed' && a.current().runId === watched);
    await until(() => batchesOf(watched).some((m) => m.events!.some((e) => e.type === 'run.completed')));
    expect(batchesOf(watched)[0].events![0].type).toBe('run.started');

    other.postMessage({ kind: 'collab', update: { sessionId: 'lobby', userId: 'dave', action: 'left', timestamp: 2 } });
    await until(() => a.crossTab!.listeners === 0);
    const afterwards = run();
    await until(() => a.current().status === 'completed' && a.current().runId === afterwards);
    await new Promise((r) => setTimeout(r, 50));
    expect(batchesOf(afterwards)).toEqual([]);
  });

  it('a tab busy with its own run does not switch to another tab’s run', async () => {
    const a = tab('alice');
    const b = tab('bob');
    await until(() => a.crossTab!.listeners === 1 && b.crossTab!.listeners === 1);
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
