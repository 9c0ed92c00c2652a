import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import type { WorkerLike } from '../../src/client/session';
import { pageOver, type TestPage } from '../support/page';
import { until } from '../support/until';
import { deleteThreadsDatabase } from '../support/workerPage';

/** This file's threads database (the worker is named after it). */
const DB = 'tabgraph-test-faults';
const createWorker = () =>
  new Worker(new URL('./fixtures/faultyWorker.ts', import.meta.url), {
    type: 'module',
    name: DB,
  }) as unknown as WorkerLike;

const sessions: TestPage[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

beforeAll(() => deleteThreadsDatabase(DB));

const modes = ['values'] as const;

describe('a real worker that crashes or hangs', () => {
  it('crash mid-run: the failure shows, a fresh worker starts, the thread keeps its last committed state, the next run works', async () => {
    const session = pageOver({ createWorker });
    sessions.push(session);
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    const first = session.start({ graph: 'demo', input: { topic: 'kept' }, streamModes: [...modes], subgraphs: false });
    await until(() => session.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('completed');

    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 20 } });
    session.start({
      graph: 'demo',
      input: { topic: 'crash' },
      streamModes: [...modes],
      subgraphs: false,
      threadId: first,
    });
    await until(() => session.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('failed');
    expect(session.stores.current().error?.name).toBe('WorkerCrashedError');
    expect(session.session.workersStarted).toBe(2);

    // The thread is intact in IndexedDB: the first run's answer is still there.
    await session.refreshThreads();
    expect(get(session.stores.threads).some((t) => t.threadId === first)).toBe(true);
    await session.openThread(first);
    const values = session.stores.current().values as { messages: { type: string; content: string }[] };
    expect(values.messages.some((m) => m.type === 'ai' && m.content.length > 0)).toBe(true);

    session.start({ graph: 'demo', input: { topic: 'after the crash' }, streamModes: [...modes], subgraphs: false });
    await until(() => session.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('completed');
  });

  // How long detection takes is measured in bench/faults.mjs; here only that it happens.
  it('hang mid-run: detected, the worker is replaced, the next run works', async () => {
    const session = pageOver({ createWorker, silenceMs: 1_000, pingTimeoutMs: 1_500 });
    sessions.push(session);
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 20 } });
    session.start({ graph: 'demo', input: { topic: 'hang' }, streamModes: [...modes], subgraphs: false });
    // The worker is wedged for 30 s, longer than the wait: only the watchdog can end this run.
    await until(() => session.stores.current().status !== 'running', 25_000);
    expect(session.stores.current().status).toBe('failed');
    expect(session.stores.current().error?.message).toContain('stopped answering');
    expect(session.session.workersStarted).toBe(2);
    session.start({ graph: 'demo', input: { topic: 'after the hang' }, streamModes: [...modes], subgraphs: false });
    await until(() => session.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('completed');
  });
});
