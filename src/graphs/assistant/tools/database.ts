/**
 * Read-only queries over a database that exists only as DDL, in the same PGlite that validates
 * the schema agent's DDL (one PGlite per tab; {@link sharedDdlValidator}). Each query runs in a
 * fresh transaction that is always rolled back: the DDL, then the query.
 */
import { sharedDdlValidator, type QueryOutcome } from '../../schema/pglite/pglite';
import { isReadOnlyQuery, normalizeDdl, splitStatements } from './sqlText';

/** The part of `DdlValidator` this module uses. */
export interface StatementRunner {
  query(statements: string[], sql: string, options?: { limit?: number; signal?: AbortSignal }): Promise<QueryOutcome>;
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
    const outcome = await this.runner().query(schema, query, { limit, signal: options.signal });
    if (outcome.ok) return { columns: outcome.columns, rows: outcome.rows, truncated: outcome.truncated };
    if (outcome.stage === 'query') throw new DatabaseError(`PostgreSQL refused the query: ${outcome.message}`);
    throw new DatabaseError(
      outcome.message === 'not a schema statement; refused'
        ? `The database's DDL may only hold CREATE TABLE, CREATE TYPE, CREATE INDEX, ALTER TABLE and COMMENT ON statements; this one is not allowed: ${outcome.statement}`
        : `The database's DDL does not run: ${outcome.message} (in: ${firstLine(outcome.statement)})`,
    );
  }
}

function firstLine(statement: string): string {
  const line = statement.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
