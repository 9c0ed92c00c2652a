/**
 * For browser tests of the real module Worker (`src/worker/main.ts`): how to start one, and how
 * to follow what a page over it receives.
 */
import type { WorkerLike } from '../../src/client/session';
import type { WorkerEvent } from '../../src/protocol';
import type { TestPage } from './page';

/** The app's own worker, as `src/main.ts` starts it. */
export const createWorker = () =>
  new Worker(new URL('../../src/worker/main.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;

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

/** Deletes the worker's IndexedDB database, so that a test file starts with no threads. */
export function deleteThreadsDatabase(): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase('tabgraph');
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
