/// <reference lib="webworker" />
/**
 * A nested worker that owns PGlite. Starting PGlite in a browser blocks its thread for a moment
 * (wasm set-up and loading the data directory run synchronously), so it lives here rather than in
 * the graph worker, which keeps relaying tokens and answering pings meanwhile. The protocol is tiny
 * and private to `pgliteRemote.ts`.
 *
 * It never runs initdb: it starts from the data directory of a fresh cluster that the build made
 * with the same PGlite version (build/pgliteData.ts), and checks that version before it says ready.
 * Validations always roll back, so the cluster stays empty.
 */
import { PGlite } from '@electric-sql/pglite';
import { dataDirUrl, pgliteVersion } from 'virtual:tabgraph/pglite-datadir';

type Request = { id: number; op: 'exec' | 'query'; sql: string };

/** Where earlier versions kept the dump they made on their first start; now unused. */
const OLD_DUMP_CACHE = 'tabgraph-pglite-datadir-v1';

/**
 * PGlite fetches initdb's wasm as it starts unless it is handed a module; the build leaves that
 * file out. An empty module stops the fetch, and would make initdb fail at once if it ever ran.
 */
const NO_INITDB = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

/** The prebuilt data directory, gzip tar (or plain tar from a host that decoded the gzip). */
async function fetchDataDir(): Promise<Blob> {
  const response = await fetch(dataDirUrl);
  if (!response.ok) throw new Error(`PGlite's data directory could not be fetched: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return new Blob([bytes], { type: gzip ? 'application/gzip' : 'application/x-tar' });
}

async function start(): Promise<PGlite> {
  void globalThis.caches?.delete(OLD_DUMP_CACHE).catch(() => false);
  const db = await PGlite.create({ loadDataDir: await fetchDataDir(), initdbWasmModule: NO_INITDB });
  const { rows } = await db.query<{ v: string }>('SELECT version() AS v');
  if (!rows[0]?.v.includes(`(PGlite ${pgliteVersion})`)) {
    await db.close();
    throw new Error(`the data directory was made by PGlite ${pgliteVersion}, but this is ${rows[0]?.v}`);
  }
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
    if (op === 'exec') {
      await db.exec(sql);
      postMessage({ id, ok: true });
    } else {
      const { rows, fields } = await db.query<Record<string, unknown>>(sql);
      postMessage({ id, ok: true, rows, fields: fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) });
    }
  } catch (err) {
    postMessage({ id, ok: false, error: describe(err) });
  }
});

function describe(err: unknown): { name: string; message: string } {
  const e = err as { name?: unknown; message?: unknown };
  return { name: typeof e?.name === 'string' ? e.name : 'Error', message: String(e?.message ?? err) };
}
