/**
 * Just enough SQL lexing to cut a script into statements and to bring DDL into the form the
 * schema agent writes (keywords in capitals, names quoted), which is the form the shared DDL
 * validator accepts.
 */

/**
 * The statements of a script, split at semicolons outside strings, quoted names, dollar quotes
 * and comments. Comments are dropped (a statement must start with its keyword); empty
 * statements are left out.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  const n = script.length;
  while (i < n) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      while (i < n && script[i] !== '\n') i++;
      current += ' ';
    } else if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      current += ' ';
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      // A doubled quote inside is an escaped quote.
      while (j < n && (script[j] !== ch || script[j + 1] === ch)) j += script[j] === ch ? 2 : 1;
      current += script.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '$' && /^\$[A-Za-z_]*\$/.test(script.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))![0];
      const end = script.indexOf(tag, i + tag.length);
      const stop = end === -1 ? n : end + tag.length;
      current += script.slice(i, stop);
      i = stop;
    } else if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

const NAME = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const LEAD = new RegExp(
  String.raw`^(create\s+(?:unique\s+)?index|create\s+type|create\s+table|alter\s+table|comment\s+on\s+(?:table|column))` +
    String.raw`\s+(?:if\s+not\s+exists\s+|if\s+exists\s+)?(?:only\s+)?(on\s|${NAME}(?:\s*\.\s*${NAME})*)`,
  'i',
);

/** A name as Postgres reads it, quoted: unquoted names fold to lower case. */
function quote(part: string): string {
  return part.startsWith('"') ? part : `"${part.toLowerCase()}"`;
}

/**
 * The statement with its leading keywords in capitals and single-spaced and its first name
 * quoted (`create table users (` becomes `CREATE TABLE "users" (`); an index without a name
 * gets one. Other statements come back unchanged.
 */
export function normalizeDdl(statement: string, index = 0): string {
  const m = LEAD.exec(statement);
  if (!m) return statement;
  const keyword = m[1].toUpperCase().replace(/\s+/g, ' ');
  const rest = statement.slice(m[0].length);
  if (/^on\s$/i.test(m[2])) return `${keyword} "index_${index + 1}" ON ${rest}`;
  const name = m[2]
    .split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map(quote)
    .join('.');
  return `${keyword} ${name}${rest}`;
}

/** True when `sql` is one statement that only reads: SELECT, WITH, VALUES or TABLE. */
export function isReadOnlyQuery(sql: string): boolean {
  const statements = splitStatements(sql);
  return statements.length === 1 && /^(select|with|values|table)\b/i.test(statements[0]);
}
