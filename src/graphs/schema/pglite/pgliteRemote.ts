import type { PgliteLike, QueryRows } from './pglite';

type Reply = { id: number; ok: boolean; error?: { name: string; message: string } } & Partial<QueryRows>;

/**
 * Starts PGlite in its own nested worker and returns a handle with the part of PGlite's API the
 * validator uses. `close()` terminates the worker, which also ends a statement that hangs.
 * Rejects if the database does not start within `startTimeoutMs`.
 */
export function startRemotePglite(startTimeoutMs: number): Promise<PgliteLike> {
  const worker = new Worker(new URL('./pgliteHost.ts', import.meta.url), { type: 'module', name: 'pglite' });
  const pending = new Map<number, { resolve: (r: QueryRows) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;

  const fail = (err: Error) => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.addEventListener('error', (ev) => {
    ev.preventDefault();
    fail(new Error(`the PGlite worker crashed: ${ev.message || 'unknown error'}`));
  });

  const call = (op: 'exec' | 'query', sql: string) =>
    new Promise<QueryRows>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql });
    });

  const handle: PgliteLike = {
    exec: (sql) => call('exec', sql),
    query: (sql) => call('query', sql),
    close: async () => {
      fail(new Error('PGlite was closed'));
      worker.terminate();
    },
  };

  return new Promise<PgliteLike>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error(`PGlite did not start within ${Math.round(startTimeoutMs / 1000)} s`));
    }, startTimeoutMs);
    worker.addEventListener('message', (ev: MessageEvent<Reply & { ready?: boolean }>) => {
      const msg = ev.data;
      if (msg.ready !== undefined) {
        clearTimeout(timer);
        if (msg.ready) resolve(handle);
        else {
          worker.terminate();
          reject(new Error(msg.error?.message ?? 'PGlite failed to start'));
        }
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve({ rows: msg.rows ?? [], ...(msg.fields ? { fields: msg.fields } : {}) });
      else
        p.reject(Object.assign(new Error(msg.error?.message ?? 'query failed'), { name: msg.error?.name ?? 'Error' }));
    });
  });
}
