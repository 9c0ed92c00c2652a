import { describe, expect, it } from 'vitest';
import { layoutGraph, nodeLabel } from '../../../src/ui/graph/graphLayout';
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

describe('layoutGraph', () => {
  const nodes = [n('__start__'), n('plan'), n('write'), n('review', true), n('__end__')];
  const edges = [e('__start__', 'plan'), e('plan', 'write'), e('write', 'review'), e('review', '__end__')];

  it('lays nodes top to bottom in topological order, inside the canvas', () => {
    const g = layoutGraph(nodes, edges);
    const ys = g.nodes.map((p) => p.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(5);
    for (const p of g.nodes) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x + p.w).toBeLessThanOrEqual(g.width);
      expect(p.y + p.h).toBeLessThanOrEqual(g.height);
    }
    expect(g.nodes.find((p) => p.id === 'review')?.subgraph).toBe(true);
    expect(g.nodes[0]).toMatchObject({ label: 'start', terminal: true });
    expect(g.edges).toHaveLength(4);
    expect(g.edges.every((x) => x.path.startsWith('M') && !x.back)).toBe(true);
  });

  it('places branches side by side without overlap and routes loops on the right', () => {
    const g = layoutGraph(
      [n('__start__'), n('a'), n('b'), n('c'), n('__end__')],
      [
        e('__start__', 'a'),
        e('a', 'b', true),
        e('a', 'c', true),
        e('b', '__end__'),
        e('c', '__end__'),
        e('c', 'a', true),
      ],
    );
    const b = g.nodes.find((p) => p.id === 'b')!;
    const c = g.nodes.find((p) => p.id === 'c')!;
    expect(b.y).toBe(c.y);
    expect(b.x + b.w).toBeLessThanOrEqual(c.x);
    const loop = g.edges.find((x) => x.source === 'c' && x.target === 'a')!;
    expect(loop).toMatchObject({ back: true, conditional: true });
    expect(g.width).toBeGreaterThan(Math.max(...g.nodes.map((p) => p.x + p.w)));
  });

  it('gives an empty graph an empty canvas', () => {
    expect(layoutGraph([], [])).toMatchObject({ nodes: [], edges: [], height: 0 });
    expect(nodeLabel('__end__')).toBe('end');
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
