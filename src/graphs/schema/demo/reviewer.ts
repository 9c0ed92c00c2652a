/**
 * A reviewer's reason for rejecting a design, read as edits: "add a phone column to customers",
 * "drop the tags table", "remove the bio column", "rename posts to articles",
 * "customers should have a birthday". What it cannot read it leaves alone.
 */
import { isColumnWord } from './columns';
import type { Design, DesignTable } from './design';
import { addColumns, addTable, dropColumn, dropTable, renameColumn, renameTable } from './edits';
import { looksPlural, pluralOf, singularOf, snake } from './words';

const ARTICLE = /^(?:the|a|an|each|every|all|some)\s+/;
const strip = (s: string) =>
  s
    .trim()
    .replace(ARTICLE, '')
    .replace(/\s+(?:table|tables)$/, '')
    .trim();

/** The table a phrase names: exactly, or by its plural or singular, or as the end of a longer name. */
function findTable(design: Design, phrase: string): DesignTable | undefined {
  const words = strip(phrase).split(/\s+/);
  const last = words.at(-1) ?? '';
  const plural = looksPlural(last);
  const forms = [
    snake(words),
    snake([...words.slice(0, -1), pluralOf(last, plural)]),
    snake([...words.slice(0, -1), singularOf(last, plural)]),
  ];
  for (const f of forms) {
    const hit = design.tables.find((t) => t.name === f);
    if (hit) return hit;
  }
  const tails = design.tables.filter((t) => forms.some((f) => f && t.name.endsWith(`_${f}`)));
  return tails.length === 1 ? tails[0] : undefined;
}

/** Column names from "a phone and an email", "phone, email". */
const columnNames = (phrase: string) =>
  strip(phrase)
    .replace(/\s+(?:columns?|fields?|attributes?)$/, '')
    .split(/\s*,\s*|\s+and\s+/)
    .map((p) => snake(strip(p).split(/\s+/), 60))
    .filter(Boolean);

/** One instruction. Returns what it changed, empty when it could not be read. */
function instruction(design: Design, text: string): string[] {
  let m: RegExpExecArray | null;
  if ((m = /^rename (?:the )?(?:table |column )?([\w ]+?)(?: table| column)? (?:to|as|into) ([\w ]+)$/.exec(text))) {
    const to = snake(strip(m[2]).split(/\s+/));
    const t = findTable(design, m[1]);
    if (t && to && !findTable(design, to)) {
      const from = t.name;
      renameTable(design, from, to);
      return [`renamed table ${from} to ${to}`];
    }
    const col = snake(strip(m[1]).split(/\s+/), 60);
    const owners = design.tables.filter((x) => x.columns.some((c) => c.name === col));
    for (const o of owners) renameColumn(o, col, to);
    return owners.map((o) => `renamed column ${o.name}.${col} to ${to}`);
  }
  if ((m = /^(?:drop|remove|delete|get rid of|lose|no need for|(?:we )?(?:do not|don't) need) (.+)$/.exec(text))) {
    const target = m[1];
    const from = /^(.+?)\s+(?:from|of|in|on)\s+(.+)$/.exec(target);
    if (from) {
      const t = findTable(design, from[2]);
      if (t) return columnNames(from[1]).flatMap((c) => dropColumn(t, c));
    }
    if (!/\bcolumns?\b|\bfields?\b/.test(target)) {
      const t = findTable(design, target);
      if (t) return dropTable(design, t);
    }
    return columnNames(target).flatMap((c) => design.tables.flatMap((t) => dropColumn(t, c)));
  }
  if ((m = /^(?:add|create|include|introduce) (?:an? |the |new )*(.+?) tables?$/.exec(text)))
    return addTable(design, strip(m[1]).split(/\s+/));
  if ((m = /^(?:add|include|store|record|track|give) (.+?) (?:to|on|in|for|into) (.+)$/.exec(text))) {
    const t = findTable(design, m[2]);
    if (t) return addColumns(t, columnNames(m[1]));
  }
  if (
    (m =
      /^(.+?) (?:should|must|needs? to|ought to|has to|have to) (?:have|has|store|include|record|keep|get) (.+)$/.exec(
        text,
      )) ||
    (m = /^(.+?) (?:needs?|lacks?|is missing|are missing|requires?) (.+)$/.exec(text))
  ) {
    const t = findTable(design, m[1]);
    if (t) return addColumns(t, columnNames(m[2]));
  }
  if ((m = /^(?:add|include|store|track|record) (.+)$/.exec(text))) {
    const names = columnNames(m[1]);
    // "add reviews": a thing, so a table; "add created_at", "add a phone column": a column everywhere.
    if (
      names.length === 1 &&
      !/\bcolumns?\b|\bfields?\b/.test(m[1]) &&
      !isColumnWord(names[0]) &&
      looksPlural(strip(m[1]).split(/\s+/).at(-1) ?? '')
    )
      return addTable(design, strip(m[1]).split(/\s+/));
    const changes = design.tables.filter((t) => !t.joins).flatMap((t) => addColumns(t, names));
    const added = changes.filter((c) => !c.endsWith('already there'));
    return added.length || !changes.length ? added : [`every table already has ${names.join(', ')}`];
  }
  return [];
}

/** Applies the reviewer's reason to `design`; returns the changes made (empty if none). */
export function reviewerChanges(design: Design, reason: string): string[] {
  return reason
    .toLowerCase()
    .replace(/[.!?]+$/, '')
    .split(/\s*(?:;|\.\s|\n|,?\s+and then\s+|,?\s+also\s+|,\s+(?=(?:add|drop|remove|delete|rename)\b))\s*/)
    .map((s) =>
      s
        .trim()
        .replace(/^(?:please|and|also|then)\s+/, '')
        .replace(/\s+please$/, ''),
    )
    .filter(Boolean)
    .flatMap((s) => instruction(design, s));
}
