/**
 * The graph registry: `langgraph.json` read at build time (good and bad files), and the worker's
 * registry that imports each graph on demand (compiled graphs, builders, functions of config, a
 * module that throws, an unknown id).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph/web';
import { MemorySaver } from '@langchain/langgraph-checkpoint';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exportNames, pageModule, readRegistry, workerModule } from '../../build/graphRegistry';
import { parseRunInput } from '../../src/worker/input';
import { GraphRegistry, graphEntry } from '../../src/worker/registry';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/registry');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A langgraph.json in a fresh folder beside the fixtures' copies. */
function config(graphs: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'graph.ts'), 'export const graph = {};\n');
  const file = join(dir, 'langgraph.json');
  writeFileSync(file, JSON.stringify({ node_version: '20', graphs }));
  return file;
}

describe('langgraph.json at build time', () => {
  it('reads the export names of a module', () => {
    expect([...exportNames(join(FIXTURES, 'good.ts'))].sort()).toEqual(['default', 'graph', 'makeGraph', 'renamed']);
    expect([...exportNames(join(FIXTURES, 'reexport.ts'))]).toEqual(['*']);
  });

  it('reads entries in both of the CLI’s forms, the export defaulting to "default"', () => {
    const file = config({
      a: './graph.ts:graph',
      b: { path: './graph.ts:graph', description: 'The second one.' },
    });
    const entries = readRegistry(file);
    expect(entries.map((e) => [e.id, e.exportName, e.description ?? null])).toEqual([
      ['a', 'graph', null],
      ['b', 'graph', 'The second one.'],
    ]);
    expect(entries[0].file).toBe(join(file, '..', 'graph.ts'));
  });

  it.each([
    [{ a: './missing.ts:graph' }, 'langgraph.json, graph "a": the file ./missing.ts does not exist.'],
    [{ a: './graph.ts:nope' }, 'langgraph.json, graph "a": ./graph.ts has no export named "nope" (it exports: graph).'],
    [
      { 'bad id': './graph.ts:graph' },
      'langgraph.json, graph "bad id": ids use letters, digits, "_", "-" and "." only.',
    ],
    [{ a: 42 }, 'langgraph.json, graph "a": expected "./path/to/file.ts:<export>"'],
    [[], 'langgraph.json has no "graphs" object'],
  ])('refuses %j, naming the entry', (graphs, message) => {
    expect(() => readRegistry(config(graphs))).toThrow(message);
  });

  it('refuses a file that is not JSON, or a missing file', () => {
    const file = config({});
    writeFileSync(file, '{ nope');
    expect(() => readRegistry(file)).toThrow('langgraph.json is not valid JSON');
    expect(() => readRegistry(join(file, '..', 'absent.json'))).toThrow('is missing');
  });

  it('the repository’s own registry lists the built-in graphs, each with its module', () => {
    const entries = readRegistry(resolve(import.meta.dirname, '../../langgraph.json'));
    expect(entries.map((e) => e.id)).toEqual(expect.arrayContaining(['schema', 'demo']));
    const schema = entries.find((e) => e.id === 'schema')!;
    expect(schema.panel).toBe(resolve(import.meta.dirname, '../../src/graphs/schema/panel/Panel.svelte'));
    expect(workerModule([schema])).toContain(`import(${JSON.stringify(schema.file)})`);
    expect(pageModule([schema])).toContain(`import(${JSON.stringify(schema.panel)})`);
  });
});

const State = Annotation.Root({ topic: Annotation<string>(), out: Annotation<string>() });
const builder = () =>
  new StateGraph(State, { input: z.object({ topic: z.string().min(2, 'At least two letters.') }) })
    .addNode('echo', async (s: typeof State.State) => ({ out: `echo ${s.topic}` }))
    .addEdge(START, 'echo')
    .addEdge('echo', END);

describe('the worker’s registry', () => {
  const registry = new GraphRegistry(
    [
      graphEntry('compiled', async () => ({ graph: builder().compile(), tabgraph: { title: 'Compiled' } })),
      graphEntry('builder', async () => ({ graph: builder() })),
      graphEntry('factory', async () => ({ graph: async (config: unknown) => (config ? builder().compile() : null) })),
      graphEntry('throws', async () => {
        throw new Error('SyntaxError in the module');
      }),
      graphEntry('notagraph', async () => ({ graph: { hello: 1 } })),
    ],
    new MemorySaver(),
  );

  it('loads a compiled graph, a builder and a function of config; attaches its checkpointer to a copy', async () => {
    for (const id of ['compiled', 'builder', 'factory']) {
      const loaded = await registry.get(id);
      expect(loaded.id).toBe(id);
      expect(loaded.graph.checkpointer).toBeInstanceOf(MemorySaver);
      const out = await (loaded.graph as unknown as { invoke(i: unknown, c: unknown): Promise<unknown> }).invoke(
        { topic: 'hi' },
        { configurable: { thread_id: id } },
      );
      expect(out).toEqual({ topic: 'hi', out: 'echo hi' });
    }
    expect((await registry.get('compiled')).title).toBe('Compiled');
    expect((await registry.get('builder')).title).toBe('builder');
  });

  it('a graph with a zod input schema has a JSON Schema for the page’s form', async () => {
    expect((await registry.get('compiled')).inputSchema).toMatchObject({
      type: 'object',
      properties: { topic: { type: 'string', minLength: 2 } },
    });
  });

  it('refuses input that does not match the schema with a message per field, before any run', async () => {
    const loaded = await registry.get('compiled');
    await expect(parseRunInput(loaded, { topic: 'x' })).rejects.toMatchObject({
      name: 'InputError',
      fields: { topic: 'At least two letters.' },
    });
    await expect(parseRunInput(loaded, { topic: 3 })).rejects.toMatchObject({ name: 'InputError' });
    await expect(parseRunInput(loaded, [1])).rejects.toThrow('must be a JSON object');
    expect(await parseRunInput(loaded, { topic: 'ok' })).toEqual({ topic: 'ok' });
  });

  it('a module that throws, or exports no graph, is unavailable with its error; the others still work', async () => {
    await expect(registry.get('throws')).rejects.toMatchObject({
      name: 'GraphLoadError',
      message: 'Graph "throws" could not be loaded: SyntaxError in the module',
    });
    await expect(registry.get('notagraph')).rejects.toThrow(
      'The export of graph "notagraph" is not a compiled LangGraph graph (nor a function returning one).',
    );
    expect((await registry.get('compiled')).id).toBe('compiled');
  });

  it('an id langgraph.json lacks is refused', async () => {
    expect(registry.has('ghost')).toBe(false);
    await expect(registry.get('ghost')).rejects.toMatchObject({
      name: 'UnknownGraphError',
      message: 'There is no graph "ghost" in langgraph.json.',
    });
  });
});
