/**
 * LangGraph's conformance suite for checkpoint savers on Chromium's own IndexedDB (the node run,
 * tests/unit/checkpointer.validation.test.ts, uses fake-indexeddb). Each checkpointer gets a
 * database of its own, deleted again when the suite destroys it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deltaChannelHistoryTests, validate } from '@langchain/langgraph-checkpoint-validation';
import type { CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { IndexedDBSaver } from '../../src/worker/persistence/IndexedDBSaver';
import { globalsChanged, lendGlobals, snapshotGlobals } from '../support/lendGlobals';

// The suite calls Jest-style globals without importing them; they are lent to it for this file.
const before = snapshotGlobals();
const restore = lendGlobals({ afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });
afterAll(restore);

const PREFIX = `tabgraph-validation-${crypto.randomUUID()}`;
let databases = 0;
const names = new WeakMap<IndexedDBSaver, string>();
const opened: string[] = [];

/** Databases whose deletion had to wait for a connection (see {@link deleteDatabase}). */
const waited: string[] = [];

/**
 * Deletes a database. `blocked` is not a failure: a connection whose `close()` was called stays
 * open until its transactions finish, and the deletion then goes ahead. A connection that is
 * never closed keeps the deletion pending, and the suite's hook times out.
 */
function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => waited.push(name);
  });
}

const initializer: CheckpointSaverTestInitializer<IndexedDBSaver> = {
  checkpointerName: 'IndexedDBSaver (Chromium IndexedDB)',
  createCheckpointer: () => {
    const dbName = `${PREFIX}-${++databases}`;
    const saver = new IndexedDBSaver({ dbName }); // the page's own indexedDB and IDBKeyRange
    names.set(saver, dbName);
    opened.push(dbName);
    return saver;
  },
  destroyCheckpointer: async (saver) => {
    await saver.close();
    await deleteDatabase(names.get(saver)!);
  },
};

validate(initializer);
deltaChannelHistoryTests(initializer);

describe('the conformance suite on Chromium', () => {
  it('used real IndexedDB databases, deleted them all, and leaves no global behind', async () => {
    expect(opened.length).toBeGreaterThan(10);
    const left = (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith(PREFIX));
    expect(left).toEqual([]);
    console.log(`${opened.length} databases used; ${waited.length} deletions waited for a closing connection`);
    restore();
    expect(globalsChanged(before)).toEqual([]);
  });
});
