import { describe, expect, it } from 'vitest';
import { startRemotePglite } from '../../src/graphs/schema/pglite/pgliteRemote';
import { DdlValidator } from '../../src/graphs/schema/pglite/pglite';

describe('PGlite in its nested worker', () => {
  it('a database that cannot start fails clearly within its start timeout', async () => {
    const validator = new DdlValidator({ factory: () => startRemotePglite(1) });
    await expect(validator.validate(['CREATE TABLE "a" ("id" integer)'])).rejects.toThrow(/did not start within/);
  });
});
