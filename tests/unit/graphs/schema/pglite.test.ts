import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATADIR_MODULE, pgliteDataDir, prebuiltDataDir } from '../../../../build/pgliteData';
import { DdlValidator, PgliteUnavailableError, type PgliteLike } from '../../../../src/graphs/schema/pglite/pglite';

const validator = new DdlValidator();
// Starting PGlite takes seconds (more with other test files in parallel): do it once, up front.
beforeAll(() => validator.validate([]), 60_000);
afterAll(() => validator.dispose());

const usersTable = 'CREATE TABLE "users" ("id" integer PRIMARY KEY)';

describe('DdlValidator with real PGlite', () => {
  it('accepts valid DDL and leaves nothing behind', async () => {
    const first = await validator.validate([usersTable, 'CREATE INDEX "idx_u" ON "users" USING btree ("id")']);
    expect(first).toMatchObject({ ok: true, errors: [], executed: 2 });
    // Rolled back: creating the same table again must work.
    expect((await validator.validate([usersTable])).ok).toBe(true);
  });

  it('stops at the first rejected statement with Postgres’ message, then stays clean', async () => {
    const bad = 'CREATE TABLE "posts" ("id" integer, "author" nosuchtype)';
    const result = await validator.validate([usersTable, bad, 'CREATE TABLE "never" ("id" integer)']);
    expect(result.ok).toBe(false);
    expect(result.executed).toBe(1);
    expect(result.errors).toEqual([{ statement: bad, message: 'type "nosuchtype" does not exist' }]);
    // Neither "users" from the failed run nor anything else survives into the next validation.
    const check = await validator.validate([usersTable, 'CREATE TABLE "posts" ("id" integer)']);
    expect(check.ok).toBe(true);
  });

  it('refuses statements that are not schema statements without running them', async () => {
    const result = await validator.validate(['DROP TABLE "users"']);
    expect(result).toMatchObject({ ok: false, executed: 0, errors: [{ message: 'not a schema statement; refused' }] });
  });
});

/** A fake database whose queries hang (or fail) as told. */
function fakeDb(query: (sql: string) => Promise<unknown>): PgliteLike & { closed: boolean; log: string[] } {
  const db = {
    closed: false,
    log: [] as string[],
    query: async (sql: string) => (db.log.push(sql), await query(sql), { rows: [] }),
    exec: async (sql: string) => void db.log.push(sql),
    close: async () => void (db.closed = true),
  };
  return db;
}

