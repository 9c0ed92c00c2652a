/**
 * From requirements text to what a schema needs: the tables named, their attributes, and how
 * they refer to each other. compromise tags the words (tokens.ts); the rest is a small reading
 * of English clause structure (chunks.ts, facts.ts) resolved here against the whole text.
 */
import type { NounPhrase } from './chunks';
import { chunk } from './chunks';
import { isColumnWord } from './columns';
import { clauseFacts } from './facts';
import type { Fact } from './groups';
import { detectLanguage, type LanguageVerdict } from './language';
import { clauseTexts, tagClause } from './tokens';
import { GENERIC_NOUNS, isWordLike, pluralOf, singularOf, snake } from './words';

/** An attribute the text names for a table. */
export interface Attribute {
  name: string;
  /** "unique", "optional" or "required" was said of it. */
  flags: string[];
}

/** A table the text names. */
export interface Entity {
  table: string;
  /** Singular form, for foreign key column names (`customer_id`). */
  singular: string;
  attributes: Attribute[];
}

/** A foreign key: `from.column` references `to.id`. */
export interface Reference {
  from: string;
  to: string;
  column: string;
  /** What in the text said so ("customers place orders"); empty when it is only usual. */
  why: string;
  optional: boolean;
}

/** A many-to-many relation, realised by a join table unless another table already links them. */
export interface ManyToMany {
  a: string;
  b: string;
  /** What in the text said so ("students enroll in courses"); empty when it is only usual. */
  why: string;
}

/** What the demo engine understood of the requirements. */
export interface Understanding {
  language: LanguageVerdict;
  entities: Entity[];
  references: Reference[];
  manyToMany: ManyToMany[];
  /** What the text says the system is ("blog"), if anything. */
  domains: string[];
}

const keyOf = (np: NounPhrase) => snake([...np.words.slice(0, -1), pluralOf(np.head, np.plural)]);
const singularKey = (np: NounPhrase) => snake([...np.words.slice(0, -1), singularOf(np.head, np.plural)]);
const attributeName = (np: NounPhrase) =>
  snake(
    np.words.filter((w) => !['unique', 'optional', 'required', 'mandatory'].includes(w)),
    60,
  );

/** Whether a phrase can name a table at all. */
function nameable(np: NounPhrase): boolean {
  // "tables" is the modelling talking, "dining tables" a thing.
  return isWordLike(np.head) && !(np.words.length === 1 && GENERIC_NOUNS.has(np.head)) && keyOf(np) !== '';
}

/** Reads requirements text. Same text, same result. */
export function understand(text: string): Understanding {
  const language = detectLanguage(text);
  const empty: Understanding = { language, entities: [], references: [], manyToMany: [], domains: [] };
  if (!language.english) return empty;
  const facts: Fact[] = [];
  const named: { table: string; at: number }[] = [];
  let previous: NounPhrase[] = [];
  clauseTexts(text).forEach((clause, n) => {
    const tagged = tagClause(clause);
    for (const name of tagged.named) named.push({ table: snake([name]), at: n * 1000 });
    const found = clauseFacts(chunk(tagged.tokens, n * 1000), tagged.manyToMany, previous);
    facts.push(...found);
    const subjects = found.flatMap((f) => (f.k === 'entity' ? [f.np] : []));
    if (subjects.length) previous = subjects;
  });
  return resolve(language, facts, named);
}

