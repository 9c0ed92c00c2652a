/**
 * ServerTransport over a stand-in for the SDK client: what the page's stores receive for a run,
 * an approval pause, a server error, a dropped connection, a cancel, and the requests around runs.
 * The stand-in replays parts in the shape `client.runs.stream` yields them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GraphInfo, StreamMode, WorkerEvent } from '../../../src/protocol';
import { ServerTransport, type ServerClient, type ServerState } from '../../../src/client/server/serverTransport';
import type { ServerStreamPart } from '../../../src/client/server/convert';
import { until } from '../../support/until';

interface Calls {
  created: unknown[];
  streamed: { threadId: string; assistantId: string; payload: Record<string, unknown> }[];
  cancelled: unknown[][];
  updated: unknown[][];
}

type Script = (signal: AbortSignal) => AsyncIterable<ServerStreamPart>;

function fakeClient(script: Script, opts: { state?: ServerState; graph?: () => Promise<unknown> } = {}) {
  const calls: Calls = { created: [], streamed: [], cancelled: [], updated: [] };
  const client: ServerClient = {
    threads: {
      create: async (payload) => {
        calls.created.push(payload);
        return { thread_id: 'thread-1' };
      },
      search: async () => [
        { thread_id: 'thread-1', created_at: '', updated_at: '', status: 'busy', metadata: { graph_id: 'demo' } },
      ],
      getState: async () => opts.state ?? { values: { topic: 'tabs' }, next: [] },
      getHistory: async () => [],
      updateState: async (...args) => {
        calls.updated.push(args);
        return { configurable: { checkpoint_id: 'cp-new' } };
      },
      delete: async () => {},
    },
    runs: {
      stream: (threadId, assistantId, payload) => {
        calls.streamed.push({ threadId, assistantId, payload: payload as unknown as Record<string, unknown> });
        return script(payload.signal);
      },
      cancel: async (...args) => {
        calls.cancelled.push(args);
      },
    },
    assistants: { getGraph: opts.graph ?? (async () => ({ nodes: [{ id: 'plan' }], edges: [] })) },
  };
  return { client, calls };
}

const custom = (name: string, ns: string, data: unknown): ServerStreamPart => ({
  event: 'events',
  data: { event: 'on_custom_event', name, metadata: { checkpoint_ns: ns, langgraph_node: ns.split(':')[0] }, data },
});

async function* parts(list: ServerStreamPart[]) {
  for (const p of list) yield p;
}

let transport: ServerTransport | null = null;
afterEach(() => transport?.dispose());

function open(client: ServerClient, extra: Partial<ConstructorParameters<typeof ServerTransport>[0]> = {}) {
  transport = new ServerTransport({ apiUrl: 'http://127.0.0.1:9/', client, ...extra });
  const events: WorkerEvent[] = [];
  transport.subscribe((batch) => events.push(...batch));
  return { t: transport, events };
}

const strip = (events: WorkerEvent[]) =>
  events.map((e) => {
    const { seq: _s, ts: _t, ...rest } = e;
    return rest;
  });
const ended = (events: WorkerEvent[]) => () =>
  events.some((e) => e.type.startsWith('run.') && e.type !== 'run.started');
const base: { graph: string; streamModes: StreamMode[]; subgraphs: boolean } = {
  graph: 'demo',
  streamModes: ['values', 'custom'],
  subgraphs: true,
};

describe('ServerTransport runs', () => {
  it('creates a thread titled by the input, then relays the run as protocol events, in order', async () => {
    const { client, calls } = fakeClient(() =>
      parts([
        { event: 'metadata', data: { run_id: 'server-run' } },
        { event: 'values', data: { topic: 'tabs' } },
        custom('progress_update', 'plan:1', { step: 'plan', progress: 0 }),
        { event: 'events', data: { event: 'on_chain_start', name: 'plan' } },
        { event: 'custom|review:2', data: { reviewed: true } },
        custom('step_complete', 'review:2|check:3', { step: 'review' }),
      ]),
    );
    const { t, events } = open(client);
    t.run({ ...base, streamModes: ['values', 'custom'], runId: 'run-1', input: { topic: 'tabs' } });
    await until(ended(events));

    expect(calls.created).toEqual([{ metadata: { tabgraph_title: 'tabs' }, graphId: 'demo' }]);
    expect(calls.streamed[0]).toMatchObject({
      threadId: 'thread-1',
      assistantId: 'demo',
      payload: { input: { topic: 'tabs' }, streamMode: ['values', 'custom', 'events'], streamSubgraphs: true },
    });
    expect(strip(events)).toEqual([
      {
        type: 'run.started',
        runId: 'run-1',
        graph: 'demo',
        streamModes: ['values', 'custom'],
        subgraphs: true,
        threadId: 'thread-1',
      },
      { type: 'stream', runId: 'run-1', mode: 'values', ns: [], chunk: { topic: 'tabs' } },
      {
        type: 'custom',
        runId: 'run-1',
        name: 'progress_update',
        ns: [],
        node: 'plan',
        data: { step: 'plan', progress: 0 },
      },
      { type: 'stream', runId: 'run-1', mode: 'custom', ns: ['review:2'], chunk: { reviewed: true } },
      {
        type: 'custom',
        runId: 'run-1',
        name: 'step_complete',
        ns: ['review:2'],
        node: 'review',
        data: { step: 'review' },
      },
      { type: 'run.completed', runId: 'run-1' },
    ]);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('ends as interrupted when the thread has nodes to run next (a breakpoint)', async () => {
    const { client, calls } = fakeClient(() => parts([{ event: 'updates', data: { __interrupt__: [] } }]), {
      state: { values: {}, next: ['apply'] },
    });
    const { t, events } = open(client);
    t.run({
      ...base,
      streamModes: ['updates'],
      runId: 'run-2',
      input: {},
      threadId: 'old',
      interruptBefore: ['apply'],
    });
    await until(ended(events));
    expect(calls.created).toEqual([]);
    expect(calls.streamed[0]).toMatchObject({ threadId: 'old', payload: { interruptBefore: ['apply'] } });
    expect(strip(events).at(-1)).toEqual({ type: 'run.interrupted', runId: 'run-2', next: ['apply'], threadId: 'old' });
  });

  it('resumes after writing the update, from the checkpoint the update made', async () => {
    const { client, calls } = fakeClient(() => parts([]));
    const { t, events } = open(client);
    t.resume({
      ...base,
      runId: 'run-3',
      threadId: 'old',
      update: { approved: true },
      asNode: 'review',
      interruptBefore: ['*'],
    });
    await until(ended(events));
    expect(calls.updated).toEqual([['old', { values: { approved: true }, asNode: 'review' }]]);
    expect(calls.streamed[0].payload).toMatchObject({ input: null, checkpointId: 'cp-new', interruptBefore: '*' });
    expect(strip(events).at(-1)).toEqual({ type: 'run.completed', runId: 'run-3' });
  });

  it("fails with the server's error message", async () => {
    const { client } = fakeClient(() =>
      parts([{ event: 'error', data: { error: 'GraphRecursionError', message: 'Recursion limit of 25 reached' } }]),
    );
    const { t, events } = open(client);
    t.run({ ...base, runId: 'run-4', input: {} });
    await until(ended(events));
    expect(strip(events).at(-1)).toEqual({
      type: 'run.failed',
      runId: 'run-4',
      error: { name: 'GraphRecursionError', message: 'Recursion limit of 25 reached' },
    });
  });

  it('says plainly that the connection was lost when the server drops mid-run', async () => {
    const lost: string[] = [];
    const { client } = fakeClient(async function* () {
      yield { event: 'values', data: { topic: 'tabs' } };
      throw new TypeError('network error');
    });
    const { t, events } = open(client, { onConnectionLost: (r) => lost.push(r) });
    t.run({ ...base, runId: 'run-5', input: {} });
    await until(ended(events));
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: 'run.failed', error: { name: 'ServerConnectionLostError' } });
    expect(last.type === 'run.failed' && last.error.message).toContain(
      'connection to the LangGraph server at http://127.0.0.1:9 was lost',
    );
    expect(lost).toHaveLength(1);
  });

  it('refuses a run it cannot start (server down) without a started event', async () => {
    const { client } = fakeClient(() => parts([]));
    client.threads.create = async () => {
      throw new TypeError('Failed to fetch');
    };
    const { t, events } = open(client);
    t.run({ ...base, runId: 'run-6', input: {} });
    await until(ended(events));
    expect(strip(events)).toEqual([
      {
        type: 'run.rejected',
        runId: 'run-6',
        error: {
          name: 'ServerUnreachableError',
          message:
            "The LangGraph server at http://127.0.0.1:9 did not answer (could not start the run): it may have stopped, or refuse this page's origin.",
        },
      },
    ]);
  });

  it('cancels: the stream is closed, the server run cancelled, one run.cancelled and nothing after', async () => {
    let release: () => void = () => {};
    const { client, calls } = fakeClient(async function* (signal) {
      yield { event: 'metadata', data: { run_id: 'server-run' } };
      yield { event: 'values', data: { n: 1 } };
      await new Promise<void>((r) => {
        release = r;
        signal.addEventListener('abort', () => r());
      });
      yield { event: 'values', data: { n: 2 } };
    });
    const { t, events } = open(client);
    t.run({ ...base, runId: 'run-7', input: {} });
    await until(() => events.some((e) => e.type === 'stream'));
    t.cancel('run-7');
    await until(ended(events));
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.cancelled).toEqual([['thread-1', 'server-run', true]]);
    expect(strip(events).map((e) => e.type)).toEqual(['run.started', 'stream', 'run.cancelled']);
    expect(calls.streamed[0].payload).toMatchObject({ onDisconnect: 'cancel' });
  });

  it('refuses a second run while one is active, as the worker does', async () => {
    const { client } = fakeClient(async function* (signal) {
      await new Promise((r) => signal.addEventListener('abort', r));
      yield { event: 'values', data: {} };
    });
    const { t, events } = open(client);
    t.run({ ...base, runId: 'a', input: {} });
    t.run({ ...base, runId: 'b', input: {} });
    await until(() => events.some((e) => e.runId === 'b'));
    expect(events.find((e) => e.runId === 'b')).toMatchObject({
      type: 'run.rejected',
      error: { name: 'RunActiveError' },
    });
    t.cancel('a');
  });
});

describe('ServerTransport requests', () => {
  const card: GraphInfo = {
    graph: 'demo',
    title: 'Demo',
    available: true,
    nodes: [{ id: 'local-only' }],
    edges: [],
    inputSchema: { type: 'object' },
    example: { topic: 'tabs' },
    breakpoints: [{ label: 'Ask', before: ['write'] }],
    interruptBefore: [],
    interruptAfter: [],
    stateKeys: ['topic'],
  };

  it("describes a graph: the page's card, the server's drawing", async () => {
    const { client } = fakeClient(() => parts([]));
    const { t } = open(client, { describeLocally: async () => card });
    expect(await t.describe('demo')).toEqual({ ...card, nodes: [{ id: 'plan' }], edges: [] });
  });

  it('without a card the input is edited as JSON (no schema)', async () => {
    const { client } = fakeClient(() => parts([]));
    const { t } = open(client, { describeLocally: async () => Promise.reject(new Error('no worker')) });
    expect(await t.describe('demo')).toMatchObject({
      title: 'demo',
      available: true,
      inputSchema: null,
      nodes: [{ id: 'plan' }],
    });
  });

  it('names a graph the server lacks', async () => {
    const notFound = Object.assign(new Error('HTTP 404: Assistant "nope" not found'), { status: 404 });
    const { client } = fakeClient(() => parts([]), { graph: async () => Promise.reject(notFound) });
    const { t } = open(client);
    expect(await t.describe('nope')).toMatchObject({
      available: false,
      error: {
        name: 'UnknownGraphError',
        message:
          'The LangGraph server at http://127.0.0.1:9 has no graph "nope" (its langgraph.json does not list it).',
      },
    });
  });

  it('throws a clear error when the server does not answer, and reports the lost connection', async () => {
    const lost: string[] = [];
    const { client } = fakeClient(() => parts([]), {
      graph: async () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const { t } = open(client, { onConnectionLost: (r) => lost.push(r) });
    await expect(t.describe('demo')).rejects.toMatchObject({ name: 'ServerUnreachableError' });
    expect(lost).toHaveLength(1);
  });

  it('lists threads, reads and deletes them', async () => {
    const { client } = fakeClient(() => parts([]), {
      state: { values: {}, next: [], checkpoint: { checkpoint_id: 'c2' }, parent_checkpoint: { checkpoint_id: 'c1' } },
    });
    const { t } = open(client);
    expect(await t.listThreads()).toEqual([
      {
        threadId: 'thread-1',
        graph: 'demo',
        title: 'Untitled thread',
        createdAt: 0,
        updatedAt: 0,
        lastRunId: 'server:thread-1',
        lastStatus: 'running',
      },
    ]);
    expect(await t.threadState('thread-1', 'demo')).toEqual({
      values: null,
      next: [],
      checkpointId: 'c2',
      parentId: 'c1',
    });
    await expect(t.deleteThread('thread-1')).resolves.toBeUndefined();
  });

  it("lists a thread's checkpoints from the server's history, newest first, with who wrote each", async () => {
    const { client } = fakeClient(() => parts([]));
    client.threads.getHistory = async () => [
      {
        values: {},
        next: [],
        checkpoint: { checkpoint_id: 'c2' },
        parent_checkpoint: { checkpoint_id: 'c1' },
        metadata: { step: 1, source: 'loop' },
        tasks: [],
        created_at: '2026-01-02T00:00:02Z',
      },
      {
        values: {},
        next: ['plan'],
        checkpoint: { checkpoint_id: 'c1' },
        parent_checkpoint: null,
        metadata: { step: 0, source: 'input' },
        tasks: [{ name: 'plan' }],
        created_at: '2026-01-02T00:00:01Z',
      },
    ];
    const { t } = open(client);
    expect(await t.history('thread-1')).toEqual([
      {
        checkpointId: 'c2',
        parentId: 'c1',
        step: 1,
        source: 'loop',
        writers: ['plan'],
        next: [],
        createdAt: '2026-01-02T00:00:02Z',
      },
      {
        checkpointId: 'c1',
        parentId: null,
        step: 0,
        source: 'input',
        writers: ['input'],
        next: ['plan'],
        createdAt: '2026-01-02T00:00:01Z',
      },
    ]);
  });
});
