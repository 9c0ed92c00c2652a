import { describe, expect, it } from 'vitest';
import {
  basisPath,
  clustersOf,
  layoutGraph,
  layoutOf,
  nodeLabel,
  structureKey,
} from '../../../src/ui/graph/graphLayout';
import { assignLayers } from '../../../src/ui/common/layers';
import { layoutEr } from '../../../src/graphs/schema/panel/erLayout';
import { toSchemaView } from '../../../src/graphs/schema/panel/schemaModel';

const n = (id: string, subgraph = false) => ({ id, ...(subgraph ? { subgraph } : {}) });
const e = (source: string, target: string, conditional = false) => ({ source, target, conditional });

describe('assignLayers', () => {
  it('puts every node below its predecessors (longest path)', () => {
    const { layers } = assignLayers(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'c'), e('a', 'c'), e('c', 'd')]);
    expect(layers).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('keeps cycles, marking the closing edge as a back edge', () => {
    const { layers, backEdges } = assignLayers(
      ['__start__', 'design', 'validate', '__end__'],
      [
        e('__start__', 'design'),
        e('design', 'validate'),
        e('validate', 'design', true),
        e('validate', '__end__', true),
      ],
      ['__start__'],
    );
    expect(layers).toEqual([['__start__'], ['design'], ['validate'], ['__end__']]);
    expect([...backEdges]).toEqual(['validate->design']);
  });

  it('handles self loops, unknown ids and disconnected nodes', () => {
    const { layers, backEdges } = assignLayers(['a', 'b', 'lonely'], [e('a', 'a'), e('a', 'b'), e('a', 'ghost')]);
    expect(layers).toEqual([['a', 'lonely'], ['b']]);
    expect(backEdges.has('a->a')).toBe(true);
  });

  it('survives a long chain without recursion limits', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => e(ids[i], id));
    expect(assignLayers(ids, edges).layers).toHaveLength(20_000);
  });
});

/** The first and last points of a path made by the layout. */
function ends(path: string) {
  const nums = [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: +m[1], y: +m[2] }));
  return { first: nums[0], last: nums[nums.length - 1] };
}

