/**
 * Read-only queries over a database that exists only as DDL, in the same PGlite that validates
 * the schema agent's DDL (one PGlite per tab; {@link sharedDdlValidator}).
 *
 * Every query runs in a fresh transaction that is always rolled back: the DDL, then the query
 * stored with `CREATE TABLE … AS`, then a probe that reads that table. The validator reports
 * only whether statements ran and, if not, Postgres' own message (its nested worker sends no
 * rows back); so the probe casts its JSON result to integer on purpose, and the result comes
 * back as the text of that cast error. Once the validator can run a query and return its rows,
 * only the end of {@link SchemaDatabase.query} changes.
 */
import { sharedDdlValidator, type DdlValidation } from '../../schema/pglite/pglite';
import { isReadOnlyQuery, normalizeDdl, splitStatements } from './sqlText';

/** The part of `DdlValidator` this module uses. */
export interface StatementRunner {
  validate(statements: string[], signal?: AbortSignal): Promise<DdlValidation>;
}

/** A query's result: its columns (name and Postgres type) and rows, at most `limit` of them. */
export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  /** True when the query had more rows than were kept. */
  truncated: boolean;
}

/** A failure the model can read: bad DDL, a refused or failing query. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

const RESULT = '__tabgraph_result';
const PROBE = '__tabgraph_probe';
/** Tables this module makes itself; catalog queries leave them out. */
export const INTERNAL_TABLES = [RESULT, PROBE] as const;
const CAST_ERROR = /^invalid input syntax for type integer: "([\s\S]*)"$/;

/** Rows a query keeps by default. */
export const DEFAULT_ROW_LIMIT = 50;

export class SchemaDatabase {
  constructor(private readonly runner: () => StatementRunner = sharedDdlValidator) {}

  /** The statements of `ddl`, normalized for the validator. */
  static statements(ddl: string): string[] {
    return splitStatements(ddl).map((s, i) => normalizeDdl(s, i));
  }

  /**
   * Runs `sql` (one SELECT, WITH, VALUES or TABLE statement) against the database `ddl` makes.
   * @throws DatabaseError with Postgres' message when the DDL or the query fails.
   */
  async query(ddl: string, sql: string, options: { limit?: number; signal?: AbortSignal } = {}): Promise<QueryResult> {
    const query = sql.trim().replace(/;\s*$/, '');
    if (!isReadOnlyQuery(query))
      throw new DatabaseError('Only one read-only query is allowed: a single SELECT, WITH, VALUES or TABLE statement.');
    const limit = options.limit ?? DEFAULT_ROW_LIMIT;
    const schema = SchemaDatabase.statements(ddl);
    const store = `CREATE TABLE "${RESULT}" AS SELECT * FROM (\n${query}\n) AS q LIMIT ${limit + 1}`;
    const probe =
      `CREATE TABLE "${PROBE}" AS SELECT (json_build_object(` +
      `'columns', (SELECT coalesce(json_agg(json_build_object('name', attname, 'type', format_type(atttypid, atttypmod)) ORDER BY attnum), '[]') ` +
      `FROM pg_attribute WHERE attrelid = '"${RESULT}"'::regclass AND attnum > 0 AND NOT attisdropped), ` +
      `'rows', (SELECT coalesce(json_agg(r), '[]') FROM (SELECT * FROM "${RESULT}" ORDER BY ctid) AS r)` +
      `)::text)::integer`;
    const outcome = await this.runner().validate([...schema, store, probe], options.signal);
    const failure = outcome.errors[0];
    if (!failure) throw new DatabaseError('The query gave no result.');
    if (outcome.executed < schema.length) {
      const refused = failure.message === 'not a schema statement; refused';
      throw new DatabaseError(
        refused
          ? `The database's DDL may only hold CREATE TABLE, CREATE TYPE, CREATE INDEX, ALTER TABLE and COMMENT ON statements; this one is not allowed: ${failure.statement}`
          : `The database's DDL does not run: ${failure.message} (in: ${firstLine(failure.statement)})`,
      );
    }
    if (outcome.executed === schema.length) throw new DatabaseError(`PostgreSQL refused the query: ${failure.message}`);
    const text = CAST_ERROR.exec(failure.message)?.[1];
    const result = text === undefined ? null : parseResult(text);
    if (!result) throw new DatabaseError(`Reading the query's result failed: ${failure.message}`);
    return { columns: result.columns, rows: result.rows.slice(0, limit), truncated: result.rows.length > limit };
  }
}

function firstLine(statement: string): string {
  const line = statement.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

function parseResult(text: string): { columns: QueryResult['columns']; rows: Record<string, unknown>[] } | null {
  try {
    const value = JSON.parse(text) as { columns?: unknown; rows?: unknown };
    if (!Array.isArray(value.columns) || !Array.isArray(value.rows)) return null;
    return value as { columns: QueryResult['columns']; rows: Record<string, unknown>[] };
  } catch {
    return null;
  }
}
