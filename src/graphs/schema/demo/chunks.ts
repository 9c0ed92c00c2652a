/**
 * Groups tagged tokens into phrases: noun phrases (what may become tables or columns), verb
 * groups (what may become references), and the small words between them.
 */
import type { Token } from './tokens';
import { EMPTY_ADJECTIVES, infinitiveOf } from './words';

/** A noun phrase: "each order item", "a due date", "many courses". */
export interface NounPhrase {
  /** Modifiers then head, lower-case, as written (the head keeps its number). */
  words: string[];
  head: string;
  plural: boolean;
  /** Quantified as more than one ("many", "several", "3"). */
  many: boolean;
  /** "each" or "every". */
  each: boolean;
  /** "unique", "optional" or "required" was said of it. */
  flags: string[];
  /** Where it starts in the text (clause number * 1000 + token), for first-mention order. */
  at: number;
}

/** A phrase of a clause; `and` stands for commas and conjunctions alike. */
export type Chunk =
  | { t: 'np'; np: NounPhrase }
  | { t: 'vg'; lemma: string; word: string; passive: boolean; negated: boolean }
  | { t: 'prep'; word: string }
  | { t: 'and' }
  | { t: 'colon' }
  | { t: 'rel'; word: string }
  | { t: 'adjp'; words: string[] }
  | { t: 'other' };

const FLAGS = new Set(['unique', 'optional', 'required', 'mandatory']);
const MODIFIER_KINDS = new Set(['noun', 'adj', 'num', 'adv', 'verb']);

/** Reads a noun phrase at `i`; returns it and the index after it, or null if none starts there. */
function nounPhrase(tokens: Token[], i: number, at: number): [NounPhrase, number] | null {
  let j = i;
  let many = false;
  let each = false;
  while (j < tokens.length && ['det', 'many', 'one', 'num'].includes(tokens[j].kind)) {
    const w = tokens[j].word;
    if (tokens[j].kind === 'many' || (tokens[j].kind === 'num' && w !== '1' && w !== 'one')) many = true;
    if (w === 'each' || w === 'every') each = true;
    j++;
  }
  const start = j;
  let head = -1;
  for (let k = j; k < tokens.length && MODIFIER_KINDS.has(tokens[k].kind); k++) {
    const t = tokens[k];
    // A verb or adverb is only a modifier opening a phrase before a noun ("the away team",
    // "shipping address"); elsewhere it ends the phrase ("customers place orders").
    if (t.kind === 'verb' || t.kind === 'adv') {
      const opens = k === start && (start > i || t.word.endsWith('ing'));
      if (!opens || tokens[k + 1]?.kind !== 'noun') break;
    }
    if (t.kind === 'noun') head = k;
  }
  if (head < 0) return null;
  const span = tokens.slice(start, head + 1);
  const flags = span.filter((t) => FLAGS.has(t.word)).map((t) => t.word);
  const words = span
    .filter((t, k) => k === span.length - 1 || !(t.kind === 'adj' && EMPTY_ADJECTIVES.has(t.word)))
    .map((t) => t.word);
  const last = tokens[head];
  return [{ words, head: last.word, plural: last.plural, many, each, flags, at: at + i }, head + 1];
}

/** Splits a clause's tokens into chunks. `at` is the clause's first-mention base. */
export function chunk(tokens: Token[], at: number): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind === 'comma' || t.kind === 'conj') {
      out.push({ t: 'and' });
      i++;
      continue;
    }
    if (t.kind === 'colon') {
      out.push({ t: 'colon' });
      i++;
      continue;
    }
    if (t.kind === 'prep') {
      out.push({ t: 'prep', word: t.word });
      i++;
      continue;
    }
    if (t.kind === 'rel') {
      out.push({ t: 'rel', word: t.word });
      i++;
      continue;
    }
    if (['aux', 'be', 'neg', 'verb'].includes(t.kind)) {
      let j = i;
      let be = false;
      let negated = false;
      let verb: Token | null = null;
      while (j < tokens.length && ['aux', 'be', 'neg', 'verb', 'adv'].includes(tokens[j].kind)) {
        const k = tokens[j];
        if (k.kind === 'be') be = true;
        if (k.kind === 'neg') negated = true;
        if (k.kind === 'verb') {
          verb = k;
          j++;
          break;
        }
        j++;
      }
      if (verb)
        out.push({ t: 'vg', lemma: infinitiveOf(verb.word), word: verb.word, passive: be && verb.participle, negated });
      else if (be) {
        out.push({ t: 'vg', lemma: 'be', word: 'be', passive: false, negated });
        // "is active", "are available or sold": a yes/no property, unless a noun follows.
        let k = j;
        while (k < tokens.length && ['adj', 'adv', 'conj'].includes(tokens[k].kind)) k++;
        const adjectives = tokens.slice(j, k).filter((x) => x.kind === 'adj');
        if (adjectives.length && tokens[k]?.kind !== 'noun') {
          out.push({ t: 'adjp', words: adjectives.map((x) => x.word) });
          j = k;
        }
      } else out.push({ t: 'other' });
      i = Math.max(j, i + 1);
      continue;
    }
    const np = nounPhrase(tokens, i, at);
    if (np) {
      out.push({ t: 'np', np: np[0] });
      i = np[1];
      continue;
    }
    out.push({ t: 'other' });
    i++;
  }
  return out;
}
