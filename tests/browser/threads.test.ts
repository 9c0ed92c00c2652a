import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { pageOver, type TestPage } from '../support/page';
import { until } from '../support/until';
import { appWorker, deleteThreadsDatabase } from '../support/workerPage';
import { MemorySaver } from '@langchain/langgraph/web';
import { ThreadHistory } from '../../src/worker/persistence/index';
import { createThreadBook } from '../../src/worker/threads';

/** This file's threads database (its workers are named after it). */
const DB = 'tabgraph-test-threads';
const createWorker = appWorker(DB);

const sessions: TestPage[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

function open(): TestPage {
  const s = pageOver({ createWorker });
  sessions.push(s);
  return s;
}

beforeAll(() => deleteThreadsDatabase(DB));

const modes = ['values', 'updates', 'custom'] as const;

describe('threads persist in IndexedDB across reloads', () => {
  it('a reload restores the thread list and the last state of a thread (schema, DDL, messages)', async () => {
    const first = open();
    await first.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    const runId = first.start({
      graph: 'schema',
      input: { requirements: 'a library with books, authors and loans' },
      streamModes: [...modes],
      subgraphs: true,
    });
    await until(() => first.stores.current().status !== 'running');
    expect(first.stores.current().error).toBeNull();
    expect(first.stores.current().status).toBe('completed');
    const threadId = first.stores.current().threadId!;
    expect(threadId).toBe(runId);
    first.dispose();

    // "Reload": a fresh worker and fresh stores over the same IndexedDB.
    const second = open();
    await until(() => get(second.stores.threads).some((t) => t.threadId === threadId));
    const info = get(second.stores.threads).find((t) => t.threadId === threadId)!;
    expect(info.lastStatus).toBe('completed');
    expect(info.title).toContain('a library with books');
    await second.openThread(threadId);
    const restored = second.stores.current();
    const values = restored.values as {
      schema: { tables: Record<string, unknown> };
      ddl: string[];
      messages: unknown[];
    };
    expect(Object.keys(values.schema.tables).length).toBeGreaterThanOrEqual(3);
    expect(values.ddl.join('\n')).toContain('CREATE TABLE');
    expect(values.messages.length).toBeGreaterThan(0);
    expect(restored.status).toBe('completed');
  });

  it('a run cut off by a reload is shown as interrupted, not lost; a new run continues the thread', async () => {
    const first = open();
    await first.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 50 } });
    const runId = first.start({
      graph: 'schema',
      input: { requirements: 'a shop with products and orders' },
      streamModes: [...modes],
      subgraphs: true,
    });
    await until(() => first.stores.current().stats.tokens > 3);
    first.dispose(); // the tab goes away mid-run

    const second = open();
    await until(() => get(second.stores.threads).some((t) => t.threadId === runId && t.lastStatus === 'interrupted'));
    await second.openThread(runId);
    expect(second.stores.current().status).toBe('interrupted');

    await second.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    second.start({
      graph: 'schema',
      input: { requirements: 'a shop with products, orders and customers' },
      streamModes: [...modes],
      subgraphs: true,
      threadId: runId,
    });
    await until(() => second.stores.current().status !== 'running');
    expect(second.stores.current().status).toBe('completed');
    expect(second.stores.current().threadId).toBe(runId);
    await until(() => get(second.stores.threads).find((t) => t.threadId === runId)?.lastStatus === 'completed');
    await second.deleteThread(runId);
    expect(get(second.stores.threads).some((t) => t.threadId === runId)).toBe(false);
  });

  it('a thread whose tab is still letting go of it when the page lists threads turns interrupted once it has', async () => {
    // A tab going away: its run's record says running, and its lock is released only later.
    const threadId = 'thread-of-a-closing-tab';
    await new ThreadHistory({ dbName: DB }).put({
      threadId,
      graph: 'schema',
      title: 'a closing tab',
      createdAt: 1,
      updatedAt: 1,
      lastRunId: 'run-of-a-closing-tab',
      lastStatus: 'running',
    });
    let letGo!: () => void;
    await new Promise<void>((held) => {
      void navigator.locks.request(`tabgraph-thread-${threadId}`, () => {
        held();
        return new Promise<void>((release) => (letGo = release));
      });
    });

    const page = open();
    // Listed while the lock is held: another tab may still be running it.
    await until(() => get(page.stores.threads).some((t) => t.threadId === threadId));
    expect(get(page.stores.threads).find((t) => t.threadId === threadId)?.lastStatus).toBe('running');

    letGo();
    // Nothing else happens on the page: the worker notices and the list follows.
    await until(() => get(page.stores.threads).find((t) => t.threadId === threadId)?.lastStatus === 'interrupted');
    expect((await new ThreadHistory({ dbName: DB }).get(threadId))?.lastStatus).toBe('interrupted');
    await page.deleteThread(threadId);
  });

  it('a run of a thread another tab is running waits for its lock: a cancel ends the wait, a let-go starts it', async () => {
    const threadId = 'thread-run-by-another-tab';
    const lockName = `tabgraph-thread-${threadId}`;
    let letGo!: () => void;
    await new Promise<void>((held) => {
      void navigator.locks.request(lockName, () => {
        held();
        return new Promise<void>((release) => (letGo = release));
      });
    });
    // Requests queued for the lock: this worker's watch of the thread, and a run waiting its turn.
    let queued = -1;
    const queuedNow = () => {
      void navigator.locks.query().then((q) => (queued = (q.pending ?? []).filter((l) => l.name === lockName).length));
      return queued;
    };

    const page = open();
    await page.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    const input = { requirements: 'a zoo with animals and keepers' };
    await page.refreshThreads(); // the worker has looked at the locks
    await until(() => queuedNow() >= 0);
    const watching = queued;

    page.start({ graph: 'schema', input, streamModes: [...modes], subgraphs: true, threadId });
    await until(() => page.stores.current().waitingFor === threadId);
    await until(() => queuedNow() === watching + 1);
    page.stop();
    await until(() => page.stores.current().status !== 'running');
    expect(page.stores.current().status).toBe('cancelled');
    expect(page.stores.current().stats.tokens).toBe(0);
    await until(() => queuedNow() === watching);

    page.start({ graph: 'schema', input, streamModes: [...modes], subgraphs: true, threadId });
    await until(() => queuedNow() === watching + 1);
    expect(page.stores.current().waitingFor).toBe(threadId);
    expect(page.stores.current().stats.tokens).toBe(0);
    letGo();
    await until(() => page.stores.current().waitingFor === undefined);
    await until(() => page.stores.current().status !== 'running');
    expect(page.stores.current().status).toBe('completed');
    expect(page.stores.current().stats.tokens).toBeGreaterThan(0);
    expect((await new ThreadHistory({ dbName: DB }).get(threadId))?.lastStatus).toBe('completed');
    await page.deleteThread(threadId);
  });

  it('a run of a thread right after its last run ended does not wait: the ended run let go of the lock first', async () => {
    const book = createThreadBook(new MemorySaver(), new ThreadHistory({ dbName: DB }));
    const threadId = 'thread-run-twice';
    const waits: string[] = [];
    const onWait = () => waits.push('waited');
    await book.started(threadId, 'run-1', 'schema', { requirements: 'first' }, { onWait });
    await book.ended(threadId, 'run-1', 'interrupted');
    await book.started(threadId, 'run-2', 'schema', null, { onWait });
    await book.ended(threadId, 'run-2', 'completed');
    expect(waits).toEqual([]);
    expect((await new ThreadHistory({ dbName: DB }).get(threadId))?.lastRunId).toBe('run-2');
    await book.delete(threadId);
  });
});
