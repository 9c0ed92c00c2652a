/**
 * From an understanding of the requirements to a design: tables with typed columns, primary
 * and foreign keys, join tables for many-to-many relations, indexes. Kept as plain data so a
 * retry can adjust it (retry.ts) before it becomes schema operations (operations.ts).
 */
import { DOMAIN_HINTS, KNOWN_TABLES } from './catalog';
import { checkFor, columnFor } from './columns';
import type { Entity, ManyToMany, Reference, Understanding } from './understand';
import { singularOf, snake } from './words';

/** A column of a designed table. */
export interface DesignColumn {
  name: string;
  type: string;
  nullable: boolean;
  default?: string;
  check?: string;
}

/** A foreign key of a designed table, always to the referenced table's `id`. */
export interface DesignForeignKey {
  column: string;
  table: string;
  onDelete: 'cascade' | 'set null';
  /** What in the text made it ("customers place orders"); empty when usual for these tables. */
  why: string;
}

/** A designed table; its primary key is always `id`. */
export interface DesignTable {
  name: string;
  columns: DesignColumn[];
  foreignKeys: DesignForeignKey[];
  /** Column sets that must be unique (single columns included). */
  uniques: string[][];
  comment: string;
  /** Links two tables many-to-many. */
  joins?: [string, string];
}

/** A whole design, before it becomes operations. */
export interface Design {
  enums: Record<string, string[]>;
  tables: DesignTable[];
  /** Sentences for the rationale about how the design came about (fallbacks, language). */
  notes: string[];
}

/**
 * Most tables and attributes per table a design gets by default: the operation checker takes
 * at most 200 columns per table and 300 operations per answer (see {@link designFor}).
 */
export const MAX_TABLES = 60;
const MAX_ATTRIBUTES = 60;

