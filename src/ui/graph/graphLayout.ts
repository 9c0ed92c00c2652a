import type { GraphEdgeInfo, GraphNodeInfo } from '../../protocol';
import { assignLayers, edgeKey } from '../common/layers';

/** A placed node: its box's top-left corner and size, in SVG user units. */
export interface PlacedNode {
  id: string;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  layer: number;
  subgraph: boolean;
  /** LangGraph's `__start__` / `__end__` pseudo-nodes. */
  terminal: boolean;
}

/** A routed edge as an SVG path. */
export interface PlacedEdge {
  source: string;
  target: string;
  conditional: boolean;
  back: boolean;
  path: string;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  nodeHeight: number;
  layerGap: number;
  nodeGap: number;
  /** Average glyph width used to size boxes (no DOM to measure text with). */
  charWidth: number;
  padding: number;
}

const DEFAULTS: LayoutOptions = { nodeHeight: 36, layerGap: 40, nodeGap: 24, charWidth: 8, padding: 16 };

/** How a node is labelled: the pseudo-nodes get plain words. */
export function nodeLabel(id: string): string {
  if (id === '__start__') return 'start';
  if (id === '__end__') return 'end';
  return id;
}

/**
 * Lays a graph out top to bottom in topological layers, each layer centred.
 * Forward edges run from the bottom of one box to the top of the next; back edges (loops such
 * as "retry on validation failure") leave and enter on the right side so they do not cross boxes.
 */
export function layoutGraph(
  nodes: readonly GraphNodeInfo[],
  edges: readonly GraphEdgeInfo[],
  options: Partial<LayoutOptions> = {},
): GraphLayout {
  const o = { ...DEFAULTS, ...options };
  const ids = nodes.map((n) => n.id);
  const { layers, backEdges } = assignLayers(ids, edges, ['__start__']);
  const info = new Map(nodes.map((n) => [n.id, n]));

  const sized = layers.map((layer) =>
    layer.map((id) => {
      const label = nodeLabel(id);
      const terminal = id === '__start__' || id === '__end__';
      return { id, label, terminal, w: Math.max(terminal ? 64 : 88, Math.ceil(label.length * o.charWidth) + 28) };
    }),
  );
  const rowWidth = (row: { w: number }[]) => row.reduce((a, n) => a + n.w, 0) + o.nodeGap * (row.length - 1);
  const inner = Math.max(0, ...sized.map(rowWidth));
  // Room on the right for back edges.
  const loopRoom = backEdges.size ? 24 + 10 * backEdges.size : 0;
  const width = inner + 2 * o.padding + loopRoom;

  const placed: PlacedNode[] = [];
  sized.forEach((row, layer) => {
    let x = o.padding + (inner - rowWidth(row)) / 2;
    const y = o.padding + layer * (o.nodeHeight + o.layerGap);
    for (const n of row) {
      placed.push({ ...n, x, y, h: o.nodeHeight, layer, subgraph: Boolean(info.get(n.id)?.subgraph) });
      x += n.w + o.nodeGap;
    }
  });
  const height = layers.length ? o.padding * 2 + layers.length * o.nodeHeight + (layers.length - 1) * o.layerGap : 0;

  const at = new Map(placed.map((p) => [p.id, p]));
  let loopIndex = 0;
  const routed: PlacedEdge[] = [];
  for (const e of edges) {
    const a = at.get(e.source);
    const b = at.get(e.target);
    if (!a || !b) continue;
    const back = backEdges.has(edgeKey(e));
    let path: string;
    if (back) {
      const lane = o.padding + inner + 16 + 10 * loopIndex++;
      const y1 = a.y + a.h / 2;
      const y2 = b.y + b.h / 2;
      path = `M${r(a.x + a.w)},${r(y1)} H${r(lane)} V${r(y2)} H${r(b.x + b.w)}`;
    } else {
      const x1 = a.x + a.w / 2;
      const y1 = a.y + a.h;
      const x2 = b.x + b.w / 2;
      const y2 = b.y;
      const my = (y1 + y2) / 2;
      path = `M${r(x1)},${r(y1)} C${r(x1)},${r(my)} ${r(x2)},${r(my)} ${r(x2)},${r(y2)}`;
    }
    routed.push({ source: e.source, target: e.target, conditional: e.conditional, back, path });
  }
  return { nodes: placed, edges: routed, width, height };
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}
