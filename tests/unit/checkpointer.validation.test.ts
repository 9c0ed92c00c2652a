/**
 * LangGraph's own conformance suite for checkpoint savers, run against IndexedDBSaver on
 * fake-indexeddb. Each checkpointer gets a fresh factory, so instances share nothing, and the
 * factory is passed in: no `indexedDB` or `IDBKeyRange` global is installed.
 * tests/browser/checkpointer.validation.test.ts runs the same suite on Chromium's IndexedDB.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { deltaChannelHistoryTests, validate } from '@langchain/langgraph-checkpoint-validation';
import type { CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { IndexedDBSaver } from '../../src/worker/persistence/IndexedDBSaver';
import { globalsChanged, lendGlobals, snapshotGlobals } from '../support/lendGlobals';

// The suite calls Jest-style globals (describe, it, expect...) without importing them, and this
// project runs Vitest with `globals: false`. They are lent for this file only: the unit project
// runs files in one module registry (`isolate: false`), so the last test takes them back (and
// afterAll too, should that test be filtered out), and checks that nothing else was left.
const before = snapshotGlobals();
const restore = lendGlobals({ afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });
afterAll(restore);

const initializer: CheckpointSaverTestInitializer<IndexedDBSaver> = {
  checkpointerName: 'IndexedDBSaver',
  createCheckpointer: () => new IndexedDBSaver({ indexedDB: new IDBFactory(), IDBKeyRange }),
  destroyCheckpointer: (saver) => saver.close(),
};

validate(initializer);
// Opt-in upstream (not part of `validate`): the delta-channel walk over this saver's storage.
deltaChannelHistoryTests(initializer);

describe('the conformance suite', () => {
  it('leaves no global behind for the files that run after it in this worker', () => {
    expect((globalThis as { describe?: unknown }).describe).toBe(describe);
    restore();
    expect(globalsChanged(before)).toEqual([]);
    for (const name of ['describe', 'it', 'expect', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach'])
      expect(name in globalThis).toBe(false);
    expect('indexedDB' in globalThis).toBe(false);
    expect('IDBKeyRange' in globalThis).toBe(false);
  });
});
