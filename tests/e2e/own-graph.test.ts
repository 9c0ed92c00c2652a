/**
 * "Run your own graph", as README.md tells it: one graph file, one line in langgraph.json, then
 * `npm start`. The graph file and the line are taken from the README itself, so the walkthrough
 * is what is tested. Also: a registry entry whose file or export is missing stops the dev server
 * and the build with a message naming the entry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launch } from './appPage';

const ROOT = resolve(import.meta.dirname, '../..');
const WORK = resolve(ROOT, 'test-results/own-graph');
const VITE = resolve(ROOT, 'node_modules/.bin/vite');

const README = () => readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** The README's code block that follows `marker`, verbatim. */
function readmeBlock(marker: string): string {
  const readme = README();
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no "${marker}"`);
  const open = readme.indexOf('```', at);
  const start = readme.indexOf('\n', open) + 1;
  return readme.slice(start, readme.indexOf('```', start));
}

/** The README's code from the line `marker` to the end of its block, verbatim. */
function readmeCode(marker: string): string {
  const readme = README();
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no "${marker}"`);
  return readme.slice(at, readme.indexOf('```', at));
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/** Runs a command to its end; resolves with its exit code and output. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(VITE, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => done({ code, output }));
  });
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) child.kill('SIGTERM');
  rmSync(WORK, { recursive: true, force: true });
});

/** A folder with a langgraph.json holding `graphs`, and the files given (paths relative to it). */
function project(name: string, graphs: string, files: Record<string, string>): string {
  const dir = resolve(WORK, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(resolve(dir, path)), { recursive: true });
    writeFileSync(resolve(dir, path), text);
  }
  writeFileSync(resolve(dir, 'langgraph.json'), `{\n  "graphs": {\n    ${graphs}\n  }\n}\n`);
  return resolve(dir, 'langgraph.json');
}

describe('run your own graph', () => {
  it('the README’s graph file and langgraph.json line put a graph in the picker of `npm start`, and it runs', async () => {
    const code = readmeCode('// src/graphs/hello/graph.ts');
    const line = readmeBlock('Add one line to `langgraph.json`').trim();
    expect(line).toBe('"hello": "./src/graphs/hello/graph.ts:graph"');
    const config = project('readme', line, { 'src/graphs/hello/graph.ts': code });

    const port = await freePort();
    // `npm start` is `vite --host 127.0.0.1`; the registry comes from the config named here.
    const server = spawn(VITE, ['--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      cwd: ROOT,
      env: { ...process.env, TABGRAPH_LANGGRAPH_CONFIG: config },
    });
    started.push(server);
    let log = '';
    server.stdout.on('data', (d) => (log += d));
    server.stderr.on('data', (d) => (log += d));
    const url = `http://127.0.0.1:${port}/`;
    await expect
      .poll(
        () =>
          fetch(url).then(
            (r) => r.ok,
            () => false,
          ),
        { timeout: 60_000 },
      )
      .toBe(true);

    const browser = await launch();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      // The dev server may reload the page once while it finds the worker's dependencies.
      await page.waitForFunction(() => 'start' in ((globalThis as { __tabgraph?: object }).__tabgraph ?? {}), null, {
        timeout: 60_000,
      });
      const picker = page.locator('select#graph');
      await expect.poll(() => picker.locator('option').allTextContents(), { timeout: 60_000 }).toEqual(['Hello']);
      await expect.poll(() => page.getByTestId('graph-description').textContent()).toBe('Greets whoever you name.');
      const name = page.getByRole('textbox', { name: 'Name' });
      await expect.poll(() => name.inputValue()).toBe('Ada'); // the example input
      await name.fill('Grace');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('completed');
      const values = await page.evaluate(
        () => (globalThis as unknown as { __tabgraph: { current(): { values: unknown } } }).__tabgraph.current().values,
      );
      expect(values).toEqual({ name: 'Grace', greeting: 'Hello, Grace!' });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.kill('SIGTERM');
    }
    expect(log).not.toContain('[tabgraph]');
  });

  it('an entry whose file is missing stops the dev server, naming the entry', async () => {
    const config = project('missing-file', '"ghost": "./src/graphs/ghost/graph.ts:graph"', {});
    const port = await freePort();
    const { code, output } = await run(['--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      TABGRAPH_LANGGRAPH_CONFIG: config,
    });
    expect(code).not.toBe(0);
    expect(output).toContain('langgraph.json, graph "ghost": the file ./src/graphs/ghost/graph.ts does not exist.');
  });

  it('an entry whose export is missing stops the build, naming the entry', async () => {
    const config = project('missing-export', '"typo": "./graph.ts:grahp"', { 'graph.ts': 'export const graph = 1;\n' });
    const { code, output } = await run(['build', '--outDir', resolve(WORK, 'missing-export/dist')], {
      TABGRAPH_LANGGRAPH_CONFIG: config,
    });
    expect(code).not.toBe(0);
    expect(output).toContain(
      'langgraph.json, graph "typo": ./graph.ts has no export named "grahp" (it exports: graph).',
    );
  });
});
