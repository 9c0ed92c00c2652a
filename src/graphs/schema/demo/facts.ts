/**
 * What each clause says, before knowing the whole text: which noun phrases are things, what has
 * what, and what refers to what. Whether "an author" is a column or a reference to a table is
 * decided later, once every clause has said what its tables are (see understand.ts).
 */
import type { Chunk, NounPhrase } from './chunks';
import { fragmentFacts } from './fragment';
import { ATTACHING, groups, list, startsClause, type Fact, type Group } from './groups';
import { HAVE_VERBS, RECORD_VERBS, REFERENCE_VERBS } from './words';

/** Interprets one clause's chunks. `previous` stands in for "they"/"it" subjects. */
export function clauseFacts(chunks: Chunk[], manyToMany: boolean, previous: NounPhrase[]): Fact[] {
  const facts: Fact[] = [];
  // Text before a relative word or a colon followed by a whole clause is a clause of its own.
  const split = chunks.findIndex(
    (c, k) => (c.t === 'rel' || c.t === 'colon') && chunks.slice(k + 1).some((x) => x.t === 'vg') && k > 0,
  );
  if (split > 0) {
    const left = chunks.slice(0, split);
    const rel = chunks[split] as { t: 'rel' | 'colon'; word?: string };
    const right = chunks.slice(split + 1);
    const leftFacts = left.some((c) => c.t === 'vg')
      ? clauseFacts(left, manyToMany, previous)
      : fragmentFacts(left, manyToMany);
    const lastNp = [...left].reverse().find((c) => c.t === 'np') as { np: NounPhrase } | undefined;
    // "members who borrow books": the relative clause's subject is the phrase before it.
    const carried = rel.t === 'rel' && rel.word !== 'where' && right[0]?.t === 'vg' && lastNp ? [lastNp.np] : [];
    return [...leftFacts, ...clauseFacts(right, manyToMany, carried.length ? carried : previous)];
  }
  const firstVerb = chunks.findIndex((c) => c.t === 'vg');
  if (firstVerb < 0) return fragmentFacts(chunks, manyToMany);
  const [subjectList, afterSubjects] = list(chunks, 0, false);
  let subjects = subjectList.length ? subjectList : previous;
  for (const s of subjects) facts.push({ k: 'entity', np: s });
  // Prepositional phrases in the subject: "reviews of products are written by customers".
  const [before] = groups(chunks.slice(0, firstVerb), afterSubjects);
  for (const g of before)
    if (g.prep && ATTACHING.has(g.prep))
      for (const s of subjects) for (const np of g.nps) facts.push({ k: 'ref', from: s, to: np, verb: g.prep });
  let i = firstVerb;
  // "(many-to-many)" qualifies the relation next to it: the clause's last predicate.
  const lastVerb = chunks.map((c) => c.t).lastIndexOf('vg');
  // Predicates share the subject ("tasks have a title and are assigned to users") until a new
  // one comes ("students enroll in courses and courses have teachers").
  while (i < chunks.length) {
    const c = chunks[i];
    if (c.t === 'vg') {
      const [objects, next] = groups(chunks, i + 1);
      const adjp = chunks[i + 1]?.t === 'adjp' ? (chunks[i + 1] as { words: string[] }) : null;
      if (!c.negated) facts.push(...predicate(subjects, c, objects, adjp?.words ?? [], manyToMany && i === lastVerb));
      i = Math.max(next, i + 1);
    } else if (c.t === 'and' && startsClause(chunks, i + 1)) {
      const [nps, next] = list(chunks, i + 1, false);
      subjects = nps;
      for (const s of subjects) facts.push({ k: 'entity', np: s });
      i = next;
    } else i++;
  }
  return facts;
}

