/**
 * What a retry changes. The design step feeds back why the previous answer failed: a reviewer's
 * rejection, refused operations, an unreadable answer, or PostgreSQL's error. Each is read for
 * what can be acted on, the design adjusted, and the change put into words for the rationale.
 */
import type { Design } from './design';
import { renameColumn, renameTable } from './edits';
import { reviewerChanges } from './reviewer';

/** The adjusted design, what was done about the error, and whether to answer compactly. */
export interface RetryOutcome {
  design: Design;
  said: string;
  compact: boolean;
}

const quoted = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => m.slice(1).find(Boolean)!);

const tableNamed = (d: Design, n: string) => d.tables.find((t) => t.name === n);
const withColumn = (d: Design, n: string) => d.tables.filter((t) => t.columns.some((c) => c.name === n));

/** Acts on PostgreSQL's and the operation checker's complaints, by the names they quote. */
function schemaFixes(design: Design, error: string): string[] {
  const said: string[] = [];
  for (const type of quoted(
    /type "([^"]+)" does not exist|unknown type "([^"]+)"|type "([^"]+)" is not an allowed/g,
    error,
  )) {
    const users = design.tables.flatMap((t) => t.columns.filter((c) => c.type === type));
    for (const c of users) c.type = 'text';
    said.push(
      users.length
        ? `columns of type "${type}" are now text`
        : design.enums[type]
          ? `enum "${type}" is created before any column uses it`
          : `no column uses type "${type}"`,
    );
  }
  for (const name of quoted(/(?:relation|table|type|enum) "([^"]+)" already exists|"([^"]+)" clashes with/g, error)) {
    if (tableNamed(design, name)) {
      renameTable(design, name, `${name}_records`.slice(0, 48));
      said.push(`table "${name}" is now "${name}_records"`);
    } else if (design.enums[name]) {
      design.enums[`${name}_type`] = design.enums[name];
      delete design.enums[name];
      for (const t of design.tables) for (const c of t.columns) if (c.type === name) c.type = `${name}_type`;
      said.push(`enum "${name}" is now "${name}_type"`);
    } else said.push(`"${name}" is created only once`);
  }
  for (const word of quoted(/syntax error at or near "([^"]+)"/g, error)) {
    const w = word.toLowerCase();
    if (tableNamed(design, w)) {
      renameTable(design, w, `${w}_records`);
      said.push(`table "${w}" is now "${w}_records"`);
    }
    for (const t of withColumn(design, w)) {
      renameColumn(t, w, `${w}_value`);
      said.push(`column "${t.name}.${w}" is now "${w}_value"`);
    }
    if (!said.length) said.push(`no identifier here is "${word}", and every identifier is quoted`);
  }
  for (const name of quoted(/(?:relation|table) "([^"]+)" does not exist|references unknown table "([^"]+)"/g, error)) {
    const dangling = design.tables.flatMap((t) =>
      t.foreignKeys.filter((k) => k.table === name).map((k) => [t, k] as const),
    );
    if (tableNamed(design, name)) said.push(`table "${name}" is created in this answer before anything uses it`);
    else {
      for (const [t, k] of dangling) t.foreignKeys = t.foreignKeys.filter((x) => x !== k);
      said.push(`nothing here creates, alters or references table "${name}"`);
    }
  }
  for (const col of quoted(/column "([^"]+)"[^;]*? does not exist|unknown column "([^"]+)"/g, error))
    said.push(
      `every key, index and check here names a column of its own table ("${col}" is not used where it is missing)`,
    );
  if (/cannot be implemented|incompatible types|must reference a primary key/.test(error))
    said.push('every foreign key is a uuid column referencing the uuid primary key "id" of its table');
  if (/primary key/.test(error) && !/must reference/.test(error))
    said.push('every table has exactly one primary key, "id"');
  return said;
}

/**
 * Adjusts `design` for the error of the previous attempt (the text after the retry marker).
 * Never throws: an error it cannot act on is named in the rationale instead.
 */
export function applyRetry(design: Design, error: string): RetryOutcome {
  const short = error.length > 300 ? `${error.slice(0, 300)}...` : error;
  const reviewer = /^Rejected by the reviewer:\s*([\s\S]*)$/.exec(error);
  if (reviewer) {
    const reason = reviewer[1].trim();
    const changes = reviewerChanges(design, reason);
    const said = changes.length
      ? `Acted on the reviewer's reason ("${reason.slice(0, 200)}"): ${changes.join('; ')}.`
      : `The reviewer rejected the design ("${reason.slice(0, 200)}"), but the demo engine could not turn that into a change; the design is unchanged.`;
    return { design, said, compact: false };
  }
  if (/^Malformed answer:/.test(error))
    return {
      design,
      said: `Corrected after the error (${short}): this is the complete design again, as compact JSON.`,
      compact: true,
    };
  const fixes = schemaFixes(design, error);
  const said = fixes.length
    ? `Corrected after the error (${short}): ${fixes.join('; ')}.`
    : `Corrected after the error (${short}): rebuilt the whole design from the requirements, starting from an empty schema.`;
  return { design, said, compact: false };
}
