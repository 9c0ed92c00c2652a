/**
 * Tools that read the database the run is about: its DDL is the graph state's `database` (the
 * sample blog when empty), and every call runs read-only in PGlite (see `database.ts`). Results
 * are compact JSON, which small models read well.
 */
import { tool, type ToolRuntime } from '@langchain/core/tools';
import { z } from 'zod';
import { SAMPLE_DATABASE } from '../sampleDatabase';
import { DatabaseError, SchemaDatabase } from './database';
import { reportTool } from './report';

type Runtime = Partial<ToolRuntime<{ database?: string }>> | undefined;

/** The DDL the tools read: the state's `database`, else the sample. */
export function databaseOf(runtime: Runtime): string {
  const ddl = runtime?.state?.database;
  return typeof ddl === 'string' && ddl.trim() ? ddl : SAMPLE_DATABASE;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const regclass = (table: string) => literal(`public."${table.replaceAll('"', '""')}"`);

const LIST_TABLES = `SELECT c.relname AS name,
  (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::int AS columns,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname`;

const describeSql = (table: string) => `SELECT
  (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
    'not_null', a.attnotnull, 'identity', a.attidentity <> '', 'default', pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum)
   FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attrelid = ${regclass(table)}::regclass AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT coalesce(json_agg(pg_get_constraintdef(c.oid) ORDER BY array_position(ARRAY['p','u','f','c','x'], c.contype::text), c.conname), '[]')
   FROM pg_constraint c WHERE c.conrelid = ${regclass(table)}::regclass AND c.contype <> 'n') AS constraints,
  (SELECT coalesce(json_agg(pg_get_indexdef(i.indexrelid) ORDER BY i.indexrelid::regclass::text), '[]')
   FROM pg_index i WHERE i.indrelid = ${regclass(table)}::regclass
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)) AS indexes,
  obj_description(${regclass(table)}::regclass, 'pg_class') AS comment`;

interface TableRow {
  name: string;
  columns: number;
  comment: string | null;
}

interface ColumnRow {
  name: string;
  type: string;
  not_null: boolean;
  identity: boolean;
  default: string | null;
}

/** A name as the model may write it (`Posts`, `public.posts`, `"posts"`), for matching. */
const bare = (name: string) =>
  name
    .trim()
    .replace(/^"?public"?\./i, '')
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();

/** The schema tools, over `db` (tests pass their own). */
export function createSchemaTools(db = new SchemaDatabase()) {
  const tables = async (runtime: Runtime) =>
    (await db.query(databaseOf(runtime), LIST_TABLES, { limit: 1000, signal: runtime?.signal }))
      .rows as unknown as TableRow[];

  const listTables = tool(
    (args, runtime: Runtime) =>
      reportTool('list_tables', args, runtime, async () => {
        const rows = await tables(runtime);
        return JSON.stringify({
          tables: rows.map((t) => ({ name: t.name, columns: t.columns, ...(t.comment ? { comment: t.comment } : {}) })),
        });
      }),
    {
      name: 'list_tables',
      description: 'Lists the tables of the database, with how many columns each has.',
      schema: z.object({}),
    },
  );

  const describeTable = tool(
    (args, runtime: Runtime) =>
      reportTool('describe_table', args, runtime, async () => {
        const all = await tables(runtime);
        const found = all.find((t) => t.name.toLowerCase() === bare(args.table));
        if (!found)
          throw new DatabaseError(
            `There is no table "${args.table}". The tables are: ${all.map((t) => t.name).join(', ') || '(none)'}.`,
          );
        const [row] = (await db.query(databaseOf(runtime), describeSql(found.name), { signal: runtime?.signal }))
          .rows as {
          columns: ColumnRow[];
          constraints: string[];
          indexes: string[];
          comment: string | null;
        }[];
        return JSON.stringify({
          table: found.name,
          ...(row.comment ? { comment: row.comment } : {}),
          columns: row.columns.map((c) => ({
            name: c.name,
            type: c.type,
            ...(c.not_null ? { not_null: true } : {}),
            ...(c.identity ? { identity: true } : {}),
            ...(c.default !== null ? { default: c.default } : {}),
          })),
          constraints: row.constraints,
          indexes: row.indexes,
        });
      }),
    {
      name: 'describe_table',
      description: 'Describes one table: its columns (name, type, NOT NULL, default), keys, constraints and indexes.',
      schema: z.object({ table: z.string().min(1).describe('The name of the table, as list_tables gives it.') }),
    },
  );

  const runSql = tool(
    (args, runtime: Runtime) =>
      reportTool('run_sql', args, runtime, async () => {
        const result = await db.query(databaseOf(runtime), args.sql, { signal: runtime?.signal });
        return JSON.stringify({
          columns: result.columns.map((c) => c.name),
          rows: result.rows.map((r) => result.columns.map((c) => r[c.name])),
          row_count: result.rows.length,
          ...(result.truncated ? { truncated: true } : {}),
        });
      }),
    {
      name: 'run_sql',
      description:
        'Runs one read-only SQL query (SELECT, WITH, VALUES or TABLE) in PostgreSQL and returns its columns and rows ' +
        '(at most 50). The tables hold no rows: the database is its schema only.',
      schema: z.object({ sql: z.string().min(1).describe('One PostgreSQL SELECT statement.') }),
    },
  );

  return [listTables, describeTable, runSql] as const;
}