function predicate(
  subjects: NounPhrase[],
  vg: { lemma: string; word: string; passive: boolean },
  objects: Group[],
  adjectives: string[],
  manyToMany: boolean,
): Fact[] {
  const facts: Fact[] = [];
  const verb = vg.lemma;
  const relate = (from: NounPhrase, to: NounPhrase, v: string): Fact =>
    manyToMany ? { k: 'm2m', a: from, b: to, verb: v } : { k: 'ref', from, to, verb: v };
  const [first, ...rest] = objects;
  // "posts and tags are many-to-many"; "there is a many-to-many relation between posts and tags".
  const between = objects.find((g) => g.prep === 'between')?.nps ?? [];
  const pairUp = between.length === 2 ? between : subjects.length === 2 && objects.length === 0 ? subjects : [];
  if (manyToMany && pairUp.length === 2)
    return [{ k: 'm2m', a: pairUp[0], b: pairUp[1], verb: 'are many-to-many with' }];
  // "We sell cakes and cookies": with no subject to hang them on, objects still name things.
  if (subjects.length === 0)
    return objects.flatMap((g) =>
      g.nps.filter((np) => g.prep === null || np.plural || np.many).map((np): Fact => ({ k: 'thing', np })),
    );
  if (vg.lemma === 'be' && !vg.passive) {
    // "active or inactive" is one yes/no column.
    const flags = adjectives.filter((a) => !adjectives.some((b) => a === `in${b}` || a === `un${b}`));
    for (const s of subjects) for (const a of flags) facts.push({ k: 'flag', owner: s, adjective: a });
    // "is part of a hotel", "is for an event": the subject points at the object.
    for (const g of objects)
      if (g.prep && ATTACHING.has(g.prep))
        for (const s of subjects)
          for (const np of g.nps)
            facts.push(np.many ? { k: 'm2m', a: s, b: np, verb: `are ${g.prep}` } : relate(s, np, `are ${g.prep}`));
    return facts;
  }
  if (vg.passive) {
    // "orders are placed by customers", "tasks are assigned to users".
    for (const g of objects) {
      const v = `are ${vg.word} ${g.prep}`;
      if (g.prep)
        for (const s of subjects)
          for (const np of g.nps) facts.push(np.many ? { k: 'm2m', a: s, b: np, verb: v } : relate(s, np, v));
    }
    return facts;
  }
  if (REFERENCE_VERBS.has(vg.lemma)) {
    for (const g of objects) {
      const v = g.prep ? `${verb} ${g.prep}` : verb;
      for (const s of subjects)
        for (const np of g.nps) facts.push(np.many ? { k: 'm2m', a: s, b: np, verb: v } : relate(s, np, v));
    }
    return facts;
  }
  if (HAVE_VERBS.has(vg.lemma) || RECORD_VERBS.has(vg.lemma)) {
    const direct = first?.prep === null ? first.nps : [];
    for (const s of subjects)
      for (const np of direct) {
        if (manyToMany) facts.push({ k: 'm2m', a: s, b: np, verb });
        else if (np.plural || np.many) facts.push({ k: 'many', parent: s, child: np, verb });
        else if (RECORD_VERBS.has(vg.lemma)) facts.push({ k: 'ref', from: s, to: np, verb });
        else facts.push({ k: 'has', owner: s, np });
      }
    facts.push(...attached(direct.at(-1), first?.prep === null ? rest : objects, true));
    return facts;
  }
  // "members borrow books through loans": the go-between refers to both sides.
  const via = objects.find((g) => g.prep === 'through' || g.prep === 'via');
  if (via && first?.prep === null) {
    for (const link of via.nps)
      for (const np of [...subjects, ...first.nps]) facts.push({ k: 'ref', from: link, to: np, verb: 'link' });
    return facts;
  }
  // An action: "customers place orders" (each order has its customer) or, with a preposition
  // and no object, "employees work in departments" (each employee has its department).
  if (first?.prep === null) {
    for (const s of subjects)
      for (const np of first.nps)
        facts.push(manyToMany ? { k: 'm2m', a: s, b: np, verb } : { k: 'many', parent: s, child: np, verb });
    facts.push(...attached(first.nps.at(-1), rest));
  } else if (first?.prep) {
    const v = `${verb} ${first.prep}`;
    for (const s of subjects)
      for (const np of first.nps)
        facts.push(np.many || manyToMany ? { k: 'm2m', a: s, b: np, verb: v } : { k: 'ref', from: s, to: np, verb: v });
  }
  return facts;
}

/**
 * "appointments with doctors", "orders with a delivery address": things said of an object. After
 * a verb of having ("stores recipes with ingredients"), "with" many things means it has them.
 */
function attached(object: NounPhrase | undefined, rest: Group[], having = false): Fact[] {
  if (!object) return [];
  const facts: Fact[] = [];
  for (const g of rest)
    if (g.prep && ATTACHING.has(g.prep))
      for (const np of g.nps) {
        if (!(np.plural || np.many)) facts.push({ k: 'has', owner: object, np });
        else if (having && g.prep === 'with') facts.push({ k: 'many', parent: object, child: np, verb: 'have' });
        else facts.push({ k: 'ref', from: object, to: np, verb: g.prep });
      }
  return facts;
}
