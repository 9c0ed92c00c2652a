/// <reference lib="webworker" />
/**
 * A nested worker that owns PGlite. Starting PGlite in a browser blocks its thread for seconds
 * (wasm set-up and initdb run synchronously), so it lives here rather than in the graph worker,
 * which keeps relaying tokens and answering pings meanwhile. The protocol is tiny and private
 * to `pgliteRemote.ts`.
 *
 * The first start runs initdb and keeps a dump of the fresh, empty cluster in the Cache API;
 * later starts (a reload, a new tab, a restarted worker) load that dump instead, about three
 * times faster. Validations always roll back, so the cluster stays empty and the dump stays valid.
 */
import { PGlite } from '@electric-sql/pglite';

type Request = { id: number; op: 'exec' | 'query'; sql: string };

/** Bump when the PGlite version or its options change: an old dump is then ignored. */
const DUMP_CACHE = 'tabgraph-pglite-datadir-v1';
const DUMP_KEY = new URL('./pglite-datadir.tar.gz', self.location.href).href;

async function start(): Promise<PGlite> {
  const cache = await caches?.open(DUMP_CACHE).catch(() => undefined);
  const hit = await cache?.match(DUMP_KEY).catch(() => undefined);
  if (hit) {
    try {
      return await PGlite.create({ loadDataDir: await hit.blob() });
    } catch {
      await cache?.delete(DUMP_KEY).catch(() => false); // unusable (another PGlite version): start fresh
    }
  }
  const db = await PGlite.create();
  // Dumped before the first query, so the dump is the pristine cluster.
  if (cache)
    await db
      .dumpDataDir('gzip')
      .then((dump) => cache.put(DUMP_KEY, new Response(dump)))
      .catch(() => {});
  return db;
}

const ready = start();
ready.then(
  () => postMessage({ ready: true }),
  (err: unknown) => postMessage({ ready: false, error: describe(err) }),
);

addEventListener('message', async (ev: MessageEvent<Request>) => {
  const { id, op, sql } = ev.data;
  try {
    const db = await ready;
    if (op === 'exec') await db.exec(sql);
    else await db.query(sql);
    postMessage({ id, ok: true });
  } catch (err) {
    postMessage({ id, ok: false, error: describe(err) });
  }
});

function describe(err: unknown): { name: string; message: string } {
  const e = err as { name?: unknown; message?: unknown };
  return { name: typeof e?.name === 'string' ? e.name : 'Error', message: String(e?.message ?? err) };
}
