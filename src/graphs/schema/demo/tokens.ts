/**
 * From requirements text to clauses of tagged tokens. compromise tags the open-class words;
 * a few context rules then repair the slips that matter for schemas (a plural noun in a list
 * read as a verb: "users, posts and comments").
 */
import nlp from 'compromise/two';
import {
  AUXILIARIES,
  CONJUNCTIONS,
  COPULAS,
  DETERMINERS,
  HAVE_VERBS,
  RECORD_VERBS,
  MANY,
  NEGATIONS,
  ONE,
  PREPOSITIONS,
  PRONOUNS,
  REFERENCE_VERBS,
  RELATIVES,
  infinitiveOf,
  isKnownVerb,
} from './words';

/** Word classes as this engine needs them: compromise's tags for open classes, lists for closed ones. */
export type TokenKind =
  | 'noun'
  | 'verb'
  | 'adj'
  | 'adv'
  | 'num'
  | 'det'
  | 'many'
  | 'one'
  | 'prep'
  | 'conj'
  | 'comma'
  | 'colon'
  | 'rel'
  | 'be'
  | 'aux'
  | 'neg'
  | 'pron';

/** One word (or separator) of a clause. */
export interface Token {
  /** Lower-case, without possessive "'s" or punctuation. */
  word: string;
  kind: TokenKind;
  /** Nouns: written in the plural. Verbs: a participle ("assigned", "written"). */
  plural: boolean;
  participle: boolean;
}

/** A clause: what lies between sentence ends and semicolons. */
export interface Clause {
  tokens: Token[];
  /** It said "many-to-many" (or m:n) somewhere. */
  manyToMany: boolean;
  /** Table names given literally ("a table named x"). */
  named: string[];
}

const MANY_TO_MANY = /\b(many[\s-]+to[\s-]+many|m\s*:\s*n|n\s*:\s*m|m2m)\b/i;
const MANY_TO_MANY_ALL = new RegExp(MANY_TO_MANY.source, 'gi');
/** Phrasings folded into simpler ones before tagging: multi-word quantifiers, counts, asides. */
const FOLD: [RegExp, string][] = [
  // "a number of bedrooms" is a count, not a list of bedroom rows.
  [/\b(?:a|the|its|their) (?:number|count|total number) of (\w+)/gi, 'a $1_count'],
  [/\b(date|place|country|city) of (birth|death)\b/gi, '$2 $1'],
  [/\b(?:a |each |every )?pieces? of (\w+)/gi, '$1'],
  [
    /\b(one or more|zero or more|a list of|a set of|any number of|lots of|a lot of|a collection of|more than one|a few|plenty of|several)\b/gi,
    'many',
  ],
  [/\b(exactly one|only one|a single|one and only one|at most one|at least one)\b/gi, 'one'],
  [/\b(one[\s-]+to[\s-]+(one|many)|many[\s-]+to[\s-]+one|1\s*:\s*[1n])\b/gi, ''],
  [/\b(e\.g\.|i\.e\.|such as|including)\s/gi, ', '],
  [/\betc\b\.?/gi, ''],
];

/** Splits text into clause strings, moving parentheticals out as "<word> with <content>". */
export function clauseTexts(text: string): string[] {
  const out: string[] = [];
  let main = text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
  for (const [re, to] of FOLD) main = main.replace(re, to);
  // "order items (quantity, unit price)": the parenthesis describes the word before it.
  main = main.replace(/([A-Za-z]+)\s*\(([^()]*)\)/g, (_, word: string, inner: string) => {
    if (MANY_TO_MANY.test(inner)) return `${word} ${inner}`;
    out.push(`${word} with ${inner}`);
    return word;
  });
  const parts = main.split(/(?<!\d)[.!?](?!\d)|[;\n\u3002]+/);
  return [...parts.map((p) => p.trim()), ...out].filter((p) => /[A-Za-z]/.test(p));
}

function kindOf(word: string, tags: Set<string>): TokenKind {
  if (DETERMINERS.has(word)) return 'det';
  if (MANY.has(word)) return 'many';
  if (ONE.has(word)) return 'one';
  if (PREPOSITIONS.has(word)) return 'prep';
  if (CONJUNCTIONS.has(word)) return 'conj';
  if (RELATIVES.has(word)) return 'rel';
  if (COPULAS.has(word)) return 'be';
  if (AUXILIARIES.has(word)) return 'aux';
  if (NEGATIONS.has(word)) return 'neg';
  if (PRONOUNS.has(word)) return 'pron';
  if (tags.has('Verb')) return 'verb';
  if (tags.has('Adverb')) return 'adv';
  if (tags.has('Adjective')) return 'adj';
  if (tags.has('Value') || tags.has('Cardinal')) return 'num';
  return 'noun';
}

interface RawTerm {
  text: string;
  normal?: string;
  tags: string[];
  pre: string;
  post: string;
}

