/// <reference lib="webworker" />
/**
 * A nested worker that owns PGlite. Starting PGlite in a browser blocks its thread for seconds
 * (wasm set-up and initdb run synchronously), so it lives here rather than in the graph worker,
 * which keeps relaying tokens and answering pings meanwhile. The protocol is tiny and private
 * to `pgliteRemote.ts`.
 */
import { PGlite } from '@electric-sql/pglite';

type Request = { id: number; op: 'exec' | 'query'; sql: string };

const ready = PGlite.create();
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
