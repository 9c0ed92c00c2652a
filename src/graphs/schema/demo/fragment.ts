/**
 * Clauses without a verb: "a blog with users, posts and comments", "customers: name, email",
 * "tags on posts", or a bare list of things.
 */
import type { Chunk, NounPhrase } from './chunks';
import { groups, type Fact } from './groups';

/** What a clause without a verb says. */
export function fragmentFacts(chunks: Chunk[], manyToMany: boolean): Fact[] {
  const facts: Fact[] = [];
  const normalised = chunks.map((c): Chunk => (c.t === 'colon' ? { t: 'prep', word: 'with' } : c));
  const [gs] = groups(normalised, 0);
  if (gs.length === 0) return facts;
  const [head, ...rest] = gs;
  const hasPlural = rest.some((g) => g.nps.some((np) => np.plural || np.many));
  const inList = (np: NounPhrase) => rest.some((g) => g.nps.includes(np) && g.nps.some((x) => x.plural || x.many));
  // "A blog with users, posts and comments": one thing introduced with a list of plurals is
  // the system, not a table. So is a lone "a library system".
  const domain =
    head.prep === null &&
    head.nps.length === 1 &&
    !head.nps[0].plural &&
    (hasPlural || rest.length === 0) &&
    !(rest.length === 0 && head.nps[0].each);
  let owners = head.prep === null ? head.nps : [];
  if (domain) {
    facts.push({ k: 'domain', np: head.nps[0] });
    owners = [];
  } else for (const np of owners) facts.push({ k: 'entity', np });
  if (head.prep !== null) for (const np of head.nps) facts.push({ k: 'entity', np });
  for (const g of rest) {
    for (const np of g.nps) {
      if (owners.length === 0) {
        // Still inside the system's description ("an app for a gym with members"): singular
        // phrases there describe the system too.
        // A singular in a list of plurals is one more thing ("cars, customers and salespeople").
        if (np.plural || np.many || inList(np)) facts.push({ k: 'entity', np });
        else facts.push({ k: 'domain', np });
        continue;
      }
      for (const o of owners) {
        if (manyToMany) facts.push({ k: 'm2m', a: o, b: np, verb: g.prep ?? 'with' });
        else if (g.prep === 'with')
          facts.push(
            np.plural || np.many ? { k: 'many', parent: o, child: np, verb: 'has' } : { k: 'has', owner: o, np },
          );
        else
          facts.push(
            np.plural || np.many ? { k: 'ref', from: o, to: np, verb: g.prep ?? '' } : { k: 'has', owner: o, np },
          );
      }
    }
  }
  // "posts and tags (many-to-many)": a bare list said to be many-to-many.
  if (manyToMany && owners.length === 2 && rest.length === 0)
    facts.push({ k: 'm2m', a: owners[0], b: owners[1], verb: 'many-to-many' });
  return facts;
}