/** Whether a point lies on a box's border (within `tol` units). */
function onBorder(p: { x: number; y: number }, b: { x: number; y: number; w: number; h: number }, tol = 1.5) {
  const inX = p.x >= b.x - tol && p.x <= b.x + b.w + tol;
  const inY = p.y >= b.y - tol && p.y <= b.y + b.h + tol;
  const nearX = Math.abs(p.x - b.x) <= tol || Math.abs(p.x - b.x - b.w) <= tol;
  const nearY = Math.abs(p.y - b.y) <= tol || Math.abs(p.y - b.y - b.h) <= tol;
  return inX && inY && (nearX || nearY);
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
type Box = { x: number; y: number; w: number; h: number };

describe('layoutGraph (dagre)', () => {
  // The schema graph as LangGraph draws it with xray (checked on @langchain/langgraph 1.7.3).
  const schemaNodes = [
    n('__start__'),
    n('analyze'),
    n('design'),
    n('apply'),
    n('validate:generate_ddl'),
    n('validate:run_ddl'),
    n('summarize'),
    n('__end__'),
  ];
  const schemaEdges = [
    e('validate:generate_ddl', 'validate:run_ddl'),
    e('__start__', 'analyze'),
    e('analyze', 'design'),
    e('design', 'apply'),
    e('summarize', '__end__'),
    e('apply', 'validate:generate_ddl', true),
    e('apply', 'design', true),
    e('apply', 'summarize', true),
    e('validate:run_ddl', 'summarize', true),
    e('validate:run_ddl', 'design', true),
  ];

  it('lays the schema graph top to bottom, its validation subgraph in a labelled box', () => {
    const g = layoutGraph(schemaNodes, schemaEdges);
    const at = (id: string) => g.nodes.find((p) => p.id === id)!;
    const order = ['__start__', 'analyze', 'design', 'apply', 'validate:generate_ddl', 'validate:run_ddl', 'summarize'];
    for (let i = 1; i < order.length; i++) expect(at(order[i]).y).toBeGreaterThan(at(order[i - 1]).y);
    expect(at('__end__').y).toBeGreaterThan(at('summarize').y);
    expect(g.nodes.map((p) => p.label)).toEqual([
      'start',
      'analyze',
      'design',
      'apply',
      'generate_ddl',
      'run_ddl',
      'summarize',
      'end',
    ]);
    expect(at('__start__').terminal).toBe(true);
    expect(g.clusters).toHaveLength(1);
    const box = g.clusters[0];
    expect(box).toMatchObject({ id: 'validate', label: 'validate', depth: 0 });
    expect(inside(at('validate:generate_ddl'), box)).toBe(true);
    expect(inside(at('validate:run_ddl'), box)).toBe(true);
    // Room for the label: the first row starts at least 14 units below the box's top.
    expect(at('validate:generate_ddl').y - box.y).toBeGreaterThanOrEqual(14);
    for (const p of g.nodes.filter((p) => !p.id.startsWith('validate:'))) expect(overlaps(p, box), p.id).toBe(false);
  });

  it('keeps every box inside the canvas, none overlapping, every edge from border to border', () => {
    const g = layoutGraph(schemaNodes, schemaEdges);
    for (const p of [...g.nodes, ...g.clusters]) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.x + p.w).toBeLessThanOrEqual(g.width);
      expect(p.y + p.h).toBeLessThanOrEqual(g.height);
    }
    for (const a of g.nodes)
      for (const b of g.nodes) if (a !== b) expect(overlaps(a, b), `${a.id} ${b.id}`).toBe(false);
    expect(g.edges).toHaveLength(10);
    expect(g.edges.filter((x) => x.conditional)).toHaveLength(5);
    const at = (id: string) => g.nodes.find((p) => p.id === id)!;
    for (const x of g.edges) {
      const { first, last } = ends(x.path);
      expect(onBorder(first, at(x.source)), `${x.source}->${x.target} starts on its source`).toBe(true);
      expect(onBorder(last, at(x.target)), `${x.source}->${x.target} ends on its target`).toBe(true);
    }
  });

  it('nests clusters of nested subgraphs and keeps nodes marked as subgraphs', () => {
    const g = layoutGraph(
      [n('__start__'), n('outer:inner:a'), n('outer:inner:b'), n('outer:c'), n('tool', true), n('__end__')],
      [
        e('__start__', 'outer:inner:a'),
        e('outer:inner:a', 'outer:inner:b'),
        e('outer:inner:b', 'outer:c', true),
        e('outer:c', 'tool'),
        e('tool', '__end__'),
      ],
    );
    const c = (id: string) => g.clusters.find((x) => x.id === id)!;
    expect(g.clusters.map((x) => [x.id, x.label, x.depth])).toEqual([
      ['outer', 'outer', 0],
      ['outer:inner', 'inner', 1],
    ]);
    expect(inside(c('outer:inner'), c('outer'))).toBe(true);
    const at = (id: string) => g.nodes.find((p) => p.id === id)!;
    expect(inside(at('outer:inner:a'), c('outer:inner'))).toBe(true);
    expect(inside(at('outer:c'), c('outer'))).toBe(true);
    expect(overlaps(at('outer:c'), c('outer:inner'))).toBe(false);
    expect(at('tool').subgraph).toBe(true);
    expect(at('outer:inner:a').label).toBe('a');
  });

  it('draws self loops on the right of their node, labels edges that have names, drops unknown ends', () => {
    const g = layoutGraph(
      [n('__start__'), n('agent'), n('tools'), n('__end__')],
      [
        e('__start__', 'agent'),
        { ...e('agent', 'tools', true), label: 'call' },
        e('tools', 'agent'),
        e('agent', 'agent', true),
        e('agent', '__end__', true),
        e('agent', 'ghost'),
      ],
    );
    expect(g.edges.map((x) => `${x.source}->${x.target}`)).toEqual([
      '__start__->agent',
      'agent->tools',
      'tools->agent',
      'agent->__end__',
      'agent->agent',
    ]);
    const agent = g.nodes.find((p) => p.id === 'agent')!;
    const loop = g.edges.find((x) => x.source === 'agent' && x.target === 'agent')!;
    const { first, last } = ends(loop.path);
    expect(first.x).toBe(agent.x + agent.w);
    expect(last.x).toBe(agent.x + agent.w);
    expect(first.y).toBeLessThan(last.y);
    expect(agent.x + agent.w + 24).toBeLessThanOrEqual(g.width);
    const labelled = g.edges.find((x) => x.target === 'tools')!;
    expect(labelled.label?.text).toBe('call');
    expect(labelled.label!.y).toBeGreaterThan(agent.y + agent.h);
    expect(labelled.label!.y).toBeLessThan(g.nodes.find((p) => p.id === 'tools')!.y);
  });

  it('gives an empty graph an empty canvas', () => {
    expect(layoutGraph([], [])).toEqual({ nodes: [], clusters: [], edges: [], width: 0, height: 0 });
    expect(nodeLabel('__end__')).toBe('end');
    expect(nodeLabel('validate:run_ddl')).toBe('run_ddl');
    expect(clustersOf('a:b:c')).toEqual(['a', 'a:b']);
    expect(clustersOf('plain')).toEqual([]);
  });

  it('draws a B-spline through the points, from the first to the last', () => {
    expect(basisPath([])).toBe('');
    expect(basisPath([{ x: 0, y: 0 }])).toBe('M0,0');
    expect(
      basisPath([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ]),
    ).toBe('M0,0 L10,10');
    expect(
      basisPath([
        { x: 0, y: 0 },
        { x: 0, y: 60 },
        { x: 60, y: 60 },
      ]),
    ).toBe('M0,0 L0,10 C0,20 0,40 10,50 C20,60 40,60 50,60 L60,60');
  });

  it('lays a structure out once: the same structure gets the same layout object', () => {
    const a = layoutOf({ nodes: schemaNodes, edges: schemaEdges });
    const b = layoutOf({ nodes: schemaNodes.map((x) => ({ ...x })), edges: schemaEdges.map((x) => ({ ...x })) });
    expect(b).toBe(a);
    const flipped = schemaEdges.map((x, i) => (i === 0 ? { ...x, conditional: true } : x));
    expect(structureKey(schemaNodes, flipped)).not.toBe(structureKey(schemaNodes, schemaEdges));
    expect(layoutOf({ nodes: schemaNodes, edges: flipped })).not.toBe(a);
  });
});

