/**
 * `npm run server` as a user runs it (`node server/start.mjs`): the LangGraph dev server starts on
 * `PORT`, serves a fixture graph over HTTP with every stream the app relies on, and stops, port
 * freed, when the script's PID is killed. The first run may install `server/` (npm ci).
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST, ROOT, startLangGraphServer, type LangGraphServer } from './langgraphServer';

const FIXTURE = resolve(ROOT, 'tests/fixtures/server');

/** True when `port` can be bound, i.e. the server let it go. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, HOST, () => probe.close(() => done(true)));
  });
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses a whole `text/event-stream` body into its events (JSON data). */
function parseSse(body: string): SseEvent[] {
  return body
    .split(/\r?\n\r?\n/)
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const event =
        lines
          .find((l) => l.startsWith('event:'))
          ?.slice(6)
          .trim() ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      return { event, data: data ? JSON.parse(data) : undefined };
    })
    .filter((e) => e.data !== undefined);
}

let server: LangGraphServer;
const ignoreBefore = readFileSync(resolve(FIXTURE, '.gitignore'), 'utf8');

async function post(path: string, body: unknown): Promise<Response> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return res;
}

beforeAll(async () => {
  rmSync(resolve(FIXTURE, '.langgraph_api'), { recursive: true, force: true });
  server = await startLangGraphServer({ config: resolve(FIXTURE, 'langgraph.json') });
}, 240_000); // a first run installs server/ (npm ci) before starting

afterAll(async () => {
  await server?.stop();
  rmSync(resolve(FIXTURE, '.langgraph_api'), { recursive: true, force: true });
}, 30_000);

describe('npm run server (server/start.mjs)', () => {
  it('announces its URL once the API answers', async () => {
    // The ready line is printed right after the script's own /ok check, which may trail ours.
    while (!server.output().includes(`ready: ${server.url}`)) await new Promise((r) => setTimeout(r, 50));
    expect(server.output()).toContain(`[server] Tabgraph's LangGraph server is ready: ${server.url}`);
  });

  it('streams a run of the fixture graph: custom events, writer chunks, updates and values', async () => {
    const thread = (await (await post('/threads', {})).json()) as { thread_id: string };
    expect(thread.thread_id).toMatch(/^[0-9a-f-]{36}$/);

    const res = await post(`/threads/${thread.thread_id}/runs/stream`, {
      assistant_id: 'echo',
      input: { messages: [{ type: 'human', content: 'hello' }] },
      stream_mode: ['values', 'updates', 'custom', 'events'],
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());
    const of = (name: string) => events.filter((e) => e.event === name).map((e) => e.data);

    expect(of('error')).toEqual([]);
    // dispatchCustomEvent (web) reaches `events` mode as on_custom_event, from the node.
    const custom = of('events').filter((d) => (d as { event?: string }).event === 'on_custom_event');
    expect(custom).toHaveLength(1);
    expect(custom[0]).toMatchObject({
      name: 'progress',
      data: { step: 1, of: 2, note: 'dispatched' },
      metadata: { langgraph_node: 'echo', graph_id: 'echo' },
    });
    // config.writer reaches `custom` mode: "hello" has 5 characters.
    expect(of('custom')).toEqual([{ kind: 'writer', chars: 5 }]);
    expect(of('updates')).toHaveLength(1);
    expect(of('updates')[0]).toMatchObject({ echo: { messages: [{ type: 'ai', content: 'echo: hello' }] } });
    const values = of('values') as { messages: { type: string; content: string }[] }[];
    expect(values.map((v) => v.messages.map((m) => `${m.type}: ${m.content}`))).toEqual([
      ['human: hello'],
      ['human: hello', 'ai: echo: hello'],
    ]);

    // The run's result is the thread's state.
    const state = (await (await fetch(`${server.url}/threads/${thread.thread_id}/state`)).json()) as {
      values: { messages: { content: string }[] };
    };
    expect(state.values.messages.map((m) => m.content)).toEqual(['hello', 'echo: hello']);
  });

  it("stops when the script's PID is killed: the script exits cleanly and the port is free", async () => {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    // The script exits only after every server process has: nothing may hold the port now.
    expect(await portIsFree(server.port)).toBe(true);
    await expect(fetch(`${server.url}/ok`)).rejects.toThrow();
  });

  it('leaves tracked files alone (the fixture .gitignore already names .langgraph_api)', () => {
    expect(readFileSync(resolve(FIXTURE, '.gitignore'), 'utf8')).toBe(ignoreBefore);
    expect(ignoreBefore.split('\n')).toContain('.langgraph_api');
    expect(readFileSync(resolve(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.langgraph_api');
  });
});
