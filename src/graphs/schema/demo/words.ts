/**
 * Closed word classes and naming for the demo engine. Open-class words (nouns, verbs) come from
 * compromise's tagger; the small, closed classes that decide sentence structure (determiners,
 * prepositions, auxiliaries) are listed here so that a tagging slip cannot change the structure.
 */
import nlp from 'compromise/two';

/** The slice of compromise's internals used for inflection (its types only say `object`). */
interface World {
  methods: {
    two: {
      transform: {
        noun: { toPlural(s: string, model: unknown): string; toSingular(s: string, model: unknown): string };
        verb: { toInfinitive(s: string, model: unknown, tense?: string): string };
      };
    };
  };
  model: { one: { lexicon: Record<string, string | string[]> } };
}
const world = nlp.world() as World;
const inflect = world.methods.two.transform;

const set = (words: string) => new Set(words.split(' '));

/** Words before a noun phrase that are not part of its name. */
export const DETERMINERS = set(
  'a an the each every this these those its their his her our your my any some all another',
);
/** Quantifiers meaning "more than one" (multi-word ones are folded into `many` beforehand). */
export const MANY = set('many multiple several various numerous more');
/** Quantifiers meaning "exactly one". */
export const ONE = set('one single');
/** Prepositions: they open groups of noun phrases ("with a title", "for rooms"). */
export const PREPOSITIONS = set(
  'with of for on in to by from at into about between under within per via through without inside across among after before during over onto',
);
/** Words that join list items. */
export const CONJUNCTIONS = set('and or plus nor &');
/** Words that open a relative clause ("members who borrow books"). */
export const RELATIVES = set('who which that where whose whom when');
/** Forms of "to be": with a participle they make a passive ("are placed by"). */
export const COPULAS = set('is are was were be been being am');
/** Modals and adverbs that may stand in a verb group without changing what it relates. */
export const AUXILIARIES = set(
  'can could may might must should will would shall do does did also always usually often typically then just still optionally normally generally sometimes only',
);
/** Words that negate a verb group, whose relation is then not taken. */
export const NEGATIONS = set('not never');
/** Pronouns: a subject pronoun stands for the previous clause's subjects. */
export const PRONOUNS = set(
  'it they them he she we you i us him someone somebody something everyone anyone there here',
);
/** Adjectives that say nothing about what a thing is, so they never become part of a name. */
export const EMPTY_ADJECTIVES = set(
  'other own new existing given specific certain individual related possible different same various separate additional extra optional required unique mandatory',
);
/** Nouns that name the system being built or the modelling itself, never a table. */
export const GENERIC_NOUNS = set(
  'app application system platform website site service database db software tool portal program backend schema solution api thing things stuff data information info detail details table tables entity entities relationship relationships relation relations field fields column columns attribute attributes way kind lot requirement requirements id ids',
);

/** Verbs whose object is something the subject has: a column, or a reference when it is a table. */
export const HAVE_VERBS = set('have contain include hold own feature comprise carry get show offer provide');
/**
 * Verbs whose singular object is another thing the subject points at ("each loan records the
 * book"), unless the object is a property word ("records the date").
 */
export const RECORD_VERBS = set('record track store keep list mention specify use need require log note');
/** Verbs saying that the subject points at the object. */
export const REFERENCE_VERBS = set(
  'belong refer reference point link relate concern target depend associate correspond attach map',
);

/** Plural of a noun (given as written, with whether it is already plural). */
export function pluralOf(word: string, isPlural: boolean): string {
  return isPlural ? word : inflect.noun.toPlural(word, world.model);
}

/** Singular of a noun; words ending like "status" or "analysis" are left alone when singular. */
export function singularOf(word: string, isPlural: boolean): string {
  if (!isPlural) return word;
  // compromise mangles these ("status" -> "statu"); they are singular when they end so.
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(people|children|men)$/.test(word))
    return word
      .replace(/people$/, 'person')
      .replace(/ren$/, '')
      .replace(/men$/, 'man');
  return inflect.noun.toSingular(word, world.model);
}

/** Whether compromise reads a lone word as a plural noun. */
export function looksPlural(word: string): boolean {
  // After an article a word is read as a noun ("reviews" alone reads as a verb).
  return nlp(`the ${word}`).has('#Plural');
}

/** The dictionary form of a verb ("belongs" -> "belong", "written" -> "write"). */
export function infinitiveOf(word: string): string {
  const lower = word.toLowerCase();
  if (lower === 'has' || lower === 'had') return 'have';
  return inflect.verb.toInfinitive(lower, world.model) || lower;
}

/** Whether compromise knows the word as a verb in its dictionary form. */
export function isKnownVerb(infinitive: string): boolean {
  const tag = world.model.one.lexicon[infinitive];
  return tag === 'Infinitive' || (Array.isArray(tag) && tag.includes('Infinitive'));
}

/** Longest identifier this engine makes for a table, leaving room for `_pkey` and the like. */
const TABLE_NAME_MAX = 48;

/**
 * A snake_case identifier from words: ASCII only (accents dropped), `[a-z0-9_]`, starting with
 * a letter, not in Postgres' `pg_` namespace, at most `max` characters. Empty when nothing is left.
 */
export function snake(words: string[], max = TABLE_NAME_MAX): string {
  let s = words
    .join('_')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  // Names starting "pg_" would be looked up in pg_catalog first (pg_class is a system table).
  s = s.replace(/^(pg_)+/, '');
  if (/^[0-9]/.test(s)) s = `n_${s}`;
  return s.slice(0, max).replace(/_+$/, '');
}

/** Whether a word can name something: has letters and a vowel ("zzz" and "qqq" cannot). */
export function isWordLike(word: string): boolean {
  return /[a-z]/.test(word) && /[aeiouy]/.test(word) && word.length >= 2;
}
