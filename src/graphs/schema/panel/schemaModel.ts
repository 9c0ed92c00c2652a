/**
 * Turns the schema agent's state values (untrusted plain data from the worker) into what the
 * schema view draws. Every field is checked, so a half-built or malformed schema renders as much
 * as it can instead of throwing inside a component.
 */

/** One column as the table view shows it. */
export interface ColumnView {
  name: string;
  type: string;
  nullable: boolean;
  default?: string;
  primaryKey: boolean;
  unique: boolean;
  /** `table.column` this column references, when it is part of a foreign key. */
  references?: string;
}

/** A foreign key, as an edge of the ER diagram. */
export interface ForeignKeyView {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete?: string;
}

export interface TableView {
  name: string;
  comment?: string;
  columns: ColumnView[];
  primaryKey: string[];
  uniques: string[][];
  checks: { name: string; expression: string }[];
  foreignKeys: ForeignKeyView[];
  indexes: { name: string; columns: string[]; unique: boolean }[];
}

export interface SchemaView {
  tables: TableView[];
  enums: { name: string; values: string[] }[];
  foreignKeys: ForeignKeyView[];
}

export interface ValidationView {
  ok: boolean;
  errors: { statement: string; message: string }[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Records keyed by name, or arrays of named objects: accept both. */
const entries = (v: unknown): [string, Rec][] => {
  if (Array.isArray(v)) return v.filter(isRec).map((x, i) => [str(x.name) ?? String(i), x]);
  if (isRec(v)) return Object.entries(v).filter((e): e is [string, Rec] => isRec(e[1]));
  return [];
};

/** Reads `values.schema`; null when there is no schema yet. */
export function toSchemaView(raw: unknown): SchemaView | null {
  if (!isRec(raw)) return null;
  const tables = entries(raw.tables).map(([name, t]) => toTable(str(t.name) ?? name, t));
  const enums = entries(raw.enums).map(([name, e]) => ({ name: str(e.name) ?? name, values: strList(e.values) }));
  return { tables, enums, foreignKeys: tables.flatMap((t) => t.foreignKeys) };
}

function toTable(name: string, t: Rec): TableView {
  const primaryKey: string[] = [];
  const uniques: string[][] = [];
  const checks: TableView['checks'] = [];
  const foreignKeys: ForeignKeyView[] = [];
  for (const [cname, c] of entries(t.constraints)) {
    const cols = strList(c.columns);
    switch (c.type) {
      case 'primary_key':
        primaryKey.push(...cols);
        break;
      case 'unique':
        uniques.push(cols);
        break;
      case 'check':
        checks.push({ name: cname, expression: str(c.expression) ?? '' });
        break;
      case 'foreign_key': {
        const ref = isRec(c.references) ? c.references : {};
        const refTable = str(ref.table);
        if (refTable)
          foreignKeys.push({
            name: cname,
            table: name,
            columns: cols,
            refTable,
            refColumns: strList(ref.columns),
            onDelete: str(c.onDelete),
          });
        break;
      }
    }
  }
  const refOf = new Map<string, string>();
  for (const fk of foreignKeys)
    fk.columns.forEach((col, i) => refOf.set(col, `${fk.refTable}.${fk.refColumns[i] ?? '?'}`));
  const columns = entries(t.columns).map(([cname, c]): ColumnView => {
    const colName = str(c.name) ?? cname;
    const view: ColumnView = {
      name: colName,
      type: str(c.type) ?? '?',
      nullable: c.nullable !== false,
      primaryKey: primaryKey.includes(colName),
      unique: uniques.some((u) => u.length === 1 && u[0] === colName),
    };
    if (typeof c.default === 'string' || typeof c.default === 'number') view.default = String(c.default);
    const ref = refOf.get(colName);
    if (ref) view.references = ref;
    // A primary key column is NOT NULL whatever the column says.
    if (view.primaryKey) view.nullable = false;
    return view;
  });
  const indexes = entries(t.indexes).map(([iname, ix]) => ({
    name: str(ix.name) ?? iname,
    columns: strList(ix.columns),
    unique: ix.unique === true,
  }));
  const view: TableView = { name, columns, primaryKey, uniques, checks, foreignKeys, indexes };
  const comment = str(t.comment);
  if (comment) view.comment = comment;
  return view;
}

/** Reads `values.validation`; null until the DDL has been validated. */
export function toValidationView(raw: unknown): ValidationView | null {
  if (!isRec(raw) || typeof raw.ok !== 'boolean') return null;
  const errors = Array.isArray(raw.errors)
    ? raw.errors
        .filter(isRec)
        .map((e) => ({ statement: str(e.statement) ?? '', message: str(e.message) ?? String(e.message ?? '') }))
    : [];
  return { ok: raw.ok, errors };
}

/** The agent's state fields the schema view reads, each checked. */
export function schemaValues(values: unknown): {
  schema: SchemaView | null;
  ddl: string | null;
  validation: ValidationView | null;
  summary: string | null;
} {
  const v = isRec(values) ? values : {};
  return {
    schema: toSchemaView(v.schema),
    ddl: ddlText(v.ddl),
    validation: toValidationView(v.validation),
    summary: typeof v.summary === 'string' && v.summary.trim() ? v.summary : null,
  };
}

/** The DDL as one script: the agent keeps a list of statements without semicolons; a string is taken as is. */
export function ddlText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.trim() ? raw : null;
  if (!Array.isArray(raw)) return null;
  const statements = raw.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  return statements.length ? statements.map((s) => `${s.trim().replace(/;$/, '')};`).join('\n\n') : null;
}
