import { describe, expect, it } from 'vitest';
import { emptySchema, parseType, SchemaOperationError, type Schema } from '../../../../src/graphs/schema/model/model';
import { applyOperations, type SchemaOperation } from '../../../../src/graphs/schema/model/operations';

const users: SchemaOperation = {
  op: 'add',
  path: '/tables/users',
  value: {
    columns: [
      { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' },
      { name: 'email', type: 'VARCHAR( 255 )', nullable: false },
    ],
    constraints: [{ name: 'users_pkey', type: 'primary_key', columns: ['id'] }],
  },
};
const posts: SchemaOperation = {
  op: 'add',
  path: '/tables/posts',
  value: {
    columns: { id: { type: 'bigserial', nullable: false }, author_id: { type: 'uuid' } },
    constraints: {
      posts_pkey: { type: 'primary_key', columns: ['id'] },
      fk_author: {
        type: 'foreign_key',
        columns: ['author_id'],
        references: { table: 'users', columns: ['id'] },
        onDelete: 'SET_NULL',
      },
    },
  },
};

function refused(schema: Schema, ops: unknown): SchemaOperationError {
  try {
    applyOperations(schema, ops);
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaOperationError);
    return err as SchemaOperationError;
  }
  throw new Error('the batch was accepted');
}

describe('applyOperations', () => {
  it('builds tables from arrays or keyed objects and normalises types and actions', () => {
    const s = applyOperations(emptySchema(), [users, posts]);
    expect(Object.keys(s.tables)).toEqual(['users', 'posts']);
    expect(s.tables.users.columns.email).toEqual({ name: 'email', type: 'varchar(255)', nullable: false });
    expect(s.tables.posts.columns.author_id.nullable).toBe(true);
    expect(s.tables.posts.constraints.fk_author).toMatchObject({ onDelete: 'set null' });
  });

  it('accepts a foreign key before the table it references within one batch', () => {
    expect(Object.keys(applyOperations(emptySchema(), [posts, users]).tables)).toEqual(['posts', 'users']);
  });

  it('never mutates its input and applies nothing of a failing batch', () => {
    const base = applyOperations(emptySchema(), [users]);
    const before = structuredClone(base);
    const err = refused(base, [
      { op: 'add', path: '/tables/users/columns/name', value: { type: 'text' } },
      { op: 'remove', path: '/tables/ghosts' },
    ]);
    expect(base).toEqual(before);
    expect(err.issues).toEqual([{ index: 1, path: '/tables/ghosts', reason: 'table "ghosts" does not exist' }]);
    expect(err.message).toContain('operation 1 (/tables/ghosts)');
  });

  it('rejects unknown tables and columns with the reason', () => {
    const base = applyOperations(emptySchema(), [users]);
    expect(refused(base, [{ op: 'add', path: '/tables/nope/columns/x', value: { type: 'text' } }]).message).toContain(
      'table "nope" does not exist',
    );
    expect(
      refused(base, [{ op: 'replace', path: '/tables/users/columns/age', value: { type: 'int' } }]).message,
    ).toContain('column "age" does not exist');
    const idx = refused(base, [{ op: 'add', path: '/tables/users/indexes/idx_x', value: { columns: ['nickname'] } }]);
    expect(idx.issues[0]).toMatchObject({
      index: 0,
      reason: 'index "idx_x" in "users" uses unknown column "nickname"',
    });
  });

  it('blames a dangling reference on the operation that introduced it', () => {
    const base = applyOperations(emptySchema(), [users, posts]);
    const err = refused(base, [
      { op: 'add', path: '/tables/tags', value: { columns: [{ name: 'id', type: 'int' }] } },
      { op: 'remove', path: '/tables/users' },
    ]);
    expect(err.issues).toEqual([
      {
        index: 1,
        path: '/tables/users',
        reason: 'foreign key "fk_author" in "posts" references unknown table "users"',
      },
    ]);
  });

  it('rejects identifiers outside the safe pattern', () => {
    for (const path of [
      '/tables/users; DROP TABLE x',
      '/tables/Users',
      '/tables/a"b',
      '/tables/__proto__',
      '/tables/' + 'a'.repeat(64),
    ])
      expect(refused(emptySchema(), [{ op: 'add', path, value: { columns: [] } }]).issues[0].index).toBe(0);
    const bad = { ...users, value: { columns: [{ name: 'x" text); DROP TABLE users; --', type: 'text' }] } };
    expect(refused(emptySchema(), [bad]).message).toMatch(/must match/);
  });

  it('rejects SQL smuggled into defaults, checks and types', () => {
    const col = (c: Record<string, unknown>) => [
      { op: 'add', path: '/tables/t', value: { columns: [{ name: 'c', ...c }] } },
    ];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'text', default: "'a'); DROP TABLE users; --" }, /not allowed/],
      [{ type: 'text', default: "'x' || pg_read_file('/etc/passwd')" }, /not allowed/],
      [{ type: 'int', default: 'pg_sleep(100)' }, /function pg_sleep\(\) is not allowed/],
      [{ type: 'int', default: '(SELECT 1)' }, /column reference "select" is not allowed|unexpected/],
      [{ type: 'int', check: 'c > 0 -- comment' }, /"--" is not allowed/],
      [{ type: 'int', default: 'c + 1' }, /column reference "c" is not allowed here/],
      [{ type: 'text; DROP TABLE x' }, /not an allowed Postgres type/],
      [{ type: 'varchar(0)' }, /invalid parameters/],
    ];
    for (const [c, reason] of cases) expect(refused(emptySchema(), col(c)).message).toMatch(reason);
  });

  it('rejects malformed operations and batches', () => {
    expect(refused(emptySchema(), 'nope').issues[0]).toMatchObject({ index: -1 });
    expect(refused(emptySchema(), [{ op: 'move', path: '/tables/a' }]).message).toMatch(/op must be/);
    expect(refused(emptySchema(), [{ op: 'add', path: 'tables/a', value: {} }]).message).toMatch(/starting with/);
    expect(refused(emptySchema(), [{ op: 'add', path: '/tables/a/columns', value: {} }]).message).toMatch(
      /path must be/,
    );
    expect(refused(emptySchema(), [{ op: 'add', path: '/tables/a' }]).message).toMatch(/needs a value/);
    expect(refused(emptySchema(), [users, users]).message).toMatch(/already exists \(use replace\)/);
  });

  it('checks schema-wide rules: enums, keys, namespaces', () => {
    const base = applyOperations(emptySchema(), [users]);
    expect(
      refused(base, [{ op: 'add', path: '/tables/users/columns/state', value: { type: 'mood' } }]).message,
    ).toContain('unknown type "mood"');
    const fkToNonKey = {
      op: 'add',
      path: '/tables/users/constraints/fk_self',
      value: { type: 'foreign_key', columns: ['email'], references: { table: 'users', columns: ['email'] } },
    };
    expect(refused(base, [fkToNonKey]).message).toContain('must reference a primary key or unique columns');
    expect(refused(base, [{ op: 'add', path: '/enums/users', value: { values: ['a'] } }]).message).toContain('clashes');
    expect(refused(base, [{ op: 'add', path: '/enums/text', value: { values: ['a'] } }]).message).toContain('built-in');
    expect(refused(base, [{ op: 'add', path: '/enums/e', value: { values: ['a', 'a'] } }]).message).toContain('unique');
  });

  it('edits column properties, comments and enums by path', () => {
    let s = applyOperations(emptySchema(), [
      users,
      { op: 'add', path: '/enums/mood', value: { values: ['ok', "it's bad"] } },
    ]);
    s = applyOperations(s, [
      { op: 'add', path: '/tables/users/columns/mood', value: { type: 'mood', default: "'ok'" } },
      { op: 'replace', path: '/tables/users/columns/email/nullable', value: true },
      { op: 'add', path: '/tables/users/columns/email/check', value: "email like '%@%'" },
      { op: 'add', path: '/tables/users/comment', value: 'People' },
    ]);
    expect(s.tables.users.columns.email).toMatchObject({ nullable: true, check: `"email" LIKE '%@%'` });
    expect(s.tables.users.comment).toBe('People');
    s = applyOperations(s, [{ op: 'remove', path: '/tables/users/columns/email/check' }]);
    expect(s.tables.users.columns.email.check).toBeUndefined();
    expect(refused(s, [{ op: 'remove', path: '/tables/users/columns/email/type' }]).message).toContain(
      'cannot be removed',
    );
  });
});

describe('parseType', () => {
  it('knows the allow-list, parameters and enum names', () => {
    expect(parseType('Numeric(10, 2)')).toEqual({ kind: 'builtin', sql: 'numeric(10,2)', array: false });
    expect(parseType('timestamp with time zone')).toMatchObject({ sql: 'timestamptz' });
    expect(parseType('text[]')).toMatchObject({ sql: 'text', array: true });
    expect(parseType('order_status')).toEqual({ kind: 'enum', name: 'order_status', array: false });
    expect(parseType('numeric(2,5)')).toMatch(/invalid parameters/);
    expect(parseType('serial primary key')).toMatch(/not an allowed/);
  });
});
