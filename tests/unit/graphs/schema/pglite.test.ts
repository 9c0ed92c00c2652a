import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
    query: (sql: string) => (db.log.push(sql), query(sql)),
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