const ID: DesignColumn = { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' };
const CREATED: DesignColumn = { name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()' };

/** A column for an attribute name, typed by {@link columnFor}; unique ones are listed in `uniques`. */
export function attributeColumn(name: string, flags: string[] = []): { column: DesignColumn; unique: boolean } {
  const s = columnFor(name);
  const nullable =
    flags.includes('required') || flags.includes('mandatory') ? false : flags.includes('optional') ? true : s.nullable;
  const column: DesignColumn = { name, type: s.type, nullable };
  if (s.default !== undefined) column.default = s.default;
  const check = checkFor(s, name);
  if (check) column.check = check;
  return { column, unique: s.unique === true || flags.includes('unique') };
}

function placeholder(comment: string): DesignTable {
  return {
    name: 'items',
    columns: [
      ID,
      { name: 'name', type: 'varchar(200)', nullable: false },
      { name: 'description', type: 'text', nullable: true },
      CREATED,
    ],
    foreignKeys: [],
    uniques: [],
    comment,
  };
}

/** Tables present, when the text only names the system ("a blog"): its usual tables. */
function hinted(u: Understanding): Understanding | null {
  for (const d of u.domains) {
    const hint = DOMAIN_HINTS[d] ?? DOMAIN_HINTS[singularOf(d, d.endsWith('s'))];
    if (hint)
      return {
        ...u,
        entities: hint.map((t) => ({ table: t, singular: singularOf(t, true), attributes: [] })),
      };
  }
  return null;
}

/** Builds the design for what was understood, with at most `maxTables` of the tables named. */
export function buildDesign(understood: Understanding, note = '', maxTables = MAX_TABLES): Design {
  const notes = note ? [note] : [];
  let u = understood;
  if (u.entities.length === 0) {
    const h = u.language.english ? hinted(u) : null;
    if (!h) {
      const why = note || 'No entities were found in the requirements, so the demo engine made one placeholder table.';
      return { enums: {}, tables: [placeholder(why.slice(0, 1000))], notes: note ? notes : [why] };
    }
    notes.push(`The requirements name only the system (${u.domains[0]}), so the demo engine used its usual tables.`);
    u = h;
  }
  if (u.entities.length > maxTables) {
    notes.push(`The requirements name ${u.entities.length} things; the demo engine designed the first ${maxTables}.`);
    const kept = new Set(u.entities.slice(0, maxTables).map((e) => e.table));
    u = {
      ...u,
      entities: u.entities.filter((e) => kept.has(e.table)),
      references: u.references.filter((r) => kept.has(r.from) && kept.has(r.to)),
      manyToMany: u.manyToMany.filter((m) => kept.has(m.a) && kept.has(m.b)),
    };
  }
  const present = new Set(u.entities.map((e) => e.table));
  const references = [...u.references, ...usualReferences(u, present)];
  const manyToMany = [...u.manyToMany, ...tagLinks(u, references, present)];
  const kept = references.filter((r) => !isTagLike(r.from) || r.from === r.to);
  const enums: Record<string, string[]> = {};
  const tables = u.entities.map((e) => entityTable(e, kept, enums, present));
  for (const m of manyToMany) {
    const join = joinTable(m, u.entities, tables);
    if (join) tables.push(join);
  }
  return { enums, tables, notes };
}

function entityTable(
  e: Entity,
  references: Reference[],
  enums: Record<string, string[]>,
  present: Set<string>,
): DesignTable {
  const columns: DesignColumn[] = [ID];
  const uniques: string[][] = [];
  const foreignKeys: DesignForeignKey[] = [];
  const has = (n: string) => columns.some((c) => c.name === n);
  for (const r of references.filter((x) => x.from === e.table)) {
    if (has(r.column)) continue;
    columns.push({ name: r.column, type: 'uuid', nullable: r.optional });
    foreignKeys.push({ column: r.column, table: r.to, onDelete: r.optional ? 'set null' : 'cascade', why: r.why });
  }
  const known = KNOWN_TABLES[e.table];
  const attributes = e.attributes.length
    ? e.attributes.slice(0, MAX_ATTRIBUTES)
    : known
      ? known.columns.map((k) => ({ name: k.name, flags: [] as string[] }))
      : [{ name: 'name', flags: [] }];
  for (const a of attributes) {
    if (has(a.name)) continue;
    const { column, unique } = attributeColumn(a.name, a.flags);
    const k = e.attributes.length ? undefined : known?.columns.find((x) => x.name === a.name);
    const values = k?.type ? known?.enums?.[k.type] : undefined;
    // An enum named like a table would clash with it (both are types): fall back to a label.
    if (values && !present.has(k!.type!)) enums[k!.type!] = values;
    if (k?.type) {
      column.type = values && present.has(k.type) ? 'varchar(32)' : k.type;
      delete column.check;
    }
    if (k?.nullable !== undefined) column.nullable = k.nullable;
    if (k?.default !== undefined) column.default = k.default;
    columns.push(column);
    if (unique) uniques.push([a.name]);
  }
  if (!has('created_at')) columns.push(CREATED);
  return {
    name: e.table,
    columns,
    foreignKeys,
    uniques,
    comment: known?.comment ?? `${e.table.replaceAll('_', ' ')} named in the requirements.`,
  };
}

/** The catalogue's usual references between present tables the text does not relate. */
function usualReferences(u: Understanding, present: Set<string>): Reference[] {
  const related = new Set<string>();
  for (const r of u.references) related.add([r.from, r.to].sort().join(' '));
  for (const m of u.manyToMany) related.add([m.a, m.b].sort().join(' '));
  const out: Reference[] = [];
  for (const e of u.entities)
    for (const usual of KNOWN_TABLES[e.table]?.references ?? []) {
      const to = usual.to.find((t) => present.has(t) && t !== e.table);
      if (!to || related.has([e.table, to].sort().join(' '))) continue;
      if (out.some((r) => r.from === e.table && r.column === usual.column)) continue;
      out.push({ from: e.table, to, column: usual.column, why: '', optional: false });
    }
  return out;
}

const TAG_LIKE = new Set(['tags', 'labels', 'keywords', 'hashtags']);
const isTagLike = (t: string) => TAG_LIKE.has(t);

/** Tags attach to many things and things have many tags: references from tags are many-to-many. */
function tagLinks(u: Understanding, references: Reference[], present: Set<string>): ManyToMany[] {
  const out: ManyToMany[] = [];
  for (const r of references) if (isTagLike(r.from) && r.from !== r.to) out.push({ a: r.to, b: r.from, why: r.why });
  for (const t of [...present].filter(isTagLike)) {
    const linked =
      references.some((r) => r.from === t || r.to === t) || u.manyToMany.some((m) => m.a === t || m.b === t);
    const target = u.entities.find(
      (e) =>
        !isTagLike(e.table) &&
        ['posts', 'articles', 'products', 'questions', 'tasks', 'recipes', 'books', 'photos', 'notes'].includes(
          e.table,
        ),
    );
    if (!linked && target) out.push({ a: target.table, b: t, why: '' });
  }
  return out;
}

function joinTable(m: ManyToMany, entities: Entity[], tables: DesignTable[]): DesignTable | null {
  // A table that already references both sides (enrollments) is the link.
  if (
    tables.some(
      (t) => t.name !== m.a && t.name !== m.b && [m.a, m.b].every((x) => t.foreignKeys.some((k) => k.table === x)),
    )
  )
    return null;
  if (tables.some((t) => t.joins && t.joins.join() === [m.a, m.b].sort().join())) return null;
  const [a, b] = [m.a, m.b].sort();
  const singular = (t: string) => entities.find((e) => e.table === t)?.singular ?? t;
  let name = snake([singular(a), b]);
  if (tables.some((t) => t.name === name)) name = snake([singular(a), b, 'links']);
  const ca = snake([singular(a), 'id'], 63);
  const cb = snake([singular(b), 'id'], 63);
  const why = m.why;
  return {
    name,
    columns: [ID, { name: ca, type: 'uuid', nullable: false }, { name: cb, type: 'uuid', nullable: false }, CREATED],
    foreignKeys: [
      { column: ca, table: a, onDelete: 'cascade', why },
      { column: cb, table: b, onDelete: 'cascade', why },
    ],
    uniques: [[ca, cb]],
    comment: `Links ${a} and ${b} (many-to-many).`,
    joins: [a, b],
  };
}
