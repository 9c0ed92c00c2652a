/**
 * The schema model the agent edits: plain JSON data (it lives in graph state and crosses to the
 * page), keyed by name so that JSON Patch paths such as `/tables/users/columns/email` address it.
 */

/** A column. `type` is canonical (see {@link canonicalType}); expressions are canonical SQL. */
export interface Column {
  name: string;
  type: string;
  nullable: boolean;
  default?: string;
  check?: string;
  comment?: string;
}

/** What Postgres may do to referencing rows. */
export const FK_ACTIONS = ['cascade', 'restrict', 'set null', 'set default', 'no action'] as const;
export type FkAction = (typeof FK_ACTIONS)[number];

export type Constraint =
  | { name: string; type: 'primary_key'; columns: string[] }
  | { name: string; type: 'unique'; columns: string[] }
  | { name: string; type: 'check'; expression: string }
  | {
      name: string;
      type: 'foreign_key';
      columns: string[];
      references: { table: string; columns: string[] };
      onDelete?: FkAction;
      onUpdate?: FkAction;
    };
export type ConstraintType = Constraint['type'];

export const INDEX_METHODS = ['btree', 'hash'] as const;
export interface Index {
  name: string;
  columns: string[];
  unique?: boolean;
  method?: (typeof INDEX_METHODS)[number];
}

export interface Table {
  name: string;
  comment?: string;
  /** Insertion order is column order in the DDL. */
  columns: Record<string, Column>;
  constraints: Record<string, Constraint>;
  indexes: Record<string, Index>;
}

export interface EnumType {
  name: string;
  values: string[];
}

export interface Schema {
  tables: Record<string, Table>;
  enums: Record<string, EnumType>;
}

/** A fresh empty schema. */
export function emptySchema(): Schema {
  return { tables: {}, enums: {} };
}

/**
 * Lower-case, unquoted-safe identifiers only: quoting them in DDL then changes nothing, and no
 * identifier can smuggle quotes, spaces or statement separators.
 */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Why `name` is not a usable identifier, or null when it is. */
export function identifierProblem(name: unknown, what = 'identifier'): string | null {
  if (typeof name !== 'string') return `${what} must be a string`;
  if (!IDENTIFIER_PATTERN.test(name)) return `${what} ${JSON.stringify(name)} must match ${IDENTIFIER_PATTERN.source}`;
  // Keys of plain objects: this one would rewrite the prototype instead of adding a member.
  if (name === '__proto__') return `${what} "__proto__" is reserved`;
  return null;
}

/** Built-in types without parameters, with their accepted spellings. */
const SIMPLE_TYPES: Record<string, string> = {
  smallint: 'smallint',
  int2: 'smallint',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  serial: 'serial',
  bigserial: 'bigserial',
  real: 'real',
  float4: 'real',
  'double precision': 'double precision',
  float8: 'double precision',
  numeric: 'numeric',
  decimal: 'numeric',
  boolean: 'boolean',
  bool: 'boolean',
  text: 'text',
  varchar: 'varchar',
  'character varying': 'varchar',
  uuid: 'uuid',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  interval: 'interval',
  json: 'json',
  jsonb: 'jsonb',
  bytea: 'bytea',
  inet: 'inet',
  money: 'money',
};
const LENGTH_TYPES: Record<string, string> = {
  varchar: 'varchar',
  'character varying': 'varchar',
  char: 'char',
  character: 'char',
};
const PRECISION_TYPES = new Set(['numeric', 'decimal']);

/** Names an enum may not take because they already denote a built-in type. */
export function isBuiltinTypeName(name: string): boolean {
  return name in SIMPLE_TYPES || name in LENGTH_TYPES;
}

/** A parsed column type: a built-in rendered as is, or an enum rendered quoted. */
export type ParsedType =
  { kind: 'builtin'; sql: string; array: boolean } | { kind: 'enum'; name: string; array: boolean };

/**
 * Parses a type against the allow-list. Anything else (including enum names, checked later
 * against the schema) must be an identifier, so a type can never carry SQL of its own.
 */
export function parseType(input: unknown): ParsedType | string {
  if (typeof input !== 'string') return 'type must be a string';
  let t = input.trim().toLowerCase().replace(/\s+/g, ' ');
  const array = t.endsWith('[]');
  if (array) t = t.slice(0, -2).trim();
  if (Object.hasOwn(SIMPLE_TYPES, t)) return { kind: 'builtin', sql: SIMPLE_TYPES[t], array };
  const m = /^([a-z ]+?) ?\( ?(\d{1,4}) ?(?:, ?(\d{1,4}) ?)?\)$/.exec(t);
  if (m) {
    const [, base, a, b] = m;
    const n = Number(a);
    if (Object.hasOwn(LENGTH_TYPES, base) && b === undefined && n >= 1 && n <= 10485760)
      return { kind: 'builtin', sql: `${LENGTH_TYPES[base]}(${n})`, array };
    if (PRECISION_TYPES.has(base) && n >= 1 && n <= 1000) {
      if (b === undefined) return { kind: 'builtin', sql: `numeric(${n})`, array };
      if (Number(b) <= n) return { kind: 'builtin', sql: `numeric(${n},${Number(b)})`, array };
    }
    return `type ${JSON.stringify(input)} has invalid parameters`;
  }
  if (identifierProblem(t) === null && !isBuiltinTypeName(t)) return { kind: 'enum', name: t, array };
  return `type ${JSON.stringify(input)} is not an allowed Postgres type or enum name`;
}

/** The canonical spelling of a parsed type, as stored in the model. */
export function typeToString(t: ParsedType): string {
  return (t.kind === 'builtin' ? t.sql : t.name) + (t.array ? '[]' : '');
}

/** One problem in a batch of operations: which operation, and why. */
export interface OperationIssue {
  /** Index of the operation in the batch; -1 when the batch itself is malformed. */
  index: number;
  path?: string;
  reason: string;
}

/** A batch of schema operations was refused; nothing of it was applied. */
export class SchemaOperationError extends Error {
  override name = 'SchemaOperationError';
  constructor(readonly issues: OperationIssue[]) {
    super(
      issues
        .map((i) => (i.index < 0 ? i.reason : `operation ${i.index}${i.path ? ` (${i.path})` : ''}: ${i.reason}`))
        .join('; '),
    );
  }
}

/** An expression (default or check) outside the safe grammar. */
export class UnsafeExpressionError extends Error {
  override name = 'UnsafeExpressionError';
}
