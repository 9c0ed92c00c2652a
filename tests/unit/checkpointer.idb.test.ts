/** What the conformance suite does not cover: persistence across instances, write dedup, fallback. */
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { emptyCheckpoint, ERROR, MemorySaver, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { IndexedDBSaver } from '../../src/worker/persistence/IndexedDBSaver';
import { createCheckpointer } from '../../src/worker/persistence/index';

const meta = { source: 'loop' as const, step: 0, parents: {} };

function checkpoint(values: Record<string, unknown>, version: number): Checkpoint {
  const versions = Object.fromEntries(Object.keys(values).map((k) => [k, version]));
  return { ...emptyCheckpoint(), id: uuid6(-1), channel_values: values, channel_versions: versions };
}

describe('IndexedDBSaver', () => {
  it('reads back from a new instance on the same database', async () => {
    const indexedDB = new IDBFactory();
    const first = new IndexedDBSaver({ indexedDB, IDBKeyRange, dbName: 'reload' });
    const cfg = await first.put({ configurable: { thread_id: 't' } }, checkpoint({ a: [1, 2] }, 1), meta, { a: 1 });
    await first.putWrites(cfg, [['a', 3]], 'task');
    await first.close();

    const second = new IndexedDBSaver({ indexedDB, IDBKeyRange, dbName: 'reload' });
    const tuple = await second.getTuple({ configurable: { thread_id: 't' } });
    expect(tuple?.checkpoint.channel_values).toEqual({ a: [1, 2] });
    expect(tuple?.pendingWrites).toEqual([['task', 'a', 3]]);
    const other = new IndexedDBSaver({ indexedDB, IDBKeyRange, dbName: 'elsewhere' });
    expect(await other.getTuple({ configurable: { thread_id: 't' } })).toBeUndefined();
  });

  it('keeps the first write of a retried task, but replaces special-channel writes', async () => {
    const saver = new IndexedDBSaver({ indexedDB: new IDBFactory(), IDBKeyRange });
    const cfg = await saver.put({ configurable: { thread_id: 't' } }, checkpoint({}, 1), meta, {});
    await saver.putWrites(cfg, [['a', 'first']], 'task');
    await saver.putWrites(cfg, [['a', 'second']], 'task');
    await saver.putWrites(cfg, [[ERROR, 'boom 1']], 'task');
    await saver.putWrites(cfg, [[ERROR, 'boom 2']], 'task');
    const writes = (await saver.getTuple(cfg))?.pendingWrites;
    expect(writes).toEqual([
      ['task', ERROR, 'boom 2'],
      ['task', 'a', 'first'],
    ]);
  });

  it('orders pending writes by task path, then task id', async () => {
    const saver = new IndexedDBSaver({ indexedDB: new IDBFactory(), IDBKeyRange });
    const cfg = await saver.put({ configurable: { thread_id: 't' } }, checkpoint({}, 1), meta, {});
    await saver.putWrites(cfg, [['x', 1]], 'a-task', '~__pregel_pull, b');
    await saver.putWrites(cfg, [['x', 2]], 'z-task', '~__pregel_pull, a');
    await saver.putWrites(cfg, [['x', 0]], 'input');
    const writes = (await saver.getTuple(cfg))?.pendingWrites?.map(([, , v]) => v);
    expect(writes).toEqual([0, 2, 1]);
  });

  it('lists newest first, and deleteThread leaves other threads alone', async () => {
    const saver = new IndexedDBSaver({ indexedDB: new IDBFactory(), IDBKeyRange });
    const cfg = await saver.put({ configurable: { thread_id: 't' } }, checkpoint({ n: 1 }, 1), meta, { n: 1 });
    await saver.put(cfg, checkpoint({ n: 2 }, 2), { ...meta, step: 1 }, { n: 2 });
    await saver.put({ configurable: { thread_id: 'u' } }, checkpoint({}, 1), meta, {});
    const listed = [];
    for await (const t of saver.list({ configurable: { thread_id: 't' } })) listed.push(t.checkpoint.channel_values);
    expect(listed).toEqual([{ n: 2 }, { n: 1 }]);
    await saver.deleteThread('t');
    expect(await saver.getTuple({ configurable: { thread_id: 't' } })).toBeUndefined();
    expect(await saver.getTuple({ configurable: { thread_id: 'u' } })).toBeDefined();
  });

  it('reopens after another connection deletes the database', async () => {
    const indexedDB = new IDBFactory();
    const saver = new IndexedDBSaver({ indexedDB, IDBKeyRange, dbName: 'wiped' });
    await saver.put({ configurable: { thread_id: 't' } }, checkpoint({}, 1), meta, {});
    // Deleting waits for open connections to close; the saver's closes itself on versionchange.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase('wiped');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked'));
    });
    expect(await saver.getTuple({ configurable: { thread_id: 't' } })).toBeUndefined();
    await saver.put({ configurable: { thread_id: 't' } }, checkpoint({}, 1), meta, {});
    expect(await saver.getTuple({ configurable: { thread_id: 't' } })).toBeDefined();
  });

  it('createCheckpointer falls back to memory where IndexedDB is missing', () => {
    if (!globalThis.indexedDB) expect(createCheckpointer()).toBeInstanceOf(MemorySaver);
    expect(createCheckpointer({ indexedDB: new IDBFactory() })).toBeInstanceOf(IndexedDBSaver);
  });
});
