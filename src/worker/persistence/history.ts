import { Connection, STORES, done, req, type IdbOptions } from './idb';

/** How a thread's last run ended, or that it is still going. */
export type ThreadStatus = 'running' | 'completed' | 'interrupted' | 'cancelled' | 'failed';

/** What the app remembers about a thread, beside its checkpoints. */
export interface ThreadRecord {
  threadId: string;
  /** The graph the thread runs (absent in records written before graphs were recorded). */
  graph?: string;
  title: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Milliseconds since the epoch; {@link ThreadHistory.list} sorts on it. */
  updatedAt: number;
  lastRunId: string;
  lastStatus: ThreadStatus;
}

/**
 * Thread and run history, in the same IndexedDB database as the checkpoints, so the app can list
 * past threads after a reload and tell which ones a reload cut short.
 */
export class ThreadHistory {
  private readonly connection: Connection;

  constructor(options: IdbOptions = {}) {
    this.connection = new Connection({ ...options });
  }

  /** Every thread, most recently updated first. */
  async list(): Promise<ThreadRecord[]> {
    const { db } = await this.connection.get();
    const records = await req<ThreadRecord[]>(db.transaction(STORES.threads).objectStore(STORES.threads).getAll());
    return records.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** One thread, or undefined when it was never recorded (or was deleted). */
  async get(threadId: string): Promise<ThreadRecord | undefined> {
    const { db } = await this.connection.get();
    return req<ThreadRecord | undefined>(db.transaction(STORES.threads).objectStore(STORES.threads).get(threadId));
  }

  /** Creates or replaces a thread's record. */
  async put(record: ThreadRecord): Promise<void> {
    const { db } = await this.connection.get();
    const tx = db.transaction(STORES.threads, 'readwrite');
    tx.objectStore(STORES.threads).put({ ...record });
    await done(tx);
  }

  /** Forgets a thread (its checkpoints are the checkpointer's to delete). */
  async delete(threadId: string): Promise<void> {
    const { db } = await this.connection.get();
    const tx = db.transaction(STORES.threads, 'readwrite');
    tx.objectStore(STORES.threads).delete(threadId);
    await done(tx);
  }

  /**
   * Marks every thread still `running` as `interrupted`, and returns their ids.
   *
   * Call it once when the worker starts: a run lives only as long as the worker that drives it,
   * so a `running` record found at startup belongs to a tab that was reloaded or closed mid-run.
   * Its last checkpoint is intact, so the thread can be resumed from there.
   *
   * Another open tab may be running one of them right now; pass those ids as `stillRunning`
   * (for instance the threads whose Web Lock is held, from `navigator.locks.query()`). With
   * `only`, just that thread is looked at (its tab has let go of it since).
   */
  async markInterruptedOnStartup(
    options: { now?: number; stillRunning?: ReadonlySet<string>; only?: string } = {},
  ): Promise<string[]> {
    const now = options.now ?? Date.now();
    const { db } = await this.connection.get();
    const tx = db.transaction(STORES.threads, 'readwrite');
    const marked: string[] = [];
    const request = tx.objectStore(STORES.threads).openCursor(options.only);
    // A cursor callback, not an awaited loop: each step must be requested before the event ends.
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      const record = cursor.value as ThreadRecord;
      if (record.lastStatus === 'running' && !options.stillRunning?.has(record.threadId)) {
        cursor.update({ ...record, lastStatus: 'interrupted', updatedAt: now });
        marked.push(record.threadId);
      }
      cursor.continue();
    };
    await done(tx);
    return marked;
  }

  /** Closes the connection; the next call opens a new one. */
  close(): Promise<void> {
    return this.connection.close();
  }
}
