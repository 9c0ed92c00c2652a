import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { ThreadHistory, type ThreadRecord } from '../../src/worker/persistence/history';
import { IndexedDBSaver } from '../../src/worker/persistence/IndexedDBSaver';

function record(threadId: string, patch: Partial<ThreadRecord> = {}): ThreadRecord {
  return {
    threadId,
    title: `Thread ${threadId}`,
    createdAt: 1_000,
    updatedAt: 1_000,
    lastRunId: `run-${threadId}`,
    lastStatus: 'completed',
    ...patch,
  };
}

describe('ThreadHistory', () => {
  it('puts, gets, lists newest first and deletes', async () => {
    const history = new ThreadHistory({ indexedDB: new IDBFactory(), IDBKeyRange });
    await history.put(record('a', { updatedAt: 10 }));
    await history.put(record('b', { updatedAt: 30 }));
    await history.put(record('c', { updatedAt: 20 }));
    expect(await history.get('b')).toEqual(record('b', { updatedAt: 30 }));
    expect(await history.get('missing')).toBeUndefined();
    expect((await history.list()).map((r) => r.threadId)).toEqual(['b', 'c', 'a']);

    await history.put(record('a', { updatedAt: 40, lastStatus: 'failed' }));
    expect((await history.list()).map((r) => r.threadId)).toEqual(['a', 'b', 'c']);
    await history.delete('b');
    expect(await history.get('b')).toBeUndefined();
    await history.close();
  });

  it('marks threads left running as interrupted, once, and keeps the others', async () => {
    const indexedDB = new IDBFactory();
    const before = new ThreadHistory({ indexedDB, IDBKeyRange });
    await before.put(record('done', { lastStatus: 'completed' }));
    await before.put(record('cut', { lastStatus: 'running' }));
    await before.put(record('elsewhere', { lastStatus: 'running' }));
    await before.put(record('paused', { lastStatus: 'interrupted' }));
    await before.close();

    // A new instance on the same database: what the worker sees after a reload.
    const after = new ThreadHistory({ indexedDB, IDBKeyRange });
    const marked = await after.markInterruptedOnStartup({ now: 5_000, stillRunning: new Set(['elsewhere']) });
    expect(marked).toEqual(['cut']);
    expect(await after.get('cut')).toEqual(record('cut', { lastStatus: 'interrupted', updatedAt: 5_000 }));
    expect((await after.get('elsewhere'))?.lastStatus).toBe('running');
    expect(await after.get('done')).toEqual(record('done'));
    expect(await after.get('paused')).toEqual(record('paused', { lastStatus: 'interrupted' }));
    expect(await after.markInterruptedOnStartup({ stillRunning: new Set(['elsewhere']) })).toEqual([]);
  });

  it('shares one database with the checkpointer', async () => {
    const indexedDB = new IDBFactory();
    const saver = new IndexedDBSaver({ indexedDB, IDBKeyRange, dbName: 'shared' });
    const history = new ThreadHistory({ indexedDB, IDBKeyRange, dbName: 'shared' });
    await history.put(record('t'));
    expect(await saver.getTuple({ configurable: { thread_id: 't' } })).toBeUndefined();
    await saver.deleteThread('t');
    expect(await history.get('t')).toEqual(record('t'));
  });

  it('fails clearly without IndexedDB', async () => {
    const history = new ThreadHistory({ indexedDB: undefined, IDBKeyRange: undefined });
    if (!globalThis.indexedDB) await expect(history.list()).rejects.toThrow(/IndexedDB is not available/);
  });
});