describe('layoutEr', () => {
  const schema = toSchemaView({
    tables: {
      comments: {
        columns: { id: { name: 'id', type: 'integer', nullable: false }, post_id: { type: 'integer' } },
        constraints: {
          comments_pkey: { type: 'primary_key', columns: ['id'] },
          comments_post_fk: {
            type: 'foreign_key',
            columns: ['post_id'],
            references: { table: 'posts', columns: ['id'] },
          },
          comments_user_fk: { type: 'foreign_key', columns: ['id'], references: { table: 'users', columns: ['id'] } },
        },
      },
      posts: {
        columns: { id: { type: 'integer' }, author_id: { type: 'integer' } },
        constraints: {
          posts_author_fk: {
            type: 'foreign_key',
            columns: ['author_id'],
            references: { table: 'users', columns: ['id'] },
          },
        },
      },
      users: { columns: { id: { type: 'integer' } }, constraints: {} },
    },
  })!;

  it('puts referenced tables above the tables that reference them', () => {
    const er = layoutEr(schema);
    const y = (name: string) => er.boxes.find((b) => b.name === name)!.y;
    expect(y('users')).toBeLessThan(y('posts'));
    expect(y('posts')).toBeLessThan(y('comments'));
    expect(er.edges.map((x) => `${x.from}->${x.to}`).sort()).toEqual([
      'comments->posts',
      'comments->users',
      'posts->users',
    ]);
    // comments -> users skips the posts layer, so it goes around on the left.
    expect(er.viewBox.startsWith('-')).toBe(true);
    expect(er.boxes.find((b) => b.name === 'comments')!.rows[0]).toEqual({ text: 'id: integer !', key: 'pk' });
  });

  it('draws self references and cycles without negative widths', () => {
    const er = layoutEr({
      tables: [
        { ...schema.tables[2], foreignKeys: [] },
        { ...schema.tables[0], name: 'a' },
      ],
      enums: [],
      foreignKeys: [
        { name: 'self', table: 'a', columns: ['post_id'], refTable: 'a', refColumns: ['id'] },
        { name: 'down', table: 'users', columns: ['id'], refTable: 'a', refColumns: ['id'] },
      ],
    });
    expect(er.edges).toHaveLength(2);
    expect(er.width).toBeGreaterThan(0);
    expect(er.viewBox.split(' ')).toHaveLength(4);
  });
});