describe('DdlValidator fault handling', () => {
  it('creates the database lazily, once, and reuses it', async () => {
    const db = fakeDb(async () => undefined);
    const factory = vi.fn(async () => db);
    const v = new DdlValidator({ factory });
    expect(factory).not.toHaveBeenCalled();
    await v.validate([usersTable]);
    await v.validate([usersTable]);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(db.log).toEqual(['BEGIN', usersTable, 'ROLLBACK', 'BEGIN', usersTable, 'ROLLBACK']);
  });

  it('fails a hanging statement clearly at the timeout and replaces the database', async () => {
    const hanging = fakeDb(() => new Promise(() => {}));
    const fresh = fakeDb(async () => undefined);
    const factory = vi.fn().mockResolvedValueOnce(hanging).mockResolvedValueOnce(fresh);
    const v = new DdlValidator({ factory, timeoutMs: 50 });
    const result = await v.validate([usersTable]);
    expect(result).toMatchObject({ ok: false, errors: [{ statement: usersTable, message: 'timed out after 50 ms' }] });
    await vi.waitFor(() => expect(hanging.closed).toBe(true));
    expect((await v.validate([usersTable])).ok).toBe(true);
    expect(factory).toHaveBeenCalledTimes(2);
  });

  it('throws PgliteUnavailableError when the database cannot start, and retries next time', async () => {
    const factory = vi
      .fn()
      .mockRejectedValueOnce(new Error('wasm missing'))
      .mockResolvedValueOnce(fakeDb(async () => 1));
    const v = new DdlValidator({ factory });
    await expect(v.validate([usersTable])).rejects.toThrow(PgliteUnavailableError);
    await expect(v.validate([usersTable])).resolves.toMatchObject({ ok: true });
  });

  it('warm() starts the database at once; the validation that follows reuses it', async () => {
    const db = fakeDb(async () => undefined);
    const factory = vi.fn(async () => db);
    const v = new DdlValidator({ factory });
    v.warm();
    expect(factory).toHaveBeenCalledTimes(1);
    v.warm();
    await v.validate([usersTable]);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('a failed warm() is not an error of its own: the next validation starts again and says why', async () => {
    const factory = vi
      .fn()
      .mockRejectedValueOnce(new Error('wasm missing'))
      .mockRejectedValueOnce(new Error('still missing'));
    const v = new DdlValidator({ factory });
    v.warm();
    await vi.waitFor(() => expect(factory).toHaveBeenCalledTimes(1));
    await expect(v.validate([usersTable])).rejects.toThrow('PGlite could not start: still missing');
    expect(factory).toHaveBeenCalledTimes(2);
  });

  it('runs validations one at a time', async () => {
    let active = 0;
    let most = 0;
    const db = fakeDb(async () => {
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
    });
    const v = new DdlValidator({ factory: async () => db });
    await Promise.all([v.validate([usersTable]), v.validate([usersTable]), v.validate([usersTable])]);
    expect(most).toBe(1);
  });
});

const ROOT = resolve(import.meta.dirname, '../../../..');
/** Read here, not taken from the module under test. */
const PGLITE_VERSION = (
  JSON.parse(readFileSync(resolve(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as {
    version: string;
  }
).version;
/** A valid but empty wasm module: initdb cannot run on it (the app starts PGlite the same way). */
const NO_INITDB = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

describe('the prebuilt data directory (build/pgliteData.ts)', () => {
  // Made once per checkout (initdb in node: seconds) and cached under node_modules/.cache.
  it('is a fresh, empty cluster made by this PGlite, which starts on it without initdb', async () => {
    const file = await prebuiltDataDir(ROOT);
    expect(basename(file)).toBe(`pglite-${PGLITE_VERSION}-datadir.tgz`);
    const db = await PGlite.create({
      loadDataDir: new Blob([readFileSync(file)], { type: 'application/gzip' }),
      initdbWasmModule: NO_INITDB,
    });
    try {
      const rows = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
      expect((await rows('SELECT version() AS v'))[0].v).toContain(`(PGlite ${PGLITE_VERSION})`);
      expect(await rows('SELECT datname FROM pg_database ORDER BY datname')).toEqual([
        { datname: 'postgres' },
        { datname: 'template0' },
        { datname: 'template1' },
      ]);
      expect(await rows("SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace")).toEqual(
        [{ n: 0 }],
      );
      // One WAL segment, begun after initdb: its full-page images of the templates were dropped.
      expect(await rows('SELECT count(*)::int AS n FROM pg_ls_waldir()')).toEqual([{ n: 1 }]);
      const validation = await new DdlValidator({ factory: async () => db }).validate([usersTable]);
      expect(validation).toMatchObject({ ok: true, executed: 1 });
    } finally {
      await db.close();
    }
  }, 120_000);

  it('reaches the PGlite worker as a virtual module: the file (`?url`: an asset in a build) and its version', async () => {
    const plugin = pgliteDataDir();
    (plugin.configResolved as (c: { root: string }) => void)({ root: ROOT });
    const id = (plugin.resolveId as (id: string) => string | null)(DATADIR_MODULE);
    expect(id).toBe('\0virtual:tabgraph/pglite-datadir');
    expect((plugin.resolveId as (id: string) => string | null)('virtual:other')).toBeNull();
    const code = await (plugin.load as (id: string) => Promise<string>)(id!);
    const file = resolve(ROOT, `node_modules/.cache/tabgraph-pglite/r1/pglite-${PGLITE_VERSION}-datadir.tgz`);
    expect(code.split('\n')).toEqual([
      `import url from ${JSON.stringify(`${file}?url`)};`,
      'export const dataDirUrl = url;',
      `export const pgliteVersion = "${PGLITE_VERSION}";`,
    ]);
  }, 120_000);

  it("drops initdb's wasm from bundles that load the data directory, and only from those", () => {
    const generate = pgliteDataDir().generateBundle as (o: unknown, b: Rolldown.OutputBundle) => void;
    const assets = () =>
      ({
        'assets/initdb-a.wasm': { type: 'asset', names: ['initdb.wasm'] },
        'assets/pglite-b.wasm': { type: 'asset', names: ['pglite.wasm'] },
      }) as unknown as Rolldown.OutputBundle;
    const host = {
      ...assets(),
      'assets/pgliteHost-c.js': {
        type: 'chunk',
        moduleIds: ['\0virtual:tabgraph/pglite-datadir', '/src/pgliteHost.ts'],
      },
    } as unknown as Rolldown.OutputBundle;
    const other = {
      ...assets(),
      'assets/main-d.js': { type: 'chunk', moduleIds: ['/src/main.ts'] },
    } as unknown as Rolldown.OutputBundle;
    generate({}, host);
    generate({}, other);
    expect(Object.keys(host).sort()).toEqual(['assets/pglite-b.wasm', 'assets/pgliteHost-c.js']);
    expect(Object.keys(other).sort()).toEqual(['assets/initdb-a.wasm', 'assets/main-d.js', 'assets/pglite-b.wasm']);
  });
});
