/**
 * Validates DDL in a real Postgres (PGlite, WASM). PGlite is imported on first use (it is the
 * heaviest thing the schema agent needs), one instance serves every run, and every validation
 * runs inside a transaction that is always rolled back, so nothing survives into the next one.
 */
import type { PGlite as PGliteClass } from '@electric-sql/pglite';

/** The part of a PGlite instance this module uses (lets fault tests inject a fake). */
export interface PgliteLike {
  query(sql: string): Promise<QueryRows>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** What a query answers: its rows, and its columns with their type oids. */
export interface QueryRows {
  rows: Record<string, unknown>[];
  fields?: { name: string; dataTypeID: number }[];
}

/** A read-only query's result over a schema made from DDL, or where it failed. */
export type QueryOutcome =
  | { ok: true; columns: { name: string; type: string }[]; rows: Record<string, unknown>[]; truncated: boolean }
  | { ok: false; stage: 'ddl' | 'query'; statement: string; message: string };

/** Makes the database; the default imports `@electric-sql/pglite` lazily. */
export type PgliteFactory = () => Promise<PgliteLike>;

/** One statement Postgres refused, with Postgres' own message. */
export interface DdlError {
  statement: string;
  message: string;
}

/** The outcome of one validation. */
export interface DdlValidation {
  ok: boolean;
  errors: DdlError[];
  /** How many statements ran successfully before the first failure (all of them when ok). */
  executed: number;
  durationMs: number;
}

export interface DdlValidatorOptions {
  factory?: PgliteFactory;
  /** Per-validation limit; a statement still running then fails the validation. Default 15 s. */
  timeoutMs?: number;
}

/** The database could not be started: not a fault of the DDL, so it is thrown, not reported. */
export class PgliteUnavailableError extends Error {
  override name = 'PgliteUnavailableError';
}

export const DEFAULT_VALIDATION_TIMEOUT_MS = 15_000;

/** Only statements the DDL generator produces; anything else is refused before it reaches Postgres. */
const ALLOWED_STATEMENT = /^(CREATE (TYPE|TABLE|UNIQUE INDEX|INDEX)|ALTER TABLE|COMMENT ON (TABLE|COLUMN)) "/;

/** How long PGlite may take to start before validation fails clearly. */
export const DEFAULT_START_TIMEOUT_MS = 90_000;

/**
 * PGlite for where there are no workers (node: tests, the LangGraph server), in-process. The
 * specifier is a variable so that bundlers leave it alone: the browser build never carries this
 * second copy of PGlite (its nested worker has its own).
 */
const IN_PROCESS = '@electric-sql/pglite';

/**
 * In a browser, PGlite runs in a nested worker (its start-up blocks a thread, and a hung statement
 * can only be ended by terminating it); where there are no workers, in-process.
 */
const defaultFactory: PgliteFactory = async () => {
  if (typeof Worker !== 'undefined') {
    const { startRemotePglite } = await import('./pgliteRemote');
    return startRemotePglite(DEFAULT_START_TIMEOUT_MS);
  }
  const { PGlite } = (await import(/* @vite-ignore */ IN_PROCESS)) as { PGlite: typeof PGliteClass };
  return PGlite.create();
};

class TimeoutError extends Error {}

/** Validates DDL statements against one lazily created, reused PGlite instance. */
export class DdlValidator {
  private db: Promise<PgliteLike> | null = null;
  /** Validations run one at a time: they share one connection and its transaction. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly factory: PgliteFactory;
  private readonly timeoutMs: number;

  constructor(options: DdlValidatorOptions = {}) {
    this.factory = options.factory ?? defaultFactory;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VALIDATION_TIMEOUT_MS;
  }

  /**
   * Runs `statements` one by one inside a rolled-back transaction and stops at the first error;
   * `onStatement` hears of each one that ran (for progress).
   * @throws PgliteUnavailableError when the database cannot be started.
   */
  validate(
    statements: string[],
    signal?: AbortSignal,
    onStatement?: (done: number, total: number) => void | Promise<void>,
  ): Promise<DdlValidation> {
    const run = this.queue.then(() => this.runIsolated(statements, signal, onStatement));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Makes the schema of `statements` (DDL, checked as {@link validate} checks it), runs one
   * read-only `sql` over it and returns at most `limit` rows, inside a transaction that is always
   * rolled back. Rows come as JSON (what `json_agg` makes of them), columns with their type names.
   * The caller makes sure `sql` is a single read-only statement.
   */
  query(
    statements: string[],
    sql: string,
    options: { limit?: number; signal?: AbortSignal } = {},
  ): Promise<QueryOutcome> {
    const run = this.queue.then(() => this.queryIsolated(statements, sql, options.limit ?? 50, options.signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the database now rather than at the first validation, so that its start overlaps other
   * work (call it when a run begins). Never rejects: a failed start is retried, and reported, by
   * the validation that needs it.
   */
  warm(): void {
    this.open().catch(() => undefined);
  }

  /** Closes the instance; the next validation starts a new one. */
  async dispose(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) await db.then((d) => d.close()).catch(() => undefined);
  }

  private async open(): Promise<PgliteLike> {
    this.db ??= this.factory().catch((err: unknown) => {
      this.db = null;
      throw new PgliteUnavailableError(`PGlite could not start: ${(err as Error)?.message ?? String(err)}`);
    });
    return this.db;
  }

  private async queryIsolated(
    statements: string[],
    sql: string,
    limit: number,
    signal?: AbortSignal,
  ): Promise<QueryOutcome> {
    for (const s of statements)
      if (!ALLOWED_STATEMENT.test(s))
        return { ok: false, stage: 'ddl', statement: s, message: 'not a schema statement; refused' };
    const db = await this.open();
    const deadline = performance.now() + this.timeoutMs;
    const within = <T>(work: Promise<T>) => withTimeout(work, deadline - performance.now());
    let stage: 'ddl' | 'query' = 'ddl';
    let current = 'BEGIN';
    let poisoned = false;
    try {
      await within(db.exec('BEGIN'));
      for (const statement of statements) {
        signal?.throwIfAborted();
        current = statement;
        await within(db.query(statement));
      }
      stage = 'query';
      current = sql;
      const inner = `SELECT * FROM (\n${sql}\n) AS q`;
      const { fields = [] } = await within(db.query(`${inner} LIMIT 0`));
      const oids = [...new Set(fields.map((f) => Math.trunc(Number(f.dataTypeID))))].filter(Number.isFinite);
      const names = oids.length
        ? (
            await within(
              db.query(
                `SELECT o::int AS oid, format_type(o, NULL) AS name FROM unnest(ARRAY[${oids.join(',')}]::oid[]) AS o`,
              ),
            )
          ).rows
        : [];
      const typeOf = new Map(names.map((r) => [Number(r.oid), String(r.name)]));
      const json = await within(
        db.query(`SELECT coalesce(json_agg(q), '[]')::text AS rows FROM (${inner} LIMIT ${limit + 1}) AS q`),
      );
      const rows = JSON.parse(String(json.rows[0]?.rows ?? '[]')) as Record<string, unknown>[];
      return {
        ok: true,
        columns: fields.map((f) => ({ name: f.name, type: typeOf.get(Number(f.dataTypeID)) ?? `oid ${f.dataTypeID}` })),
        rows: rows.slice(0, limit),
        truncated: rows.length > limit,
      };
    } catch (err) {
      if (err instanceof TimeoutError) {
        poisoned = true;
        return { ok: false, stage, statement: current, message: `timed out after ${this.timeoutMs} ms` };
      }
      if (signal?.aborted) throw err;
      return { ok: false, stage, statement: current, message: (err as Error)?.message ?? String(err) };
    } finally {
      if (!poisoned) await withTimeout(db.exec('ROLLBACK'), this.timeoutMs).catch(() => (poisoned = true));
      if (poisoned) void this.dispose();
    }
  }

  private async runIsolated(
    statements: string[],
    signal?: AbortSignal,
    onStatement?: (done: number, total: number) => void | Promise<void>,
  ): Promise<DdlValidation> {
    const started = performance.now();
    const result = (errors: DdlError[], executed: number): DdlValidation => ({
      ok: errors.length === 0,
      errors,
      executed,
      durationMs: Math.round(performance.now() - started),
    });
    signal?.throwIfAborted();
    for (const s of statements)
      if (!ALLOWED_STATEMENT.test(s)) return result([{ statement: s, message: 'not a schema statement; refused' }], 0);
    const db = await this.open();
    // The limit is for the statements; starting the database has its own (DEFAULT_START_TIMEOUT_MS).
    const deadline = performance.now() + this.timeoutMs;
    let executed = 0;
    let current = 'BEGIN';
    let poisoned = false;
    try {
      await withTimeout(db.exec('BEGIN'), deadline - performance.now());
      for (const statement of statements) {
        signal?.throwIfAborted();
        current = statement;
        // query() uses the extended protocol, which refuses more than one statement per call.
        await withTimeout(db.query(statement), deadline - performance.now());
        executed++;
        await onStatement?.(executed, statements.length);
      }
      return result([], executed);
    } catch (err) {
      if (err instanceof TimeoutError) {
        poisoned = true;
        return result([{ statement: current, message: `timed out after ${this.timeoutMs} ms` }], executed);
      }
      if (signal?.aborted) throw err;
      return result([{ statement: current, message: (err as Error)?.message ?? String(err) }], executed);
    } finally {
      // Always roll back; if that fails or a statement hung, the instance is no longer trusted.
      if (!poisoned) await withTimeout(db.exec('ROLLBACK'), this.timeoutMs).catch(() => (poisoned = true));
      if (poisoned) void this.dispose();
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

let shared: DdlValidator | null = null;

/** The worker-wide validator (one PGlite for every run). */
export function sharedDdlValidator(): DdlValidator {
  shared ??= new DdlValidator();
  return shared;
}
