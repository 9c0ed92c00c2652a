/**
 * Deterministic PostgreSQL DDL for a schema: enums, tables with their inline constraints,
 * then foreign keys (as ALTER TABLE, so table order and reference cycles never matter), indexes
 * and comments. Identifiers are always double-quoted; expressions are re-rendered by the safe
 * grammar rather than copied, so only schema statements can come out.
 */
import { parseSafeExpression } from './expr';
import { parseType, type Constraint, type Schema } from './model';

/** Quotes an identifier (the model only holds `[a-z0-9_]` names; doubling quotes is belt and braces). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal (standard_conforming_strings: only quotes need doubling). */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

const cols = (names: string[]) => names.map(quoteIdent).join(', ');

function renderType(type: string): string {
  const t = parseType(type);
  if (typeof t === 'string') throw new Error(t);
  return (t.kind === 'builtin' ? t.sql : quoteIdent(t.name)) + (t.array ? '[]' : '');
}

function renderConstraint(k: Constraint): string {
  const head = `CONSTRAINT ${quoteIdent(k.name)} `;
  switch (k.type) {
    case 'primary_key':
      return `${head}PRIMARY KEY (${cols(k.columns)})`;
    case 'unique':
      return `${head}UNIQUE (${cols(k.columns)})`;
    case 'check':
      return `${head}CHECK (${parseSafeExpression(k.expression, true).sql})`;
    case 'foreign_key': {
      let s = `${head}FOREIGN KEY (${cols(k.columns)}) REFERENCES ${quoteIdent(k.references.table)} (${cols(k.references.columns)})`;
      if (k.onDelete) s += ` ON DELETE ${k.onDelete.toUpperCase()}`;
      if (k.onUpdate) s += ` ON UPDATE ${k.onUpdate.toUpperCase()}`;
      return s;
    }
  }
}

/**
 * The DDL statements (without trailing semicolons) that create `schema` in an empty database.
 * Same schema in, same statements out.
 */
export function generateDdl(schema: Schema): string[] {
  const out: string[] = [];
  for (const e of Object.values(schema.enums))
    out.push(`CREATE TYPE ${quoteIdent(e.name)} AS ENUM (${e.values.map(quoteLiteral).join(', ')})`);
  const tables = Object.values(schema.tables);
  for (const t of tables) {
    const lines = Object.values(t.columns).map((c) => {
      let s = `  ${quoteIdent(c.name)} ${renderType(c.type)}`;
      if (!c.nullable) s += ' NOT NULL';
      if (c.default !== undefined) s += ` DEFAULT ${parseSafeExpression(c.default, false).sql}`;
      if (c.check !== undefined) s += ` CHECK (${parseSafeExpression(c.check, true).sql})`;
      return s;
    });
    for (const k of Object.values(t.constraints)) if (k.type !== 'foreign_key') lines.push(`  ${renderConstraint(k)}`);
    out.push(`CREATE TABLE ${quoteIdent(t.name)} (\n${lines.join(',\n')}\n)`);
  }
  for (const t of tables)
    for (const k of Object.values(t.constraints))
      if (k.type === 'foreign_key') out.push(`ALTER TABLE ${quoteIdent(t.name)} ADD ${renderConstraint(k)}`);
  for (const t of tables)
    for (const i of Object.values(t.indexes))
      out.push(
        `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${quoteIdent(t.name)} USING ${i.method ?? 'btree'} (${cols(i.columns)})`,
      );
  for (const t of tables) {
    if (t.comment !== undefined) out.push(`COMMENT ON TABLE ${quoteIdent(t.name)} IS ${quoteLiteral(t.comment)}`);
    for (const c of Object.values(t.columns))
      if (c.comment !== undefined)
        out.push(`COMMENT ON COLUMN ${quoteIdent(t.name)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}`);
  }
  return out;
}

/** The statements as one script, for display and download. */
export function ddlToScript(statements: string[]): string {
  return statements.map((s) => `${s};`).join('\n\n') + (statements.length ? '\n' : '');
}
