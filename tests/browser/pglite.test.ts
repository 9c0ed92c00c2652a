import { describe, expect, it } from 'vitest';
import { startRemotePglite } from '../../src/graphs/schema/pglite/pgliteRemote';
import { DdlValidator } from '../../src/graphs/schema/pglite/pglite';

describe('PGlite in its nested worker', () => {
  it('a database that cannot start fails clearly within its start timeout', async () => {
    const validator = new DdlValidator({ factory: () => startRemotePglite(1) });
    await expect(validator.validate(['CREATE TABLE "a" ("id" integer)'])).rejects.toThrow(/did not start within/);
  });

  // The worker hands PGlite an empty module for initdb, so starting at all means it started from
  // the prebuilt data directory (served by the dev server through build/pgliteData.ts).
  it('starts from the prebuilt data directory and validates DDL, rolled back each time', async () => {
    const validator = new DdlValidator({ factory: () => startRemotePglite(60_000) });
    try {
      const ddl = ['CREATE TABLE "users" ("id" integer PRIMARY KEY)', 'CREATE INDEX "idx_u" ON "users" ("id")'];
      expect(await validator.validate(ddl)).toMatchObject({ ok: true, errors: [], executed: 2 });
      expect(await validator.validate(ddl)).toMatchObject({ ok: true, executed: 2 });
      const bad = 'CREATE TABLE "posts" ("author" nosuchtype)';
      expect(await validator.validate([bad])).toMatchObject({
        ok: false,
        executed: 0,
        errors: [{ statement: bad, message: 'type "nosuchtype" does not exist' }],
      });
    } finally {
      await validator.dispose();
    }
  });
});
