/**
 * The server's stream parts, as `langgraph dev` (CLI 1.5.1) sent them for the demo graph (copied
 * from a recorded run, trimmed), read into the page's protocol. Expected values are written by
 * hand from the worker's conventions (src/worker/relay.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  graphStructure,
  namespaceOf,
  readServerPart,
  serverStreamModes,
  threadInfo,
  titleOf,
} from '../../../src/client/server/convert';

const REVIEW = 'review:1aec8ac1-1bc6-519a-8ca4-cc29f489947a';

describe('server stream modes', () => {
  it('asks for messages as tuples and always adds events (where custom events are)', () => {
    expect(serverStreamModes(['values', 'messages', 'custom'])).toEqual([
      'values',
      'messages-tuple',
      'custom',
      'events',
    ]);
    expect(serverStreamModes([])).toEqual(['events']);
  });
});

describe('readServerPart', () => {
  it('reads the run id from metadata', () => {
    expect(readServerPart({ event: 'metadata', data: { run_id: 'r-1', attempt: 1 } })).toEqual({
      kind: 'metadata',
      runId: 'r-1',
    });
  });

  it('turns `mode|ns` event names into a mode and a namespace', () => {
    expect(readServerPart({ event: `updates|${REVIEW}`, data: { check: { notes: ['reviewed 12 words'] } } })).toEqual({
      kind: 'stream',
      mode: 'updates',
      ns: [REVIEW],
      chunk: { check: { notes: ['reviewed 12 words'] } },
    });
    expect(readServerPart({ event: 'values', data: { topic: 'tabs' } })).toEqual({
      kind: 'stream',
      mode: 'values',
      ns: [],
      chunk: { topic: 'tabs' },
    });
    expect(readServerPart({ event: `custom|${REVIEW}`, data: { reviewed: true, words: 12 } })).toMatchObject({
      mode: 'custom',
      ns: [REVIEW],
    });
  });

  it('gives a messages tuple the shape the worker sends: plain message, picked metadata', () => {
    const part = readServerPart({
      event: 'messages',
      data: [
        { content: 'tabs', id: 'demo-user', additional_kwargs: {}, response_metadata: {}, type: 'human' },
        {
          tags: ['graph:step:1'],
          name: 'plan',
          graph_id: 'demo',
          langgraph_api_url: 'http://127.0.0.1:39049',
          thread_id: 't-1',
          run_id: 'r-1',
          langgraph_step: 1,
          langgraph_node: 'plan',
          langgraph_checkpoint_ns: 'plan:d8e4',
          checkpoint_ns: 'plan:d8e4',
        },
      ],
    });
    expect(part).toEqual({
      kind: 'stream',
      mode: 'messages',
      ns: [],
      chunk: [
        { content: 'tabs', id: 'demo-user', type: 'human' },
        {
          tags: ['graph:step:1'],
          name: 'plan',
          thread_id: 't-1',
          langgraph_step: 1,
          langgraph_node: 'plan',
          langgraph_checkpoint_ns: 'plan:d8e4',
          checkpoint_ns: 'plan:d8e4',
        },
      ],
    });
  });

  it('keeps non-empty message fields', () => {
    const part = readServerPart({
      event: 'messages',
      data: [{ content: 'x', type: 'ai', tool_calls: [{ name: 'f', args: {} }], invalid_tool_calls: [] }, {}],
    });
    expect(part).toMatchObject({ chunk: [{ content: 'x', type: 'ai', tool_calls: [{ name: 'f', args: {} }] }, {}] });
    expect((part as { chunk: [Record<string, unknown>] }).chunk[0]).not.toHaveProperty('invalid_tool_calls');
  });

  it('marks a message chunk (the server writes its tool_call_chunks) as the worker does, so tokens add up', () => {
    const part = readServerPart({
      event: 'messages',
      data: [{ content: 'Hel', id: 'm1', type: 'ai', tool_calls: [], tool_call_chunks: [], additional_kwargs: {} }, {}],
    });
    expect(part).toEqual({
      kind: 'stream',
      mode: 'messages',
      ns: [],
      chunk: [{ content: 'Hel', id: 'm1', type: 'ai', chunk: true }, {}],
    });
  });

  it('reads a dispatchCustomEvent event from `events` mode, with its graph namespace and node', () => {
    const event = (name: string, ns: string, node: string, data: unknown) => ({
      event: 'events',
      data: {
        event: 'on_custom_event',
        run_id: 'x',
        name,
        tags: [],
        metadata: { langgraph_node: node, checkpoint_ns: ns, graph_id: 'demo' },
        data,
      },
    });
    expect(readServerPart(event('progress_update', 'plan:d8e4', 'plan', { step: 'plan', progress: 0 }))).toEqual({
      kind: 'custom',
      name: 'progress_update',
      ns: [],
      node: 'plan',
      data: { step: 'plan', progress: 0 },
    });
    expect(readServerPart(event('step_complete', `${REVIEW}|check:8311`, 'check', { step: 'review' }))).toEqual({
      kind: 'custom',
      name: 'step_complete',
      ns: [REVIEW],
      node: 'check',
      data: { step: 'review' },
    });
  });

  it('skips every other `events` entry and unknown names', () => {
    expect(readServerPart({ event: 'events', data: { event: 'on_chain_start', name: 'plan' } })).toEqual({
      kind: 'skip',
    });
    expect(readServerPart({ event: 'feedback', data: {} })).toEqual({ kind: 'skip' });
  });

  it("reads the server's error event", () => {
    expect(readServerPart({ event: 'error', data: { error: 'ValueError', message: 'bad input' } })).toEqual({
      kind: 'error',
      error: { name: 'ValueError', message: 'bad input' },
    });
    expect(readServerPart({ event: 'error', data: 'boom' })).toEqual({
      kind: 'error',
      error: { name: 'ServerError', message: 'boom' },
    });
  });
});

describe('namespaceOf', () => {
  it('drops the node segment of a checkpoint namespace', () => {
    expect(namespaceOf('')).toEqual([]);
    expect(namespaceOf(undefined)).toEqual([]);
    expect(namespaceOf('plan:1')).toEqual([]);
    expect(namespaceOf('validate:1|run_ddl:2')).toEqual(['validate:1']);
  });
});

describe('graphStructure', () => {
  it("reads the server's xray drawing, marking nested graphs", () => {
    const drawing = {
      nodes: [
        { id: '__start__', type: 'schema', data: { $schema: 'x' } },
        { id: 'write', type: 'runnable', data: { id: ['langgraph', 'RunnableCallable'], name: 'write' } },
        { id: 'review', type: 'runnable', data: { id: ['langgraph', 'pregel', 'CompiledStateGraph'], name: 'g' } },
      ],
      edges: [
        { source: '__start__', target: 'write', conditional: false },
        { source: 'write', target: 'review' },
      ],
    };
    expect(graphStructure(drawing)).toEqual({
      nodes: [{ id: '__start__' }, { id: 'write' }, { id: 'review', subgraph: true }],
      edges: [
        { source: '__start__', target: 'write', conditional: false },
        { source: 'write', target: 'review', conditional: false },
      ],
    });
    expect(graphStructure(null)).toEqual({ nodes: [], edges: [] });
  });
});

describe('threadInfo', () => {
  const thread = {
    thread_id: 't-1',
    created_at: '2026-01-02T03:04:05.000Z',
    updated_at: '2026-01-02T03:04:06.500Z',
    status: 'interrupted',
    metadata: { tabgraph_title: 'a blog', graph_id: 'schema', assistant_id: 'a-1' },
    values: { requirements: 'ignored when the title is saved' },
  };

  it('maps a server thread to the thread list', () => {
    expect(threadInfo(thread)).toEqual({
      threadId: 't-1',
      graph: 'schema',
      title: 'a blog',
      createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      updatedAt: Date.UTC(2026, 0, 2, 3, 4, 6, 500),
      lastRunId: 'server:t-1',
      lastStatus: 'interrupted',
    });
  });

  it("names the page's live run, and maps each status", () => {
    expect(threadInfo({ ...thread, status: 'busy' }, 'run-7')).toMatchObject({
      lastRunId: 'run-7',
      lastStatus: 'running',
    });
    expect(threadInfo({ ...thread, status: 'idle' }).lastStatus).toBe('completed');
    expect(threadInfo({ ...thread, status: 'error' }).lastStatus).toBe('failed');
  });

  it('falls back to the first input for a title, as the worker does', () => {
    expect(threadInfo({ ...thread, metadata: {}, values: { topic: 'tabs\nmore' } })).toMatchObject({
      title: 'tabs',
    });
    expect(titleOf({ requirements: 'x'.repeat(100) })).toBe(`${'x'.repeat(79)}…`);
    expect(titleOf(null)).toBe('Untitled thread');
  });
});
