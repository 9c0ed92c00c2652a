/**
 * A design as the design step's answer: JSON Patch operations over the schema model, with
 * constraint and index names that never clash (Postgres keeps them in one namespace with tables).
 */
import type { Design } from './design';

/** One operation of the answer (the shape `applyOperations` takes). */
export interface PatchOperation {
  op: 'add';
  path: string;
  value: unknown;
}

const MAX = 63;

/** Hands out names unique across tables, enums, keys and indexes, cut to Postgres' 63 characters. */
function namer(taken: Iterable<string>) {
  const used = new Set(taken);
  return (wanted: string) => {
    let name = wanted.slice(0, MAX).replace(/_+$/, '');
    for (let n = 2; used.has(name); n++) name = `${wanted.slice(0, MAX - String(n).length - 1)}_${n}`;
    used.add(name);
    return name;
  };
}

/** The operations that build `design` from an empty schema: enums, tables, then indexes. */
export function toOperations(design: Design): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const name = namer([...Object.keys(design.enums), ...design.tables.map((t) => t.name)]);
  for (const [enumName, values] of Object.entries(design.enums))
    ops.push({ op: 'add', path: `/enums/${enumName}`, value: { values } });
  const indexOps: PatchOperation[] = [];
  for (const t of design.tables) {
    const constraints: unknown[] = [{ name: name(`${t.name}_pkey`), type: 'primary_key', columns: ['id'] }];
    for (const u of t.uniques)
      constraints.push({ name: name(`uq_${t.name}_${u.join('_')}`), type: 'unique', columns: u });
    for (const k of t.foreignKeys) {
      constraints.push({
        name: name(`fk_${t.name}_${k.column}`),
        type: 'foreign_key',
        columns: [k.column],
        references: { table: k.table, columns: ['id'] },
        onDelete: k.onDelete,
      });
      // Postgres does not index referencing columns itself; joins and cascades need one. A
      // unique constraint leading with the column already has one.
      if (t.uniques.some((u) => u[0] === k.column)) continue;
      indexOps.push({
        op: 'add',
        path: `/tables/${t.name}/indexes/${name(`idx_${t.name}_${k.column}`)}`,
        value: { columns: [k.column] },
      });
    }
    const columns = t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      ...(c.default !== undefined ? { default: c.default } : {}),
      ...(c.check !== undefined ? { check: c.check } : {}),
    }));
    ops.push({ op: 'add', path: `/tables/${t.name}`, value: { columns, constraints, comment: t.comment } });
  }
  return [...ops, ...indexOps];
}
