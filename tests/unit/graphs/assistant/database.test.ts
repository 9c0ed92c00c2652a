import { beforeAll, describe, expect, it } from 'vitest';
import { sharedDdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { SAMPLE_DATABASE } from '../../../../src/graphs/assistant/sampleDatabase';
import { SchemaDatabase } from '../../../../src/graphs/assistant/tools/database';
import { createSchemaTools } from '../../../../src/graphs/assistant/tools/schemaTools';
import { isReadOnlyQuery, normalizeDdl, splitStatements } from '../../../../src/graphs/assistant/tools/sqlText';

describe('SQL text', () => {
  it('splits at semicolons outside strings, quoted names, dollar quotes and comments, and drops comments', () => {
    const script = [
      '-- the users; all of them',
      'CREATE TABLE "a;b" (note text DEFAULT \'x;y\'); /* between; statements */',
      "COMMENT ON TABLE \"a;b\" IS 'it''s; fine';",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;',
      ';;',
    ].join('\n');
    expect(splitStatements(script)).toEqual([
      'CREATE TABLE "a;b" (note text DEFAULT \'x;y\')',
      "COMMENT ON TABLE \"a;b\" IS 'it''s; fine'",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
    ]);
  });

  it('normalizes DDL into the form the validator accepts: keywords in capitals, first name quoted', () => {
    expect(normalizeDdl('create   table Users (id int)')).toBe('CREATE TABLE "users" (id int)');
    expect(normalizeDdl('CREATE TABLE IF NOT EXISTS public.posts (id int)')).toBe(
      'CREATE TABLE "public"."posts" (id int)',
    );
    expect(normalizeDdl('alter table only "Posts" add column x int')).toBe('ALTER TABLE "Posts" add column x int');
    expect(normalizeDdl('create unique index idx_email on users (email)')).toBe(
      'CREATE UNIQUE INDEX "idx_email" on users (email)',
    );
    expect(normalizeDdl('CREATE INDEX ON posts (author_id)', 4)).toBe('CREATE INDEX "index_5" ON posts (author_id)');
    expect(normalizeDdl("comment on column users.email is 'x'")).toBe('COMMENT ON COLUMN "users"."email" is \'x\'');
    expect(normalizeDdl("create type mood as enum ('ok')")).toBe('CREATE TYPE "mood" as enum (\'ok\')');
    expect(normalizeDdl('DROP TABLE users')).toBe('DROP TABLE users');
  });

  it('tells read-only queries from everything else', () => {
    expect(isReadOnlyQuery('SELECT 1')).toBe(true);
    expect(isReadOnlyQuery('  with t as (select 1) select * from t')).toBe(true);
    expect(isReadOnlyQuery('-- count\nSELECT count(*) FROM posts')).toBe(true);
    expect(isReadOnlyQuery('VALUES (1)')).toBe(true);
    expect(isReadOnlyQuery('DELETE FROM posts')).toBe(false);
    expect(isReadOnlyQuery('SELECT 1; DROP TABLE posts')).toBe(false);
    expect(isReadOnlyQuery('selection')).toBe(false);
  });
});

// PGlite starts (initdb) on first use: seconds, more on a busy machine; not part of any test.
beforeAll(() => sharedDdlValidator().validate([]), 120_000);

const BLOG = `create table users (id integer primary key, email text not null unique);
CREATE TABLE posts (id serial primary key, author_id integer references users (id), title text);
create index on posts (author_id);`;

describe('SchemaDatabase: read-only queries over DDL in PGlite', () => {
  const db = new SchemaDatabase();

  it('returns columns with their Postgres types, and rows', async () => {
    const result = await db.query(BLOG, "SELECT 'a\"b' AS text, 1.5::numeric AS n, true AS yes, NULL::int AS nothing");
    expect(result).toEqual({
      columns: [
        { name: 'text', type: 'text' },
        { name: 'n', type: 'numeric' },
        { name: 'yes', type: 'boolean' },
        { name: 'nothing', type: 'integer' },
      ],
      rows: [{ text: 'a"b', n: 1.5, yes: true, nothing: null }],
      truncated: false,
    });
  });

  it('sees the tables the DDL makes, empty, and nothing survives into the next query', async () => {
    expect(await db.query(BLOG, 'SELECT count(*) AS n FROM posts;')).toEqual({
      columns: [{ name: 'n', type: 'bigint' }],
      rows: [{ n: 0 }],
      truncated: false,
    });
    await expect(db.query('', 'SELECT * FROM posts')).rejects.toThrow(
      'PostgreSQL refused the query: relation "posts" does not exist',
    );
  });

  it('keeps at most `limit` rows and says so', async () => {
    const result = await db.query('', 'SELECT g AS n FROM generate_series(1, 5) AS g', { limit: 3 });
    expect(result.rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(result.truncated).toBe(true);
  });

  it('reports DDL that Postgres rejects, and DDL it may not run, in words', async () => {
    await expect(db.query('CREATE TABLE t (x nosuchtype)', 'SELECT 1')).rejects.toThrow(
      `The database's DDL does not run: type "nosuchtype" does not exist (in: CREATE TABLE "t" (x nosuchtype))`,
    );
    await expect(db.query('DROP TABLE users', 'SELECT 1')).rejects.toThrow(
      "The database's DDL may only hold CREATE TABLE, CREATE TYPE, CREATE INDEX, ALTER TABLE and COMMENT ON statements; this one is not allowed: DROP TABLE users",
    );
  });

  it('refuses anything but one read-only query, and Postgres refuses writes hidden in a query', async () => {
    const only = 'Only one read-only query is allowed: a single SELECT, WITH, VALUES or TABLE statement.';
    await expect(db.query(BLOG, 'DELETE FROM posts')).rejects.toThrow(only);
    await expect(db.query(BLOG, 'SELECT 1; SELECT 2')).rejects.toThrow(only);
    await expect(db.query(BLOG, 'WITH gone AS (DELETE FROM posts RETURNING *) SELECT * FROM gone')).rejects.toThrow(
      'PostgreSQL refused the query: WITH clause containing a data-modifying statement must be at the top level',
    );
  });

  it("a query's own cast error is the query's error, not a result", async () => {
    await expect(db.query('', "SELECT '[1]'::integer")).rejects.toThrow(
      'PostgreSQL refused the query: invalid input syntax for type integer: "[1]"',
    );
  });
});

describe('the schema tools on the sample blog', () => {
  const [listTables, describeTable, runSql] = createSchemaTools();
  // What ToolNode passes a tool: the run's config, with the graph state beside it.
  const state = (database?: string) => ({ configurable: {}, state: { database } });

  it('list_tables: the tables, with their column counts and comments', async () => {
    expect(JSON.parse(await listTables.invoke({}, state()))).toEqual({
      tables: [
        { name: 'comments', columns: 5 },
        { name: 'posts', columns: 5, comment: 'Articles written by users.' },
        { name: 'users', columns: 4 },
      ],
    });
    expect(JSON.parse(await listTables.invoke({}, state(SAMPLE_DATABASE)))).toEqual(
      JSON.parse(await listTables.invoke({}, state('  '))),
    );
  });

  it("list_tables reads the state's database when there is one", async () => {
    expect(JSON.parse(await listTables.invoke({}, state(BLOG)))).toEqual({
      tables: [
        { name: 'posts', columns: 3 },
        { name: 'users', columns: 2 },
      ],
    });
  });

  it('describe_table: columns, keys and indexes, as Postgres prints them', async () => {
    expect(JSON.parse(await describeTable.invoke({ table: 'Posts' }, state()))).toEqual({
      table: 'posts',
      comment: 'Articles written by users.',
      columns: [
        { name: 'id', type: 'integer', not_null: true, identity: true },
        { name: 'author_id', type: 'integer', not_null: true },
        { name: 'title', type: 'text', not_null: true },
        { name: 'body', type: 'text', not_null: true },
        { name: 'published_at', type: 'timestamp with time zone' },
      ],
      constraints: ['PRIMARY KEY (id)', 'FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE CASCADE'],
      indexes: ['CREATE INDEX posts_author_id_idx ON public.posts USING btree (author_id)'],
    });
    const users = JSON.parse(await describeTable.invoke({ table: 'public.users' }, state()));
    expect(users.columns.at(-1)).toEqual({
      name: 'created_at',
      type: 'timestamp with time zone',
      not_null: true,
      default: 'now()',
    });
    expect(users.constraints).toEqual(['PRIMARY KEY (id)', 'UNIQUE (email)']);
  });

  it('describe_table of a table that does not exist names the ones that do', async () => {
    await expect(describeTable.invoke({ table: 'authors' }, state())).rejects.toThrow(
      'There is no table "authors". The tables are: comments, posts, users.',
    );
  });

  it('run_sql: columns and rows as arrays', async () => {
    expect(
      JSON.parse(
        await runSql.invoke(
          {
            sql: "SELECT table_name, count(*) AS columns FROM information_schema.columns WHERE table_schema = 'public' GROUP BY 1 ORDER BY 1",
          },
          state(),
        ),
      ),
    ).toEqual({
      columns: ['table_name', 'columns'],
      rows: [
        ['comments', 5],
        ['posts', 5],
        ['users', 4],
      ],
      row_count: 3,
    });
  });
});
