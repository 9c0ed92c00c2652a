/**
 * Schema operations as JSON Patch (`add`, `remove`, `replace`) over the model's paths, applied
 * atomically: a batch yields a new schema or a {@link SchemaOperationError}, never half of one.
 */
import { parseSafeExpression } from './expr';
import { SchemaOperationError, identifierProblem, isBuiltinTypeName, parseType, type Schema } from './model';
import {
  checkColumn,
  checkColumnProp,
  checkComment,
  checkConstraint,
  checkEnum,
  checkIndex,
  checkTable,
} from './values';

/** One JSON Patch operation over the schema model. */
export interface SchemaOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

/** Most operations one batch may hold: a bound on model output, not on schemas. */
export const MAX_OPERATIONS = 300;
const COLUMN_PROPS = ['type', 'nullable', 'default', 'check', 'comment'];
const OPTIONAL_COLUMN_PROPS = ['default', 'check', 'comment'];

function fail(reason: string): never {
  throw new Error(reason);
}

function parsePath(path: unknown): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) fail('path must be a string starting with "/"');
  const parts = path
    .slice(1)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const shapes = [
    ['tables', '*'],
    ['tables', '*', 'comment'],
    ['tables', '*', 'columns', '*'],
    ['tables', '*', 'columns', '*', '?'],
    ['tables', '*', 'constraints', '*'],
    ['tables', '*', 'indexes', '*'],
    ['enums', '*'],
  ];
  const ok = shapes.some(
    (s) => s.length === parts.length && s.every((x, i) => x === '*' || x === '?' || x === parts[i]),
  );
  if (!ok)
    fail(
      'path must be /tables/{t}, /tables/{t}/comment, /tables/{t}/columns/{c}[/{property}], ' +
        '/tables/{t}/constraints/{name}, /tables/{t}/indexes/{name} or /enums/{name}',
    );
  for (let i = 1; i < parts.length; i += 2) {
    if (i === 4) break; // a column property, checked below
    const problem = identifierProblem(parts[i], 'name');
    if (problem) fail(problem);
  }
  if (parts.length === 5 && !COLUMN_PROPS.includes(parts[4]))
    fail(`column property must be one of ${COLUMN_PROPS.join(', ')}`);
  return parts;
}

/** Adds, replaces or removes `key` in `rec` with JSON Patch's existence rules (stricter for add). */
function put<T>(rec: Record<string, T>, key: string, op: SchemaOperation['op'], make: () => T, what: string) {
  const exists = Object.hasOwn(rec, key);
  // Unlike RFC 6902, add refuses an existing member, so a model cannot silently clobber one.
  if (op === 'add' && exists) fail(`${what} "${key}" already exists (use replace)`);
  if (op !== 'add' && !exists) fail(`${what} "${key}" does not exist`);
  if (op === 'remove') delete rec[key];
  else rec[key] = make();
}

/**
 * Applies one operation to `schema` in place, without the batch's integrity check (a foreign key
 * may come before its table). For a batch that {@link applyOperations} has already accepted.
 */
export function applyOperation(schema: Schema, raw: unknown): void {
  applyOne(schema, raw);
}

function applyOne(schema: Schema, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) fail('operation must be an object');
  const { op, path, value } = raw as SchemaOperation;
  if (op !== 'add' && op !== 'remove' && op !== 'replace') fail('op must be "add", "remove" or "replace"');
  const parts = parsePath(path);
  if (op !== 'remove' && value === undefined) fail(`"${op}" needs a value`);
  if (parts[0] === 'enums') return put(schema.enums, parts[1], op, () => checkEnum(value, parts[1]), 'enum');
  if (parts.length === 2) return put(schema.tables, parts[1], op, () => checkTable(value, parts[1]), 'table');
  const table = Object.hasOwn(schema.tables, parts[1])
    ? schema.tables[parts[1]]
    : fail(`table "${parts[1]}" does not exist`);
  if (parts[2] === 'comment') {
    if (op === 'remove') return void delete table.comment;
    return void (table.comment = checkComment(value));
  }
  const name = parts[3];
  if (parts[2] === 'constraints')
    return put(table.constraints, name, op, () => checkConstraint(value, name), 'constraint');
  if (parts[2] === 'indexes') return put(table.indexes, name, op, () => checkIndex(value, name), 'index');
  if (parts.length === 4) return put(table.columns, name, op, () => checkColumn(value, name), 'column');
  const col = Object.hasOwn(table.columns, name)
    ? table.columns[name]
    : fail(`column "${parts[1]}.${name}" does not exist`);
  const prop = parts[4] as 'type' | 'nullable' | 'default' | 'check' | 'comment';
  if (op === 'remove') {
    if (!OPTIONAL_COLUMN_PROPS.includes(prop)) fail(`column property "${prop}" cannot be removed`);
    delete col[prop as 'default'];
  } else (col as unknown as Record<string, unknown>)[prop] = checkColumnProp(prop, value);
}

