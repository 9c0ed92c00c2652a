import { assignLayers, edgeKey } from '../../../ui/common/layers';
import type { SchemaView } from './schemaModel';

/** A table box of the ER diagram; `rows` are the lines drawn under the header. */
export interface ErBox {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  rows: { text: string; key: 'pk' | 'fk' | '' }[];
}

/** A foreign key drawn from the referencing table to the referenced one. */
export interface ErEdge {
  from: string;
  to: string;
  label: string;
  path: string;
}

export interface ErLayout {
  boxes: ErBox[];
  edges: ErEdge[];
  width: number;
  height: number;
  /** The SVG viewBox: it starts left of 0 when a sideways key needs room there. */
  viewBox: string;
}

/** Fixed metrics of the diagram (SVG user units). */
export const ER = { header: 26, row: 18, pad: 8, charWidth: 7.2, gapX: 32, gapY: 48, margin: 12 } as const;

/**
 * Places tables in layers so that referenced tables sit above the tables that point at them
 * (users above posts above comments), which keeps most foreign-key lines short and downward.
 */
export function layoutEr(schema: SchemaView): ErLayout {
  const names = schema.tables.map((t) => t.name);
  // Edge direction parent -> child puts parents in earlier (higher) layers.
  const layerEdges = schema.foreignKeys.map((fk) => ({ source: fk.refTable, target: fk.table }));
  const { layers, layerOf } = assignLayers(names, layerEdges);
  const byName = new Map(schema.tables.map((t) => [t.name, t]));

  const sized = layers.map((layer) =>
    layer.map((name) => {
      const t = byName.get(name)!;
      const rows = t.columns.map((c) => ({
        text: `${c.name}: ${c.type}${c.nullable ? '' : ' !'}`,
        key: c.primaryKey ? ('pk' as const) : c.references ? ('fk' as const) : ('' as const),
      }));
      const longest = Math.max(name.length + 2, ...rows.map((r) => r.text.length + 4));
      return {
        name,
        rows,
        w: Math.ceil(longest * ER.charWidth) + 2 * ER.pad,
        h: ER.header + rows.length * ER.row + ER.pad,
      };
    }),
  );
  const rowWidth = (row: { w: number }[]) => row.reduce((a, b) => a + b.w, 0) + ER.gapX * Math.max(0, row.length - 1);
  const inner = Math.max(0, ...sized.map(rowWidth));
  const selfLoops = schema.foreignKeys.some((fk) => fk.table === fk.refTable);

  const boxes: ErBox[] = [];
  let y = ER.margin;
  for (const row of sized) {
    let x = ER.margin + (inner - rowWidth(row)) / 2;
    for (const b of row) {
      boxes.push({ name: b.name, rows: b.rows, x, y, w: b.w, h: b.h });
      x += b.w + ER.gapX;
    }
    y += Math.max(0, ...row.map((b) => b.h)) + ER.gapY;
  }
  const height = boxes.length ? y - ER.gapY + ER.margin : 0;
  const width = inner + 2 * ER.margin + (selfLoops ? 24 : 0);

  let left = 0;
  const at = new Map(boxes.map((b) => [b.name, b]));
  const edges: ErEdge[] = [];
  const seen = new Set<string>();
  for (const fk of schema.foreignKeys) {
    const child = at.get(fk.table);
    const parent = at.get(fk.refTable);
    if (!child || !parent) continue;
    const label = `${fk.table}.${fk.columns.join(',')} → ${fk.refTable}.${fk.refColumns.join(',')}`;
    let path: string;
    if (child === parent) {
      const x = child.x + child.w;
      path = `M${x},${child.y + 8} h16 v${ER.header} h-16`;
    } else if (parent.y < child.y && layerOf.get(fk.table)! - layerOf.get(fk.refTable)! > 1) {
      // A key that skips a layer would cross the boxes between: go around on the left instead.
      const x1 = child.x;
      const x2 = parent.x;
      const y1 = child.y + ER.header / 2;
      const y2 = parent.y + ER.header / 2;
      const out = Math.min(x1, x2) - 36;
      path = `M${x1},${y1} C${out},${y1} ${out},${y2} ${x2},${y2}`;
      left = Math.min(left, out - ER.margin);
    } else if (parent.y < child.y) {
      // Fan out a little when one child has several keys to the same parent.
      const k = edgeKey({ source: fk.table, target: fk.refTable });
      const shift = seen.has(k) ? 12 : 0;
      seen.add(k);
      const x1 = child.x + child.w / 2 + shift;
      const x2 = parent.x + parent.w / 2 + shift;
      const y1 = child.y;
      const y2 = parent.y + parent.h;
      const my = (y1 + y2) / 2;
      path = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`;
    } else {
      // A key that points down or sideways (a cycle between tables): route along the sides.
      const x1 = child.x;
      const x2 = parent.x;
      const y1 = child.y + ER.header / 2;
      const y2 = parent.y + ER.header / 2;
      path = `M${x1},${y1} C${x1 - 30},${y1} ${x2 - 30},${y2} ${x2},${y2}`;
      left = Math.min(left, Math.min(x1, x2) - 30 - ER.margin);
    }
    edges.push({ from: fk.table, to: fk.refTable, label, path });
  }
  return { boxes, edges, width: width - left, height, viewBox: `${left} 0 ${width - left} ${height}` };
}
