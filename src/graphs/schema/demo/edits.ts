/**
 * Edits of a design that retries make: renames, added and removed tables and columns. Each
 * keeps the design coherent (no key naming a column or table that is gone) and returns what
 * it did, in words, for the rationale.
 */
import { KNOWN_TABLES } from './catalog';
import { attributeColumn, type Design, type DesignTable } from './design';
import { looksPlural, pluralOf, snake } from './words';

/** Renames a table everywhere it is named. */
export function renameTable(design: Design, from: string, to: string): void {
  for (const t of design.tables) {
    if (t.name === from) t.name = to;
    for (const k of t.foreignKeys) if (k.table === from) k.table = to;
    if (t.joins) t.joins = t.joins.map((j) => (j === from ? to : j)) as [string, string];
  }
}

/** Renames a column of one table, with its keys. */
export function renameColumn(t: DesignTable, from: string, to: string): void {
  for (const c of t.columns) if (c.name === from) c.name = to;
  for (const c of t.columns) if (c.check) c.check = c.check.replaceAll(`"${from}"`, `"${to}"`);
  for (const k of t.foreignKeys) if (k.column === from) k.column = to;
  t.uniques = t.uniques.map((u) => u.map((x) => (x === from ? to : x)));
}

/** Adds columns (typed by name) before `created_at`; new columns are nullable unless defaulted. */
export function addColumns(t: DesignTable, names: string[]): string[] {
  const done: string[] = [];
  for (const n of names) {
    if (t.columns.some((c) => c.name === n)) {
      done.push(`${t.name}.${n} was already there`);
      continue;
    }
    const { column, unique } = attributeColumn(n);
    // The table has rows already in the reviewer's mind: a new column must not demand a value.
    if (column.default === undefined) column.nullable = true;
    const at = t.columns.findIndex((c) => c.name === 'created_at');
    t.columns.splice(at < 0 ? t.columns.length : at, 0, column);
    if (unique) t.uniques.push([n]);
    done.push(`added column ${t.name}.${n} (${column.type})`);
  }
  return done;
}

/** Removes a table, its join tables, and the references to them. */
export function dropTable(design: Design, t: DesignTable): string[] {
  const gone = new Set([t.name]);
  // Join tables of the dropped one go with it: they would link to nothing.
  for (const j of design.tables) if (j.joins?.includes(t.name)) gone.add(j.name);
  design.tables = design.tables.filter((x) => !gone.has(x.name));
  for (const x of design.tables) {
    const refs = x.foreignKeys.filter((k) => gone.has(k.table)).map((k) => k.column);
    x.foreignKeys = x.foreignKeys.filter((k) => !gone.has(k.table));
    x.columns = x.columns.filter((c) => !refs.includes(c.name));
    x.uniques = x.uniques.filter((u) => !u.some((c) => refs.includes(c)));
  }
  const used = new Set(design.tables.flatMap((x) => x.columns.map((c) => c.type)));
  for (const e of Object.keys(design.enums)) if (!used.has(e)) delete design.enums[e];
  return [`removed table ${[...gone].join(', ')}`];
}

/** Removes a column with its keys (never `id`). */
export function dropColumn(t: DesignTable, name: string): string[] {
  if (name === 'id' || !t.columns.some((c) => c.name === name)) return [];
  t.columns = t.columns.filter((c) => c.name !== name);
  t.foreignKeys = t.foreignKeys.filter((k) => k.column !== name);
  t.uniques = t.uniques.filter((u) => !u.includes(name));
  return [`removed column ${t.name}.${name}`];
}

/** Whether a well-known table's default column is of one of its enums (which an added table does not create). */
const isEnumColumn = (known: (typeof KNOWN_TABLES)[string], n: string) =>
  known.columns.some((c) => c.name === n && c.type !== undefined && known.enums?.[c.type] !== undefined);

/** Adds a table named by words (["reviews"]), with well-known defaults where there are some. */
export function addTable(design: Design, words: string[]): string[] {
  const last = words.at(-1) ?? '';
  const name = snake([...words.slice(0, -1), pluralOf(last, looksPlural(last))]);
  if (!name || design.tables.some((t) => t.name === name)) return [];
  const known = KNOWN_TABLES[name];
  const t: DesignTable = {
    name,
    columns: [{ name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' }],
    foreignKeys: [],
    uniques: [],
    comment: known?.comment ?? `${name.replaceAll('_', ' ')} the reviewer asked for.`,
  };
  for (const r of known?.references ?? []) {
    const to = r.to.find((x) => design.tables.some((d) => d.name === x));
    if (!to) continue;
    t.columns.push({ name: r.column, type: 'uuid', nullable: false });
    t.foreignKeys.push({ column: r.column, table: to, onDelete: 'cascade', why: '' });
  }
  addColumns(t, [
    ...(known ? known.columns.map((c) => c.name).filter((n) => !isEnumColumn(known, n)) : ['name']),
    'created_at',
  ]);
  design.tables.push(t);
  return [
    `added table ${name}${t.foreignKeys.length ? ` (referencing ${t.foreignKeys.map((k) => k.table).join(', ')})` : ''}`,
  ];
}