/** Tags one clause string. */
export function tagClause(text: string): Clause {
  const manyToMany = MANY_TO_MANY.test(text);
  const named: string[] = [];
  // "check-in date": one word to the tagger, "check_in" to the name.
  let body = text.replace(MANY_TO_MANY_ALL, ' ').replace(/(\p{L})-(?=\p{L})/gu, '$1_');
  // "a table named x", "tables called x and y": a name given literally.
  body = body.replace(
    /\b(?:table|entity|model)s?\s+(?:named|called)\s+["'`]?([A-Za-z_][\w]*)["'`]?(?:\s+and\s+["'`]?([A-Za-z_][\w]*)["'`]?)?/gi,
    (_, a: string, b?: string) => {
      named.push(a, ...(b ? [b] : []));
      return ' ';
    },
  );
  const tokens: Token[] = [];
  const sentences = nlp(body).json() as { terms: RawTerm[] }[];
  for (const term of sentences.flatMap((s) => s.terms)) {
    const word = (term.normal ?? term.text.toLowerCase()).replace(/'s$/, '').replace(/[^\p{L}\p{N}&'_-]/gu, '');
    if (word) {
      const tags = new Set(term.tags);
      const kind = kindOf(word, tags);
      tokens.push({
        word: kind === 'verb' ? word : word.replace(/'/g, ''),
        kind,
        // compromise misses some irregular plurals ("salespeople").
        plural:
          kind !== 'verb' &&
          (tags.has('Plural') ||
            /(people|children)$|^(wo)?men$/.test(word) ||
            (kind === 'noun' && !tags.has('Singular') && /[^su]s$/.test(word))),
        participle: tags.has('PastTense') || tags.has('Participle') || tags.has('Passive'),
      });
    }
    if (term.post.includes(':')) tokens.push(separator('colon'));
    else if (/[,/]/.test(term.post)) tokens.push(separator('comma'));
  }
  repair(tokens);
  return { tokens, manyToMany, named };
}

const separator = (kind: 'comma' | 'colon'): Token => ({ word: kind, kind, plural: false, participle: false });

const isSForm = (t: Token) => /[^s]s$/.test(t.word) && !t.participle;
const ends = (t: Token | undefined) =>
  !t || ['comma', 'colon', 'conj', 'prep', 'be', 'aux', 'verb', 'neg', 'rel'].includes(t.kind);

function asNoun(t: Token) {
  t.kind = 'noun';
  t.plural = isSForm(t);
  t.participle = false;
}

/** Verbs that open requirements as instructions ("track enrollments", "store employees"). */
const IMPERATIVES = new Set(
  'track manage store keep record list handle create build design model support need want add include capture log organize organise'.split(
    ' ',
  ),
);

/** Context rules for the tagger's slips that would change what a sentence means to a schema. */
function repair(tokens: Token[]): void {
  const first = tokens[0];
  // An instruction: the only verb opens the clause, and something to keep follows.
  if (
    first &&
    IMPERATIVES.has(first.word) &&
    ['noun', 'det', 'many', 'adj'].includes(tokens[1]?.kind ?? '') &&
    !tokens.slice(1).some((t) => t.kind === 'verb' || t.kind === 'be')
  ) {
    first.kind = 'verb';
    first.plural = false;
  }
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const before = tokens[i - 2];
    const next = tokens[i + 1];
    // "a species", "a series": singular whatever the ending says.
    if (t.kind === 'noun' && prev && ['a', 'an', 'each', 'every', 'one'].includes(prev.word)) t.plural = false;
    if (t.kind === 'verb') {
      // "the records", "many tickets", "with name": after these, a word names a thing.
      if (prev && ['det', 'many', 'one', 'adj', 'num'].includes(prev.kind)) return asNoun(t);
      // After "to" a verb is an infinitive ("to borrow"), never an "-s" form ("to accounts").
      if (prev?.kind === 'prep' && (prev.word !== 'to' || isSForm(t)) && !t.participle) return asNoun(t);
      // "Customers: name, email": a list item, not a verb.
      if ((prev?.kind === 'colon' || prev?.kind === 'comma') && (!next || ['comma', 'conj'].includes(next.kind)))
        return asNoun(t);
      if (!isSForm(t)) return;
      // "Tasks have ...", "Shelters house pets": requirements do not open with "-s" verbs.
      if (!prev && next) return asNoun(t);
      // "users, posts and comments": a list of nouns goes on.
      if ((prev?.kind === 'comma' || prev?.kind === 'conj') && before?.kind === 'noun' && ends(next)) return asNoun(t);
      // "projects contain tasks.": the object of a verb.
      if (prev?.kind === 'verb' && (!next || ['comma', 'conj', 'prep'].includes(next.kind))) return asNoun(t);
    }
    // "shelters house pets": a noun in the base form after a plural subject, before its object.
    if (
      t.kind === 'noun' &&
      !t.plural &&
      prev?.kind === 'noun' &&
      prev.plural &&
      next &&
      ((next.kind === 'noun' && next.plural) ||
        (['det', 'many', 'one', 'num'].includes(next.kind) && isKnownVerb(t.word)))
    ) {
      t.kind = 'verb';
      return;
    }
    // "an order item refers to a product": a verb read as a plural noun after its subject.
    if (
      t.kind === 'noun' &&
      t.plural &&
      (prev?.kind === 'noun' || prev?.kind === 'adj') &&
      !prev.plural &&
      next &&
      (['det', 'many', 'one', 'adj'].includes(next.kind) || (next.kind === 'prep' && next.word === 'to'))
    ) {
      const inf = infinitiveOf(t.word);
      if (
        inf !== t.word &&
        (isKnownVerb(inf) || HAVE_VERBS.has(inf) || RECORD_VERBS.has(inf) || REFERENCE_VERBS.has(inf))
      ) {
        t.kind = 'verb';
        t.plural = false;
        prev.kind = 'noun';
      }
    }
  });
}
