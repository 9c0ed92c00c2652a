/**
 * Layered ("Sugiyama-lite") placement shared by the graph picture and the ER diagram.
 *
 * Graphs here are small (a handful of nodes), so the aim is a readable top-to-bottom picture,
 * not crossing minimisation: sources on top, every forward edge pointing down, cycles kept but
 * their closing edges marked as back edges so they can be drawn on the side.
 */

/** A directed edge between two ids. */
export interface LayerEdge {
  source: string;
  target: string;
}

/** Layers (top to bottom, each in stable order) and the edges that close a cycle. */
export interface Layering {
  layers: string[][];
  layerOf: Map<string, number>;
  /** Keys `source->target` of edges that point up (or sideways) after layering. */
  backEdges: Set<string>;
}

/** The key used in {@link Layering.backEdges}. */
export function edgeKey(e: LayerEdge): string {
  return `${e.source}->${e.target}`;
}

/**
 * Assigns each id a layer: its longest distance from a source along forward edges.
 * Back edges are found by a depth-first walk that starts at `roots` (then at any unvisited id),
 * in input order, so the result is deterministic.
 */
export function assignLayers(
  ids: readonly string[],
  edges: readonly LayerEdge[],
  roots: readonly string[] = [],
): Layering {
  const known = new Set(ids);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) if (known.has(e.source) && known.has(e.target)) out.get(e.source)!.push(e.target);

  // Depth-first: an edge to a node still on the stack closes a cycle.
  const backEdges = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const visit = (start: string) => {
    // Iterative, so a long chain cannot overflow the stack.
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const targets = out.get(top.id)!;
      if (top.next < targets.length) {
        const t = targets[top.next++];
        const s = state.get(t);
        if (s === 'open' || t === top.id) backEdges.add(edgeKey({ source: top.id, target: t }));
        else if (!s) {
          state.set(t, 'open');
          stack.push({ id: t, next: 0 });
        }
      } else {
        state.set(top.id, 'done');
        order.push(top.id);
        stack.pop();
      }
    }
  };
  for (const r of roots) if (known.has(r) && !state.has(r)) visit(r);
  for (const id of ids) if (!state.has(id)) visit(id);

  // Reverse post-order is a topological order of the forward edges.
  const topo = order.reverse();
  const layerOf = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of topo)
    for (const t of out.get(id)!) {
      if (backEdges.has(edgeKey({ source: id, target: t }))) continue;
      layerOf.set(t, Math.max(layerOf.get(t)!, layerOf.get(id)! + 1));
    }

  const layers: string[][] = [];
  // Within a layer keep the order nodes were declared in: it is how the graph's author listed them.
  for (const id of ids) (layers[layerOf.get(id)!] ??= []).push(id);
  return { layers: layers.filter(Boolean), layerOf, backEdges };
}
