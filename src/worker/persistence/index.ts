import { MemorySaver, type BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { IndexedDBSaver } from './IndexedDBSaver';
import type { IdbOptions } from './idb';

export { IndexedDBSaver, type IndexedDBSaverOptions } from './IndexedDBSaver';
export { ThreadHistory, type ThreadRecord, type ThreadStatus } from './history';
export { DEFAULT_DB_NAME, type IdbOptions } from './idb';

/**
 * The checkpointer threads are saved with: IndexedDB, so a thread survives a reload of the tab.
 *
 * Where IndexedDB is missing (some private-browsing modes, and node without a polyfill) threads
 * fall back to memory: they still work within the worker's life, which beats refusing every
 * thread; the host tells the page (`threads.persistent`), which says so. The options exist for
 * tests (another database name, fake-indexeddb).
 */
export function createCheckpointer(options: IdbOptions = {}): BaseCheckpointSaver {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  if (!factory) return new MemorySaver();
  return new IndexedDBSaver({ ...options, indexedDB: factory });
}