/**
 * Problems of a whole schema that no single value check sees: dangling references, names that
 * Postgres keeps in one namespace, tables without columns. Empty when the schema is coherent.
 */
export function integrityProblems(schema: Schema): string[] {
  const out: string[] = [];
  const relations = new Map<string, string>();
  const claim = (name: string, what: string) => {
    const prior = relations.get(name);
    if (prior) out.push(`${what} "${name}" clashes with ${prior} of the same name`);
    else relations.set(name, what);
  };
  for (const e of Object.keys(schema.enums)) {
    if (isBuiltinTypeName(e)) out.push(`enum "${e}" shadows a built-in type`);
    claim(e, `enum`);
  }
  for (const t of Object.values(schema.tables)) claim(t.name, 'table');
  for (const t of Object.values(schema.tables)) {
    const cols = t.columns;
    const missing = (c: string[], what: string) => {
      for (const name of c)
        if (!Object.hasOwn(cols, name)) out.push(`${what} in "${t.name}" uses unknown column "${name}"`);
    };
    if (Object.keys(cols).length === 0) out.push(`table "${t.name}" has no columns`);
    for (const c of Object.values(cols)) {
      const type = parseType(c.type);
      if (typeof type !== 'string' && type.kind === 'enum' && !Object.hasOwn(schema.enums, type.name))
        out.push(`column "${t.name}.${c.name}" has unknown type "${type.name}"`);
      if (c.check) missing(parseSafeExpression(c.check, true).columns, `check of column "${c.name}"`);
    }
    const pks = Object.values(t.constraints).filter((k) => k.type === 'primary_key');
    if (pks.length > 1) out.push(`table "${t.name}" has more than one primary key`);
    for (const k of Object.values(t.constraints)) {
      if (k.type === 'check') missing(parseSafeExpression(k.expression, true).columns, `constraint "${k.name}"`);
      else missing(k.columns, `constraint "${k.name}"`);
      if (k.type === 'primary_key' || k.type === 'unique') claim(k.name, `${k.type} constraint`);
      if (k.type !== 'foreign_key') continue;
      const target = Object.hasOwn(schema.tables, k.references.table) ? schema.tables[k.references.table] : null;
      if (!target) {
        out.push(`foreign key "${k.name}" in "${t.name}" references unknown table "${k.references.table}"`);
        continue;
      }
      const refCols = k.references.columns;
      for (const c of refCols)
        if (!Object.hasOwn(target.columns, c))
          out.push(`foreign key "${k.name}" in "${t.name}" references unknown column "${target.name}.${c}"`);
      const keyed = Object.values(target.constraints).some(
        (u) => (u.type === 'primary_key' || u.type === 'unique') && sameSet(u.columns, refCols),
      );
      if (!keyed)
        out.push(
          `foreign key "${k.name}" in "${t.name}" must reference a primary key or unique columns of "${target.name}"`,
        );
    }
    for (const i of Object.values(t.indexes)) {
      missing(i.columns, `index "${i.name}"`);
      claim(i.name, 'index');
    }
  }
  return out;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Applies a batch atomically to a copy of `schema` (never mutated) and returns the new schema.
 * @param onApplied called after each operation passes its own checks (progress reporting).
 * @throws SchemaOperationError naming the failing operation(s) and why.
 */
export function applyOperations(
  schema: Schema,
  operations: unknown,
  onApplied?: (index: number, op: SchemaOperation) => void,
): Schema {
  if (!Array.isArray(operations))
    throw new SchemaOperationError([{ index: -1, reason: 'operations must be an array' }]);
  if (operations.length > MAX_OPERATIONS)
    throw new SchemaOperationError([{ index: -1, reason: `more than ${MAX_OPERATIONS} operations in one batch` }]);
  const work = structuredClone(schema);
  // Problems after each prefix, so a final problem is blamed on the operation that introduced it
  // (forward references within a batch, such as a foreign key before its table, are fine).
  const history: string[][] = [];
  operations.forEach((op: unknown, index) => {
    try {
      applyOne(work, op);
    } catch (err) {
      const path = typeof (op as SchemaOperation)?.path === 'string' ? (op as SchemaOperation).path : undefined;
      throw new SchemaOperationError([{ index, path, reason: (err as Error).message }]);
    }
    onApplied?.(index, op as SchemaOperation);
    history.push(integrityProblems(work));
  });
  const final = history.at(-1) ?? [];
  if (final.length === 0) return work;
  throw new SchemaOperationError(
    final.map((reason) => {
      let index = history.length - 1;
      while (index > 0 && history[index - 1].includes(reason)) index--;
      return { index, path: (operations[index] as SchemaOperation).path, reason };
    }),
  );
}
