/**
 * For browser tests of the real module Worker (`src/worker/main.ts`): how to start one, and how
 * to follow what a page over it receives.
 */
import type { WorkerLike } from '../../src/client/session';
import type { WorkerEvent } from '../../src/protocol';
import type { TestPage } from './page';

/**
 * The app's own worker, as `src/main.ts` starts it, keeping its threads in the IndexedDB database
 * `name` (the worker's name is its database's; the app's is `tabgraph`). Each test file uses a
 * name of its own, so files never see, or delete, each other's threads.
 */
export const appWorker = (name: string) => () =>
  new Worker(new URL('../../src/worker/main.ts', import.meta.url), { type: 'module', name }) as unknown as WorkerLike;

/** Every event the page receives from now on, in order. */
export function collect(page: TestPage): WorkerEvent[] {
  const events: WorkerEvent[] = [];
  page.onEvents((batch) => events.push(...batch));
  return events;
}

/** Resolves once `pred` holds, checked now and after each batch of events the page receives. */
export function untilEvents(page: TestPage, pred: () => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    const check = () => {
      if (pred()) {
        clearTimeout(timer);
        off();
        resolve();
      }
    };
    const off = page.onEvents(check);
    check();
  });
}

/** Deletes a worker's IndexedDB database, so that a test file starts with no threads. */
export function deleteThreadsDatabase(name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`could not delete the database ${name}`));
    // Another connection is open: the deletion waits for it, and a test would start on old threads.
    req.onblocked = () => reject(new Error(`the database ${name} is still open elsewhere`));
  });
}
