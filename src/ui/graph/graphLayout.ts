import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { GraphEdgeInfo, GraphInfo, GraphNodeInfo } from '../../protocol';

/*
 * The graph picture's layout, by dagre (@dagrejs/dagre). The picture imports this module
 * dynamically, so it and dagre (~17 kB gzip together) stay out of the start bundle.
 */

/** A placed node: its box's top-left corner and size, in SVG user units. */
export interface PlacedNode {
  id: string;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** A node that holds a compiled graph LangGraph did not draw inside (no xray for it). */
  subgraph: boolean;
  /** LangGraph's `__start__` / `__end__` pseudo-nodes. */
  terminal: boolean;
}

/** A box around a subgraph's nodes (ids `<cluster>:<node>`), labelled with the subgraph's name. */
export interface PlacedCluster {
  /** The id prefix it groups: `validate`, or `outer:inner` for a nested subgraph. */
  id: string;
  label: string;
  depth: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A routed edge: an SVG path, and the position of its label when it has one. */
export interface PlacedEdge {
  source: string;
  target: string;
  conditional: boolean;
  path: string;
  label?: { text: string; x: number; y: number };
}

export interface GraphLayout {
  nodes: PlacedNode[];
  clusters: PlacedCluster[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

/** An edge as LangGraph may describe it: `label` is the branch's name, when it has one. */
export type LayoutEdge = GraphEdgeInfo & { label?: string };

export interface LayoutOptions {
  nodeHeight: number;
  rankGap: number;
  nodeGap: number;
  /** Average glyph width used to size boxes (no DOM to measure text with). */
  charWidth: number;
  padding: number;
}

const DEFAULTS: LayoutOptions = { nodeHeight: 34, rankGap: 38, nodeGap: 26, charWidth: 7.6, padding: 12 };
/** Room above a cluster's first row for its label. */
const CLUSTER_LABEL = 16;
/** How far a self-loop reaches out of its node's right side. */
const LOOP = 24;

/** How a node is labelled: the pseudo-nodes get plain words, a subgraph's node its own name. */
export function nodeLabel(id: string): string {
  if (id === '__start__') return 'start';
  if (id === '__end__') return 'end';
  return id.slice(id.lastIndexOf(':') + 1);
}

/** The clusters a node id lies in, outermost first: `a:b:c` lies in `a` and `a:b`. */
export function clustersOf(id: string): string[] {
  const parts = id.split(':');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join(':'));
}

/** A string that changes exactly when the drawing would: the layout cache's key. */
export function structureKey(nodes: readonly GraphNodeInfo[], edges: readonly LayoutEdge[]): string {
  return JSON.stringify([
    nodes.map((n) => [n.id, n.subgraph ? 1 : 0]),
    edges.map((e) => [e.source, e.target, e.conditional ? 1 : 0, e.label ?? '']),
  ]);
}

const CLUSTER = '\u0000cluster:';

/**
 * Lays a graph out top to bottom with dagre: cycles broken, ranks by network simplex, crossings
 * reduced, a subgraph's nodes kept together inside a labelled box, edges routed around boxes.
 * Edges to unknown nodes are dropped rather than invented.
 */
export function layoutGraph(
  nodes: readonly GraphNodeInfo[],
  edges: readonly LayoutEdge[],
  options: Partial<LayoutOptions> = {},
): GraphLayout {
  const o = { ...DEFAULTS, ...options };
  if (nodes.length === 0) return { nodes: [], clusters: [], edges: [], width: 0, height: 0 };
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: o.nodeGap, ranksep: o.rankGap, edgesep: 12, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));

  const ids = new Set(nodes.map((n) => n.id));
  const known = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  // dagre's own self-loop routing is erratic; loops are drawn here, on the right of their node,
  // and the node is laid out wider on both sides so that its neighbours leave room for the loop.
  const loops = known.filter((e) => e.source === e.target);
  const kept = known.filter((e) => e.source !== e.target);
  const looped = new Set(loops.map((e) => e.source));
  const widths = new Map<string, number>();
  const clusterIds = new Set<string>();
  for (const n of nodes) {
    const label = nodeLabel(n.id);
    const terminal = n.id === '__start__' || n.id === '__end__';
    const width = Math.max(terminal ? 64 : 80, Math.ceil((label.length + 2) * o.charWidth) + 24);
    widths.set(n.id, width);
    g.setNode(n.id, { width: width + (looped.has(n.id) ? 2 * LOOP : 0), height: o.nodeHeight });
    let parent: string | null = null;
    for (const c of clustersOf(n.id)) {
      if (!clusterIds.has(c)) {
        clusterIds.add(c);
        g.setNode(CLUSTER + c, { width: 0, height: 0 });
        if (parent) g.setParent(CLUSTER + c, CLUSTER + parent);
      }
      parent = c;
    }
    if (parent) g.setParent(n.id, CLUSTER + parent);
  }

  kept.forEach((e, i) => {
    const label = e.label ? { width: e.label.length * 6.6 + 8, height: 16, labelpos: 'c' as const } : {};
    g.setEdge(e.source, e.target, { ...label }, `e${i}`);
  });

  dagre.layout(g);

