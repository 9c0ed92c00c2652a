/**
 * What a clause can say, and the phrase lists it is read from: noun phrases joined by "and",
 * and groups of them after prepositions ("with a title and a due date", "for rooms").
 */
import type { Chunk, NounPhrase } from './chunks';

/** One thing a clause says about the schema to be. */
export type Fact =
  /** The phrase names a table. */
  | { k: 'entity'; np: NounPhrase }
  /** The phrase names a table unless it names a property ("we sell cakes"; "choose a password"). */
  | { k: 'thing'; np: NounPhrase }
  /** The phrase names the system itself ("a blog with ..."): never a table. */
  | { k: 'domain'; np: NounPhrase }
  /** `owner` has `np`: a column, or a reference to `np` if that is a table. */
  | { k: 'has'; owner: NounPhrase; np: NounPhrase }
  /** `child` rows each belong to one `parent` row (a foreign key in `child`), unless `child` is a column word. */
  | { k: 'many'; parent: NounPhrase; child: NounPhrase; verb: string }
  /** `from` refers to `to` (a foreign key in `from`); `to` being quantified "many" makes it many-to-many. */
  | { k: 'ref'; from: NounPhrase; to: NounPhrase; verb: string }
  /** Many-to-many between `a` and `b`. */
  | { k: 'm2m'; a: NounPhrase; b: NounPhrase; verb: string }
  /** `owner` is (or is not) `adjective`: a boolean column. */
  | { k: 'flag'; owner: NounPhrase; adjective: string };

/** Prepositions after an object that attach something to it ("appointments with doctors"). */
export const ATTACHING = new Set([
  'with',
  'for',
  'on',
  'at',
  'in',
  'from',
  'to',
  'of',
  'by',
  'about',
  'into',
  'under',
  'per',
]);

/**
 * Whether the chunks from `i` are a new clause's subject: noun phrases, then a verb. A list
 * that goes on with ", and" ("a home team and an away team, and each match has") is not one.
 */
export function startsClause(chunks: Chunk[], i: number): boolean {
  while (chunks[i]?.t === 'and') i++;
  if (chunks[i]?.t !== 'np') return false;
  for (i++; i < chunks.length; i++) {
    const c = chunks[i];
    if (c.t === 'vg') return chunks[i - 1].t === 'np';
    if (c.t === 'and' && chunks[i + 1]?.t === 'and') return false;
    if (c.t !== 'np' && c.t !== 'and') return false;
  }
  return false;
}

/**
 * Noun phrases joined by commas and "and"/"or", from `i`; returns them and the index after.
 * With `objects`, stops where "and" opens a clause of its own ("... and courses have students").
 */
export function list(chunks: Chunk[], i: number, objects = true): [NounPhrase[], number] {
  const out: NounPhrase[] = [];
  while (i < chunks.length) {
    const c = chunks[i];
    if (c.t === 'and' && objects && out.length && startsClause(chunks, i + 1)) break;
    if (c.t === 'np') out.push(c.np);
    else if (c.t !== 'and' && !(c.t === 'other' && out.length === 0)) break;
    i++;
  }
  return [out, i];
}

/** Objects of a predicate: a first group without preposition, then groups after prepositions. */
export interface Group {
  prep: string | null;
  nps: NounPhrase[];
}

/** The groups from `i` up to a verb or a new clause. */
export function groups(chunks: Chunk[], i: number): [Group[], number] {
  const out: Group[] = [];
  while (i < chunks.length) {
    const c = chunks[i];
    if (c.t === 'prep') {
      const [nps, j] = list(chunks, i + 1);
      out.push({ prep: c.word, nps });
      i = j;
    } else if (c.t === 'np') {
      const [nps, j] = list(chunks, i);
      out.push({ prep: null, nps });
      i = j;
    } else if (c.t === 'and' && (chunks[i + 1]?.t === 'vg' || startsClause(chunks, i + 1))) break;
    else if (c.t === 'and' || c.t === 'other' || c.t === 'colon') i++;
    else break;
  }
  return [out, i];
}
