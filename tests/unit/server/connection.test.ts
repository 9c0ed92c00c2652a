/**
 * The Run-on connection: each way a server can fail to connect gets its own plain message, the
 * page keeps running where it was, and a server that answers becomes the page's transport.
 */
import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import type { GraphInfo } from '../../../src/protocol';
import type { Transport } from '../../../src/client/transport';
import {
  Connection,
  describeInTab,
  normalizeServerUrl,
  probeServer,
  type ServerHooks,
} from '../../../src/client/server/connection';

const URL_ = 'http://127.0.0.1:2999';
const info = () => new Response(JSON.stringify({ version: '1.5.1', langgraph_js_version: '1.7.3' }));
const refused = () => Promise.reject(new TypeError('Failed to fetch'));

describe('normalizeServerUrl', () => {
  it('accepts http(s) URLs, adds http:// to a bare host, drops trailing slashes', () => {
    expect(normalizeServerUrl(' http://127.0.0.1:2024/ ')).toBe('http://127.0.0.1:2024');
    expect(normalizeServerUrl('localhost:2024')).toBe('http://localhost:2024');
    expect(normalizeServerUrl('https://agents.example.org/api//')).toBe('https://agents.example.org/api');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => normalizeServerUrl('ftp://x')).toThrow('starts with http:// or https://, not ftp://');
    expect(() => normalizeServerUrl('http://')).toThrow('is not a URL');
  });
});

describe('probeServer', () => {
  it("returns the server's version from GET /info", async () => {
    const asked: string[] = [];
    const fetch = (async (u: string) => (asked.push(u), info())) as unknown as typeof globalThis.fetch;
    expect(await probeServer(URL_, { fetch })).toEqual({ version: '1.5.1' });
    expect(asked).toEqual([`${URL_}/info`]);
  });

  it('tells a CORS refusal (the server answers without CORS) from a server that is down', async () => {
    const cors = (async (_u: string, init?: RequestInit) =>
      init?.mode === 'no-cors' ? new Response(null) : refused()) as unknown as typeof fetch;
    await expect(probeServer(URL_, { fetch: cors })).rejects.toThrow(
      `The server at ${URL_} answered but does not allow this page's origin`,
    );
    const down = refused as unknown as typeof fetch;
    await expect(probeServer(URL_, { fetch: down })).rejects.toThrow(
      `Nothing answers at ${URL_}: is the server running (npm run server), and is the URL right?`,
    );
  });

  it("names this page's Content-Security-Policy when it blocked the request", async () => {
    const events = new EventTarget();
    const blocked = (async () => {
      const violation = Object.assign(new Event('securitypolicyviolation'), { blockedURI: `${URL_}/info` });
      events.dispatchEvent(violation);
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(probeServer(URL_, { fetch: blocked, cspEvents: events })).rejects.toThrow(
      "This page's Content-Security-Policy (connect-src) does not allow http://127.0.0.1:2999.",
    );
  });

  it('says when something else answers', async () => {
    const notFound = (async () => new Response('no', { status: 404 })) as unknown as typeof fetch;
    await expect(probeServer(URL_, { fetch: notFound })).rejects.toThrow(
      `${URL_}/info answered HTTP 404: is this a LangGraph server?`,
    );
    const other = (async () => new Response('{"hello":1}')) as unknown as typeof fetch;
    await expect(probeServer(URL_, { fetch: other })).rejects.toThrow('did not describe a LangGraph server');
  });
});

/** A transport that only records what happens to it. */
function stubTransport(name: string, log: string[]): Transport {
  return {
    run: () => {},
    resume: () => {},
    cancel: () => {},
    describe: async (graph) => {
      log.push(`${name} describe ${graph}`);
      return { graph, title: `${name}:${graph}`, available: true } as GraphInfo;
    },
    listThreads: async () => [],
    threadState: async () => ({ values: null, next: [] }),
    deleteThread: async () => {},
    subscribe: () => () => {},
    dispose: () => log.push(`${name} disposed`),
  };
}

describe('Connection', () => {
  function setup(fetch: typeof globalThis.fetch) {
    const log: string[] = [];
    const hooks: ServerHooks[] = [];
    let tabs = 0;
    const connection = new Connection({
      fetch,
      useTransport: (t) => log.push(`use ${(t as Transport & { name?: string }).name ?? 'tab'}`),
      createTab: () => stubTransport(`tab${++tabs}`, log),
      createServer: async (url, h) => {
        hooks.push(h);
        return Object.assign(stubTransport('server', log), { name: `server ${url}` });
      },
    });
    return { connection, log, hooks };
  }

  it('connects: probes, switches the page to the server, shows its version', async () => {
    const { connection, log } = setup((async () => info()) as unknown as typeof fetch);
    const states: string[] = [];
    connection.state.subscribe((s) => states.push(s.kind));
    expect(await connection.connect('127.0.0.1:2999/')).toBe(true);
    expect(log).toEqual([`use server ${URL_}`]);
    expect(get(connection.state)).toEqual({ kind: 'server', url: URL_, version: '1.5.1' });
    expect(states).toEqual(['tab', 'connecting', 'server']);

    connection.useTab();
    expect(log.at(-1)).toBe('use tab');
    expect(get(connection.state)).toEqual({ kind: 'tab', url: URL_ });
  });

  it('stays in the tab, with the reason, when the server cannot be reached', async () => {
    const { connection, log } = setup(refused as unknown as typeof fetch);
    expect(await connection.connect(URL_)).toBe(false);
    expect(log).toEqual([]);
    expect(get(connection.state)).toEqual({
      kind: 'tab',
      url: URL_,
      problem: `Nothing answers at ${URL_}: is the server running (npm run server), and is the URL right?`,
    });
  });

  it('keeps the server it has when a reconnect fails, and shows a connection lost mid-way', async () => {
    let up = true;
    const { connection, hooks } = setup((async () => (up ? info() : refused())) as unknown as typeof fetch);
    await connection.connect(URL_);
    hooks[0].onConnectionLost('it stopped');
    expect(get(connection.state)).toEqual({ kind: 'server', url: URL_, version: '1.5.1', problem: 'it stopped' });
    up = false;
    expect(await connection.connect(URL_)).toBe(false);
    expect(get(connection.state)).toMatchObject({
      kind: 'server',
      url: URL_,
      problem: expect.stringContaining('Nothing answers'),
    });
  });
});

describe('describeInTab', () => {
  it('describes with one short-lived tab, closed when every answer is in; answers are kept', async () => {
    const log: string[] = [];
    let n = 0;
    const describe = describeInTab(() => stubTransport(`tab${++n}`, log));
    const [a, b] = await Promise.all([describe('schema'), describe('demo')]);
    expect([a.title, b.title]).toEqual(['tab1:schema', 'tab1:demo']);
    expect(log).toEqual(['tab1 describe schema', 'tab1 describe demo', 'tab1 disposed']);
    expect((await describe('schema')).title).toBe('tab1:schema');
    expect(n).toBe(1);
  });
});
