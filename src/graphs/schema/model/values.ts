/**
 * Shape checks for the values of schema operations. Each function takes untrusted model output
 * and returns a normalised model object, or throws a plain Error whose message is the reason.
 */
import { parseSafeExpression } from './expr';
import {
  FK_ACTIONS,
  INDEX_METHODS,
  identifierProblem,
  parseType,
  typeToString,
  type Column,
  type Constraint,
  type EnumType,
  type Index,
  type Table,
} from './model';

const MAX_COMMENT = 1000;
const MAX_ITEMS = 200;

function fail(reason: string): never {
  throw new Error(reason);
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function ident(v: unknown, what: string): string {
  const problem = identifierProblem(v, what);
  if (problem) fail(problem);
  return v as string;
}

/** `name` inside a value is optional but, when given, must agree with the path. */
function nameFrom(obj: Record<string, unknown>, pathName: string, what: string): string {
  if (obj.name !== undefined && obj.name !== pathName)
    fail(`${what} name ${JSON.stringify(obj.name)} does not match the path name "${pathName}"`);
  return pathName;
}

function identList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.length === 0) fail(`${what} must be a non-empty array of column names`);
  const out = v.map((c) => ident(c, `${what} entry`));
  if (new Set(out).size !== out.length) fail(`${what} lists a column twice`);
  return out;
}

/** Checks a comment: any text, bounded; the DDL escapes it as a literal. */
export function checkComment(v: unknown): string {
  if (typeof v !== 'string') fail('comment must be a string');
  if (v.length > MAX_COMMENT) fail(`comment is longer than ${MAX_COMMENT} characters`);
  if (v.includes('\0')) fail('comment contains NUL');
  return v;
}

/** Checks one column property value (for paths like `/tables/t/columns/c/type`). */
export function checkColumnProp(prop: string, v: unknown): unknown {
  switch (prop) {
    case 'type': {
      const t = parseType(v);
      return typeof t === 'string' ? fail(t) : typeToString(t);
    }
    case 'nullable':
      return typeof v === 'boolean' ? v : fail('nullable must be a boolean');
    case 'default':
      return parseSafeExpression(v, false).sql;
    case 'check':
      return parseSafeExpression(v, true).sql;
    case 'comment':
      return checkComment(v);
    default:
      return fail(`unknown column property "${prop}"`);
  }
}

/** Normalises a column value. */
export function checkColumn(v: unknown, name: string): Column {
  const o = record(v, 'column');
  const col: Column = {
    name: nameFrom(o, name, 'column'),
    type: checkColumnProp('type', o.type) as string,
    nullable: o.nullable === undefined ? true : (checkColumnProp('nullable', o.nullable) as boolean),
  };
  for (const prop of ['default', 'check', 'comment'] as const)
    if (o[prop] !== undefined && o[prop] !== null) col[prop] = checkColumnProp(prop, o[prop]) as string;
  return col;
}

function fkAction(v: unknown, what: string) {
  if (v === undefined) return undefined;
  const a = typeof v === 'string' ? v.toLowerCase().replace(/_/g, ' ') : v;
  return (FK_ACTIONS as readonly unknown[]).includes(a)
    ? (a as (typeof FK_ACTIONS)[number])
    : fail(`${what} must be one of ${FK_ACTIONS.join(', ')}`);
}

/** Normalises a constraint value. */
export function checkConstraint(v: unknown, name: string): Constraint {
  const o = record(v, 'constraint');
  nameFrom(o, name, 'constraint');
  switch (o.type) {
    case 'primary_key':
    case 'unique':
      return { name, type: o.type, columns: identList(o.columns, `${o.type} columns`) };
    case 'check':
      return { name, type: 'check', expression: parseSafeExpression(o.expression, true).sql };
    case 'foreign_key': {
      const ref = record(o.references, 'references');
      const c: Constraint = {
        name,
        type: 'foreign_key',
        columns: identList(o.columns, 'foreign key columns'),
        references: {
          table: ident(ref.table, 'referenced table'),
          columns: identList(ref.columns, 'referenced columns'),
        },
      };
      if (c.columns.length !== c.references.columns.length)
        fail('foreign key columns and referenced columns differ in number');
      const onDelete = fkAction(o.onDelete, 'onDelete');
      const onUpdate = fkAction(o.onUpdate, 'onUpdate');
      if (onDelete) c.onDelete = onDelete;
      if (onUpdate) c.onUpdate = onUpdate;
      return c;
    }
    default:
      return fail('constraint type must be one of primary_key, foreign_key, unique, check');
  }
}

/** Normalises an index value. */
export function checkIndex(v: unknown, name: string): Index {
  const o = record(v, 'index');
  const idx: Index = { name: nameFrom(o, name, 'index'), columns: identList(o.columns, 'index columns') };
  if (o.unique !== undefined) idx.unique = typeof o.unique === 'boolean' ? o.unique : fail('unique must be a boolean');
  if (o.method !== undefined) {
    if (!(INDEX_METHODS as readonly unknown[]).includes(o.method))
      fail(`index method must be one of ${INDEX_METHODS.join(', ')}`);
    idx.method = o.method as Index['method'];
  }
  return idx;
}

/** Normalises an enum value: `{values: [...]}`, unique non-empty labels. */
export function checkEnum(v: unknown, name: string): EnumType {
  const o = record(v, 'enum');
  nameFrom(o, name, 'enum');
  if (!Array.isArray(o.values) || o.values.length === 0 || o.values.length > MAX_ITEMS)
    fail(`enum values must be a non-empty array of at most ${MAX_ITEMS} strings`);
  for (const label of o.values)
    if (typeof label !== 'string' || label.length === 0 || label.length > 63 || /[\p{Cc}]/u.test(label))
      fail(`enum value ${JSON.stringify(label)} must be 1..63 printable characters`);
  if (new Set(o.values).size !== o.values.length) fail('enum values must be unique');
  return { name, values: [...(o.values as string[])] };
}

/**
 * Accepts members as a name-keyed object (the model's own shape) or as an array of objects
 * with `name` (what language models tend to write); returns them keyed by name.
 */
function members<T>(v: unknown, what: string, check: (v: unknown, name: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  if (v === undefined) return out;
  const entries = Array.isArray(v)
    ? v.map((item) => [record(item, what).name, item] as const)
    : Object.entries(record(v, `${what}s`));
  if (entries.length > MAX_ITEMS) fail(`more than ${MAX_ITEMS} ${what}s`);
  for (const [key, item] of entries) {
    const name = ident(key, `${what} name`);
    if (Object.hasOwn(out, name)) fail(`${what} "${name}" is defined twice`);
    out[name] = check(item, name);
  }
  return out;
}

/** Normalises a whole table value. */
export function checkTable(v: unknown, name: string): Table {
  const o = record(v, 'table');
  const table: Table = {
    name: nameFrom(o, name, 'table'),
    columns: members(o.columns, 'column', checkColumn),
    constraints: members(o.constraints, 'constraint', checkConstraint),
    indexes: members(o.indexes, 'index', checkIndex),
  };
  if (o.comment !== undefined && o.comment !== null) table.comment = checkComment(o.comment);
  return table;
}
