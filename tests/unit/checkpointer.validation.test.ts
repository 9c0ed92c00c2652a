/**
 * LangGraph's own conformance suite for checkpoint savers, run against IndexedDBSaver on
 * fake-indexeddb. Each checkpointer gets a fresh factory, so instances share nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { deltaChannelHistoryTests, validate } from '@langchain/langgraph-checkpoint-validation';
import type { CheckpointSaverTestInitializer } from '@langchain/langgraph-checkpoint-validation';
import { IndexedDBSaver } from '../../src/worker/persistence/IndexedDBSaver';

// The suite calls Jest-style globals (describe, it, expect...) without importing them, and this
// project runs Vitest with `globals: false`; hand them over explicitly, for this file only.
Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

const initializer: CheckpointSaverTestInitializer<IndexedDBSaver> = {
  checkpointerName: 'IndexedDBSaver',
  createCheckpointer: () => new IndexedDBSaver({ indexedDB: new IDBFactory(), IDBKeyRange }),
  destroyCheckpointer: (saver) => saver.close(),
};

validate(initializer);
// Opt-in upstream (not part of `validate`): the delta-channel walk over this saver's storage.
deltaChannelHistoryTests(initializer);
