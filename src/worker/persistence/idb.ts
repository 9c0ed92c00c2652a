/**
 * The one IndexedDB database Tabgraph keeps, and the few promise helpers its stores share.
 *
 * Every store lives in one database so a single version number describes the whole schema:
 * whichever module opens it first (the checkpointer or the thread history) creates all stores.
 */

/** Database name used when the caller names none. */
export const DEFAULT_DB_NAME = 'tabgraph';

/** Bump together with a new branch in {@link upgrade}; never edit a shipped branch. */
const DB_VERSION = 1;

/** Object store names. */
export const STORES = {
  /** Checkpoints without their channel values, keyed `[thread_id, checkpoint_ns, checkpoint_id]`. */
  checkpoints: 'checkpoints',
  /** One channel value per version, keyed `[thread_id, checkpoint_ns, channel, version]`. */
  blobs: 'checkpoint_blobs',
  /** Pending writes, keyed `[thread_id, checkpoint_ns, checkpoint_id, task_id, idx]`. */
  writes: 'checkpoint_writes',
  /** Thread and run history, keyed `threadId`. */
  threads: 'threads',
} as const;

/** Where a store lives: which factory (fake-indexeddb in node tests) and which database. */
export interface IdbOptions {
  /** Database name; defaults to {@link DEFAULT_DB_NAME}. */
  dbName?: string;
  /** IndexedDB factory; defaults to `globalThis.indexedDB`. */
  indexedDB?: IDBFactory;
  /**
   * The key-range class that goes with `indexedDB`; defaults to `globalThis.IDBKeyRange`.
   * Implementations only accept their own ranges, so node tests pass fake-indexeddb's.
   */
  IDBKeyRange?: typeof IDBKeyRange;
}

/** An open database and the key-range class that belongs to it. */
export interface Idb {
  db: IDBDatabase;
  keyRange: typeof IDBKeyRange;
}

function upgrade(db: IDBDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore(STORES.checkpoints, { keyPath: ['thread_id', 'checkpoint_ns', 'checkpoint_id'] });
    db.createObjectStore(STORES.blobs, { keyPath: ['thread_id', 'checkpoint_ns', 'channel', 'version'] });
    db.createObjectStore(STORES.writes, {
      keyPath: ['thread_id', 'checkpoint_ns', 'checkpoint_id', 'task_id', 'idx'],
    });
    db.createObjectStore(STORES.threads, { keyPath: 'threadId' });
  }
}

/**
 * Opens (creating or upgrading) the database.
 *
 * The connection closes itself when another tab asks for a newer version (or deletes the
 * database), so a tab still running old code never blocks it; `onClosed` then tells the owner to
 * open afresh next time instead of failing on a dead connection.
 */
export function openDatabase(options: IdbOptions = {}, onClosed?: () => void): Promise<Idb> {
  const factory = options.indexedDB ?? globalThis.indexedDB;
  const keyRange = options.IDBKeyRange ?? globalThis.IDBKeyRange;
  if (!factory || !keyRange) return Promise.reject(new Error('IndexedDB is not available in this context'));
  return new Promise((resolve, reject) => {
    const request = factory.open(options.dbName ?? DEFAULT_DB_NAME, DB_VERSION);
    request.onupgradeneeded = (ev) => upgrade(request.result, ev.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        onClosed?.();
      };
      // The browser closed it (storage cleared, disk error): reopen on the next call.
      db.onclose = () => onClosed?.();
      resolve({ db, keyRange });
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another open tab'));
  });
}

/**
 * A lazily opened connection that reopens after the database closed it, shared by the stores so
 * each holds one connection and none is leaked when an old one closes late.
 */
export class Connection {
  private opening: Promise<Idb> | undefined;

  constructor(private readonly options: IdbOptions = {}) {}

  /** The open database, opening it on first use. */
  get(): Promise<Idb> {
    if (this.opening) return this.opening;
    const opening: Promise<Idb> = openDatabase(this.options, () => this.forget(opening)).catch((err: unknown) => {
      this.forget(opening);
      throw err;
    });
    this.opening = opening;
    return opening;
  }

  /** Closes the connection; the next {@link Connection.get} opens a new one. */
  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    (await opening?.catch(() => undefined))?.db.close();
  }

  private forget(opening: Promise<Idb>): void {
    if (this.opening === opening) this.opening = undefined;
  }
}

/** Resolves with a request's result. Awaiting it keeps its transaction alive for the next request. */
export function req<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when a transaction commits; rejects when it aborts or fails. */
export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * Every key whose first elements are `prefix`. Arrays sort after every string and number, so
 * `[...prefix, []]` is above all keys that extend `prefix` with strings or numbers.
 */
export function prefixRange(keyRange: typeof IDBKeyRange, prefix: IDBValidKey[]): IDBKeyRange {
  return keyRange.bound(prefix, [...prefix, []]);
}