function resolve(language: LanguageVerdict, facts: Fact[], named: { table: string; at: number }[]): Understanding {
  const domains = new Set<string>();
  for (const f of facts)
    if (f.k === 'domain')
      for (const w of [keyOf(f.np), snake([f.np.head]), snake([pluralOf(f.np.head, f.np.plural)])]) domains.add(w);
  const firstAt = new Map<string, number>();
  const singulars = new Map<string, string>();
  const add = (np: NounPhrase) => {
    const key = keyOf(np);
    if (!nameable(np) || domains.has(key)) return;
    if (!firstAt.has(key) || firstAt.get(key)! > np.at) firstAt.set(key, np.at);
    if (!singulars.has(key)) singulars.set(key, singularKey(np));
  };
  for (const n of named) {
    firstAt.set(n.table, Math.min(firstAt.get(n.table) ?? Infinity, n.at));
    singulars.set(n.table, n.table);
  }
  // Phrases that can only be tables: subjects, owners, and both sides of a many-to-many.
  for (const f of facts) {
    if (f.k === 'entity') add(f.np);
    else if (f.k === 'has' || f.k === 'flag') add(f.owner);
    else if (f.k === 'many') add(f.parent);
    else if (f.k === 'ref') add(f.from);
    else if (f.k === 'm2m') [f.a, f.b].forEach(add);
  }
  const lookup = (np: NounPhrase): { table: string; role: string } | null => {
    const key = keyOf(np);
    if (firstAt.has(key)) return { table: key, role: '' };
    const longer = [...firstAt.keys()].filter((k) => k.endsWith(`_${key}`));
    if (longer.length === 1) return { table: longer[0], role: '' };
    const head = snake([pluralOf(np.head, np.plural)]);
    if (np.words.length > 1 && firstAt.has(head)) return { table: head, role: snake(np.words.slice(0, -1), 20) };
    return null;
  };
  // Then phrases that are tables unless they name a property ("orders with a total").
  // A longer name said first is the table's name ("support tickets ... each ticket"); said
  // after the table, it is a role ("teams ... a home team").
  for (const f of facts) {
    const np = f.k === 'many' ? f.child : f.k === 'ref' ? f.to : f.k === 'thing' ? f.np : null;
    if (!np || isColumnWord(attributeName(np)) || isColumnWord(singularKey(np))) continue;
    const hit = lookup(np);
    if (!hit || (hit.role && np.at < firstAt.get(hit.table)!)) add(np);
  }
  // "items" and "order items" in one text are one table.
  const canonical = (key: string) => {
    const longer = [...firstAt.keys()].filter((k) => k.endsWith(`_${key}`));
    return longer.length === 1 ? longer[0] : key;
  };
  const tables = [...firstAt.keys()]
    .filter((k) => canonical(k) === k)
    .sort((a, b) => firstAt.get(a)! - firstAt.get(b)!);
  const entities = new Map<string, Entity>(
    tables.map((t) => [t, { table: t, singular: singulars.get(t) ?? t, attributes: [] }]),
  );
  const find = (np: NounPhrase) => {
    const hit = lookup(np);
    return hit ? { table: canonical(hit.table), role: hit.role } : null;
  };

  const references: Reference[] = [];
  const manyToMany: ManyToMany[] = [];
  const addAttribute = (owner: NounPhrase, np: NounPhrase) => {
    const e = find(owner) && entities.get(find(owner)!.table);
    const name = attributeName(np);
    if (!e || !name || !isWordLike(np.head) || GENERIC_NOUNS.has(np.head)) return;
    if (!e.attributes.some((a) => a.name === name)) e.attributes.push({ name, flags: np.flags });
  };
  const addReference = (
    fromNp: NounPhrase,
    toNp: NounPhrase,
    phrase: (from: string, to: string) => string,
    selfRole = 'related',
  ) => {
    const from = find(fromNp);
    const to = find(toNp);
    if (!from || !to) return false;
    const target = entities.get(to.table)!;
    const self = from.table === to.table;
    const role = to.role || (self ? selfRole : '');
    const column = snake([...(role ? [role] : []), target.singular, 'id'], 63);
    references.push({
      from: from.table,
      to: to.table,
      column,
      why: phrase(from.table, to.table),
      optional: self || to.role !== '',
    });
    return true;
  };
  for (const f of facts) {
    if (f.k === 'has') {
      if (!addReference(f.owner, f.np, (from, to) => `${from} have ${to}`, 'parent')) addAttribute(f.owner, f.np);
    } else if (f.k === 'many') {
      if (!addReference(f.child, f.parent, (child, parent) => `${parent} ${f.verb} ${child}`))
        addAttribute(f.parent, f.child);
    } else if (f.k === 'ref') {
      if (!addReference(f.from, f.to, (from, to) => `${from} ${f.verb} ${to}`)) addAttribute(f.from, f.to);
    } else if (f.k === 'm2m') {
      const a = find(f.a);
      const b = find(f.b);
      if (a && b && a.table !== b.table)
        manyToMany.push({ a: a.table, b: b.table, why: `${a.table} ${f.verb} ${b.table}` });
    } else if (f.k === 'flag') {
      const e = find(f.owner) && entities.get(find(f.owner)!.table);
      const name = snake(['is', f.adjective], 60);
      if (e && isWordLike(f.adjective) && !e.attributes.some((a) => a.name === name))
        e.attributes.push({ name, flags: [] });
    }
  }
  return {
    language,
    entities: [...entities.values()],
    ...settle(references, manyToMany),
    domains: [...domains].filter((d) => !d.includes('_')),
  };
}

const pair = (a: string, b: string) => [a, b].sort().join(' ');

/**
 * Turns references both ways between two tables into many-to-many, drops references a
 * many-to-many replaces, and removes duplicates.
 */
function settle(
  references: Reference[],
  manyToMany: ManyToMany[],
): { references: Reference[]; manyToMany: ManyToMany[] } {
  const m2m = new Map<string, ManyToMany>();
  for (const m of manyToMany) if (!m2m.has(pair(m.a, m.b))) m2m.set(pair(m.a, m.b), m);
  const plain = (r: Reference) => r.from !== r.to && !r.optional;
  for (const r of references)
    if (
      plain(r) &&
      references.some((o) => plain(o) && o.from === r.to && o.to === r.from) &&
      !m2m.has(pair(r.from, r.to))
    )
      m2m.set(pair(r.from, r.to), { a: r.to, b: r.from, why: r.why });
  const out: Reference[] = [];
  for (const r of references) {
    if (plain(r) && m2m.has(pair(r.from, r.to))) continue;
    if (out.some((o) => o.from === r.from && o.column === r.column)) continue;
    out.push(r);
  }
  return { references: out, manyToMany: [...m2m.values()] };
}
