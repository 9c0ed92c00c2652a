/**
 * A deliberately simple language check: the demo engine understands English only, and says so
 * rather than turning other languages into meaningless tables.
 */

/** Common English function words. */
const ENGLISH = new Set(
  'a an the and or of with for to in on by each every has have is are be can may must should who which that where their its many one per from at as'.split(
    ' ',
  ),
);
/** Common function words of other Latin-script languages (French, Spanish, Portuguese, Italian, German, Dutch). */
const OTHER = new Set(
  'le la les des du une un et avec pour dans sur est sont el los las con por para que una y del al o com os um uma e em não der die das und mit ein eine ist sind für von zu den dem het een en met voor van il di che per sono gli della'.split(
    ' ',
  ),
);

/** What the check found: English, or another language and why it thinks so. */
export type LanguageVerdict = { english: true } | { english: false; reason: 'script' | 'words' };

/**
 * Judges whether requirements are written in English. Text mostly in a non-Latin script, or with
 * more function words of other languages than of English, is not.
 */
export function detectLanguage(text: string): LanguageVerdict {
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /\p{Script=Latin}/u.test(c)).length;
  if (letters.length > 0 && latin / letters.length < 0.5) return { english: false, reason: 'script' };
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let english = 0;
  let other = 0;
  for (const w of words) {
    // Words such as "a", "in" or "per" are English and Romance alike: they count for English.
    if (ENGLISH.has(w)) english++;
    else if (OTHER.has(w)) other++;
  }
  return other > english ? { english: false, reason: 'words' } : { english: true };
}

/** The note shown when the requirements are not English. */
export function languageNote(verdict: LanguageVerdict): string {
  if (verdict.english) return '';
  const why = verdict.reason === 'script' ? 'is not written in the Latin alphabet' : 'does not look like English';
  return (
    `The demo engine only understands English requirements; this text ${why}, so it could not find ` +
    'entities or relationships in it. Write the requirements in English, or pick a model engine.'
  );
}