  // dagre centres boxes on (x, y); the picture wants top-left corners. Clusters get room for
  // their label above their first row; then everything moves so the picture starts at the padding.
  const box = (id: string, top = 0, width = g.node(id).width) => {
    const b = g.node(id);
    return { x: b.x! - width / 2, y: b.y! - b.height / 2 - top, w: width, h: b.height + top };
  };
  const rawClusters = [...clusterIds].map((id) => ({ id, ...box(CLUSTER + id, CLUSTER_LABEL) }));
  const rawNodes = nodes.map((n) => ({ n, ...box(n.id, 0, widths.get(n.id)) }));
  const rawEdges = kept.map((e, i) => ({ e, label: g.edge({ v: e.source, w: e.target, name: `e${i}` }) }));
  const bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const grow = (x: number, y: number) => {
    bounds.minX = Math.min(bounds.minX, x);
    bounds.maxX = Math.max(bounds.maxX, x);
    bounds.minY = Math.min(bounds.minY, y);
    bounds.maxY = Math.max(bounds.maxY, y);
  };
  for (const b of [...rawClusters, ...rawNodes]) {
    grow(b.x, b.y);
    grow(b.x + b.w, b.y + b.h);
  }
  for (const { label } of rawEdges) for (const p of label.points ?? []) grow(p.x, p.y);
  for (const b of rawNodes) if (looped.has(b.n.id)) grow(b.x + b.w + LOOP, b.y);
  const { minX, minY } = bounds;
  const at = (x: number, y: number) => ({ x: r(x - minX + o.padding), y: r(y - minY + o.padding) });

  return {
    nodes: rawNodes.map(({ n, x, y, w, h }) => ({
      id: n.id,
      label: nodeLabel(n.id),
      ...at(x, y),
      w: r(w),
      h: r(h),
      subgraph: Boolean(n.subgraph),
      terminal: n.id === '__start__' || n.id === '__end__',
    })),
    clusters: rawClusters.map(({ id, x, y, w, h }) => ({
      id,
      label: id.slice(id.lastIndexOf(':') + 1),
      depth: clustersOf(id).length,
      ...at(x, y),
      w: r(w),
      h: r(h),
    })),
    edges: [
      ...rawEdges.map(({ e, label }) => {
        const out: PlacedEdge = {
          source: e.source,
          target: e.target,
          conditional: e.conditional,
          path: basisPath((label.points ?? []).map((p) => at(p.x, p.y))),
        };
        if (e.label && label.x !== undefined && label.y !== undefined)
          out.label = { text: e.label, ...at(label.x, label.y) };
        return out;
      }),
      ...loops.map((e): PlacedEdge => {
        const b = rawNodes.find((n) => n.n.id === e.source)!;
        const a = at(b.x + b.w, b.y);
        const [top, bottom, out] = [r(a.y + b.h * 0.3), r(a.y + b.h * 0.7), r(a.x + LOOP)];
        return {
          source: e.source,
          target: e.target,
          conditional: e.conditional,
          path: `M${a.x},${top} C${out},${r(top - 10)} ${out},${r(bottom + 10)} ${a.x},${bottom}`,
          ...(e.label ? { label: { text: e.label, x: out, y: r(a.y + b.h / 2) } } : {}),
        };
      }),
    ],
    width: Math.ceil(bounds.maxX - minX + 2 * o.padding),
    height: Math.ceil(bounds.maxY - minY + 2 * o.padding),
  };
}

/**
 * A smooth path through dagre's edge points: a uniform B-spline (as d3's curveBasis draws it),
 * which starts and ends exactly on the first and last points, on the boxes' borders.
 */
export function basisPath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M${r(first.x)},${r(first.y)}`;
  if (rest.length === 0) return d;
  if (rest.length === 1) return `${d} L${r(rest[0].x)},${r(rest[0].y)}`;
  let [x0, y0, x1, y1] = [first.x, first.y, rest[0].x, rest[0].y];
  d += ` L${r((5 * x0 + x1) / 6)},${r((5 * y0 + y1) / 6)}`;
  const curve = (x: number, y: number) => {
    d += ` C${r((2 * x0 + x1) / 3)},${r((2 * y0 + y1) / 3)} ${r((x0 + 2 * x1) / 3)},${r((y0 + 2 * y1) / 3)} ${r((x0 + 4 * x1 + x) / 6)},${r((y0 + 4 * y1 + y) / 6)}`;
    [x0, y0, x1, y1] = [x1, y1, x, y];
  };
  for (const p of rest.slice(1)) curve(p.x, p.y);
  curve(x1, y1);
  return `${d} L${r(x1)},${r(y1)}`;
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}

const cache = new Map<string, GraphLayout>();

/** The layout of a graph's structure, computed once per distinct structure (not per run event). */
export function layoutOf(info: Pick<GraphInfo, 'nodes' | 'edges'>): GraphLayout {
  const key = structureKey(info.nodes, info.edges);
  let layout = cache.get(key);
  if (!layout) {
    layout = layoutGraph(info.nodes, info.edges);
    if (cache.size >= 16) cache.delete(cache.keys().next().value!);
    cache.set(key, layout);
  }
  return layout;
}
