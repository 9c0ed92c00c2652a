import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../../src/protocol';
import { applyEvents } from '../../src/client/reducer';
import { beginRun } from '../../src/client/runState';

let seq = 0;
const ev = (e: Record<string, unknown>): WorkerEvent =>
  ({ seq: ++seq, ts: performance.timeOrigin + performance.now(), runId: 'r1', ...e }) as WorkerEvent;
const token = (content: string, id = 'm1') =>
  ev({ type: 'custom', name: 'custom_token', ns: [], data: { content, id, agentName: 'designer' } });

describe('run reducer (pure)', () => {
  it('does not change its input and returns the same object when nothing applies', () => {
    const s0 = beginRun('r1', 'schema', ['values'], false);
    const frozen = JSON.stringify(s0);
    const s1 = applyEvents(s0, [token('a')]);
    expect(JSON.stringify(s0)).toBe(frozen);
    expect(s1).not.toBe(s0);
    expect(applyEvents(s1, [])).toBe(s1);
  });

  it('a run waiting for its thread says so until it starts, or until it ends unstarted', () => {
    const s0 = beginRun('r1', 'schema', ['values'], false);
    const waiting = applyEvents(s0, [ev({ type: 'run.waiting', threadId: 't-busy' })]);
    expect(waiting.waitingFor).toBe('t-busy');
    expect(waiting.status).toBe('running');
    const started = applyEvents(waiting, [
      ev({ type: 'run.started', graph: 'schema', streamModes: ['values'], subgraphs: false, threadId: 't-busy' }),
    ]);
    expect(started.waitingFor).toBeUndefined();
    expect(started.threadId).toBe('t-busy');
    const gaveUp = applyEvents(waiting, [ev({ type: 'run.cancelled' })]);
    expect(gaveUp.waitingFor).toBeUndefined();
    expect(gaveUp.status).toBe('cancelled');
  });

  it('ignores events of other runs and events already seen', () => {
    const s0 = beginRun('r1', 'schema', ['values'], false);
    const t = token('x');
    const s1 = applyEvents(s0, [
      t,
      { ...t },
      ev({
        runId: 'stale',
        type: 'custom',
        name: 'custom_token',
        ns: [],
        data: { content: 'y', id: 'm1', agentName: 'a' },
      }),
    ]);
    expect(s1.tokens).toEqual([expect.objectContaining({ id: 'm1', content: 'x', count: 1 })]);
  });

  it('accumulates tokens and messages by id, in order', () => {
    let s = beginRun('r1', 'schema', ['messages'], false);
    s = applyEvents(s, [token('Hel'), token('lo', 'm1'), token('Other', 'm2')]);
    s = applyEvents(s, [
      ev({
        type: 'stream',
        mode: 'messages',
        ns: [],
        chunk: [{ type: 'AIMessageChunk', id: 'a', content: 'Hi' }, { langgraph_node: 'design' }],
      }),
      ev({
        type: 'stream',
        mode: 'messages',
        ns: [],
        chunk: [{ type: 'AIMessageChunk', id: 'a', content: ' there' }, { langgraph_node: 'design' }],
      }),
    ]);
    expect(s.tokens.map((t) => [t.id, t.content, t.count])).toEqual([
      ['m1', 'Hello', 2],
      ['m2', 'Other', 1],
    ]);
    expect(s.messages).toEqual([expect.objectContaining({ id: 'a', content: 'Hi there', node: 'design' })]);
    expect(s.stats.tokens).toBe(3);
  });

  it('tracks node status and durations, tool calls and progress from the seed events', () => {
    let s = beginRun('r1', 'schema', ['custom'], false);
    s = applyEvents(s, [
      ev({ type: 'custom', name: 'node_start', ns: [], data: { node: 'apply', input: {}, timestamp: 't' } }),
      ev({ type: 'custom', name: 'tool_start', ns: [], data: { toolName: 'schemaDesignTool', input: [1] } }),
      ev({
        type: 'custom',
        name: 'schema_progress',
        ns: [],
        data: { current: 2, total: 4, percentage: 50, operation: 'add' },
      }),
      ev({ type: 'custom', name: 'tool_error', ns: [], data: { toolName: 'schemaDesignTool', error: 'bad path' } }),
      ev({ type: 'custom', name: 'node_complete', ns: [], data: { node: 'apply', output: {}, timestamp: 't' } }),
    ]);
    expect(s.nodes.apply).toMatchObject({ status: 'done' });
    expect(s.nodes.apply.durationMs).toBeGreaterThanOrEqual(0);
    expect(s.tools).toEqual([
      expect.objectContaining({ toolName: 'schemaDesignTool', status: 'error', error: 'bad path' }),
    ]);
    expect(s.schemaProgress).toEqual({ current: 2, total: 4, percentage: 50, operation: 'add' });
  });

  it('keeps every event in the log, in order, without changing what an older state shows', () => {
    let s = beginRun('r1', 'demo', ['values'], false);
    const many = Array.from({ length: 3000 }, (_, i) => ev({ type: 'stream', mode: 'values', ns: [], chunk: { i } }));
    const half = applyEvents(s, many.slice(0, 1500));
    s = applyEvents(half, many.slice(1500));
    expect(s.log.length).toBe(3000);
    expect(s.logTotal).toBe(3000);
    expect(s.log.entry(0)).toMatchObject({ type: 'stream', kind: 'mode', name: 'values', ns: [], data: { i: 0 } });
    expect(s.log.entry(2999).data).toEqual({ i: 2999 });
    expect(s.log.entry(2999).seq).toBe(many[2999].seq);
    // The older state still shows its own 1,500 entries, though the store they share grew.
    expect(half.log.length).toBe(1500);
    expect(half.log.toJSON().at(-1)?.data).toEqual({ i: 1499 });
  });

  it('logs token events compactly and gives them back as they arrived', () => {
    let s = beginRun('r1', 'demo', ['messages'], true);
    const meta = { langgraph_node: 'write', langgraph_step: 2, tags: ['x'] };
    const batch: WorkerEvent[] = [];
    for (const w of ['Hel', 'lo', ' you']) {
      batch.push(token(w));
      batch.push(
        ev({
          type: 'stream',
          mode: 'messages',
          ns: ['w:1'],
          chunk: [{ type: 'AIMessageChunk', content: w, id: 'm1' }, meta],
        }),
      );
    }
    batch.push(ev({ type: 'custom', name: 'custom_token', ns: [], data: { content: 7, id: 'odd' } }));
    s = applyEvents(s, batch);
    const data = s.log.toJSON().map((e) => e.data);
    expect(data).toEqual([
      { content: 'Hel', id: 'm1', agentName: 'designer' },
      [{ type: 'AIMessageChunk', content: 'Hel', id: 'm1' }, meta],
      { content: 'lo', id: 'm1', agentName: 'designer' },
      [{ type: 'AIMessageChunk', content: 'lo', id: 'm1' }, meta],
      { content: ' you', id: 'm1', agentName: 'designer' },
      [{ type: 'AIMessageChunk', content: ' you', id: 'm1' }, meta],
      { content: 7, id: 'odd' },
    ]);
    expect(s.log.entry(1)).toMatchObject({ type: 'stream', kind: 'mode', name: 'messages', ns: ['w:1'] });
    expect(s.tokens).toEqual([expect.objectContaining({ id: 'm1', content: 'Hello you', count: 3 })]);
    expect(s.messages).toEqual([expect.objectContaining({ id: 'm1', content: 'Hello you', node: 'write' })]);
  });

  it('keeps each token stream’s own id, agent and extra fields when streams alternate', () => {
    let s = beginRun('r1', 'demo', ['custom'], true);
    const t = (data: Record<string, unknown>) => ev({ type: 'custom', name: 'custom_token', ns: [], data });
    s = applyEvents(s, [
      t({ content: 'a', id: 'm1', agentName: 'designer' }),
      t({ content: 'b', id: 'm2', agentName: 'reviewer' }),
      t({ content: 'c', id: 'm2', agentName: 'reviewer', step: 3 }),
      t({ content: 'd', id: 'm1', agentName: 'designer' }),
      t({ content: 'e', id: 'm1', agentName: 'reviewer' }),
    ]);
    expect(s.log.toJSON().map((e) => e.data)).toEqual([
      { content: 'a', id: 'm1', agentName: 'designer' },
      { content: 'b', id: 'm2', agentName: 'reviewer' },
      { content: 'c', id: 'm2', agentName: 'reviewer', step: 3 },
      { content: 'd', id: 'm1', agentName: 'designer' },
      { content: 'e', id: 'm1', agentName: 'reviewer' },
    ]);
  });

  it('searches the log by event name, mode, kind and namespace', () => {
    let s = beginRun('r1', 'demo', ['values'], true);
    const events = Array.from({ length: 500 }, (_, i) =>
      i % 2
        ? ev({
            type: 'custom',
            name: 'custom_token',
            ns: i % 10 === 1 ? ['review:1'] : [],
            data: { content: 'x', id: 'a' },
          })
        : ev({ type: 'stream', mode: 'values', ns: [], chunk: { i } }),
    );
    s = applyEvents(s, events);
    const names = (q: string) => {
      const { hits, count } = s.log.search(q);
      return Array.from(hits.subarray(0, count), (i) => s.log.entry(i));
    };
    expect(names('TOKEN')).toHaveLength(250);
    expect(names('TOKEN').every((e) => e.name === 'custom_token')).toBe(true);
    expect(names('review')).toHaveLength(50);
    expect(names('values').map((e) => e.data)).toEqual(
      events.filter((_, i) => i % 2 === 0).map((e) => (e as { chunk: unknown }).chunk),
    );
    expect(names('root')).toHaveLength(450);
    expect(names('nothing-like-this')).toHaveLength(0);
    // A later search with the same query goes on from where the last one stopped.
    s = applyEvents(s, [
      ev({ type: 'custom', name: 'custom_token', ns: ['review:1'], data: { content: 'y', id: 'a' } }),
    ]);
    expect(names('review')).toHaveLength(51);
  });

  it('a pause chunk does not replace the state, and the terminal event fixes the status', () => {
    let s = beginRun('r1', 'schema', ['values'], false);
    s = applyEvents(s, [
      ev({ type: 'stream', mode: 'values', ns: [], chunk: { requirements: 'x' } }),
      ev({ type: 'stream', mode: 'values', ns: [], chunk: { __interrupt__: [] } }),
      ev({ type: 'run.interrupted', next: ['apply'] }),
    ]);
    expect(s.values).toEqual({ requirements: 'x' });
    expect(s.status).toBe('interrupted');
    expect(s.interruptedNext).toEqual(['apply']);
  });
});

describe('run reducer: any graph', () => {
  it('message chunks (as the relay makes them plain) add up to the message; a whole message replaces it', () => {
    const chunk = (content: string) =>
      ev({ type: 'stream', mode: 'messages', ns: [], chunk: [{ type: 'ai', id: 'a1', content, chunk: true }, {}] });
    let s = beginRun('r1', 'assistant', ['messages'], false);
    s = applyEvents(s, [chunk('2 + 2'), chunk(' = 4.')]);
    expect(s.messages.map((m) => [m.id, m.type, m.content])).toEqual([['a1', 'ai', '2 + 2 = 4.']]);
    s = applyEvents(s, [
      ev({ type: 'stream', mode: 'messages', ns: [], chunk: [{ type: 'ai', id: 'a1', content: 'Four.' }, {}] }),
    ]);
    expect(s.messages.map((m) => m.content)).toEqual(['Four.']);
  });

  it('tasks mode shows which node runs now, in a subgraph by the name the picture draws', () => {
    const task = (ns: string[], chunk: object) => ev({ type: 'stream', mode: 'tasks', ns, chunk });
    let s = beginRun('r1', 'g', ['tasks'], true);
    s = applyEvents(s, [task([], { id: 't1', name: 'plan', input: {}, triggers: ['__start__'] })]);
    expect(s.nodes.plan.status).toBe('running');
    s = applyEvents(s, [
      task([], { id: 't1', name: 'plan', result: [['notes', ['x']]], interrupts: [] }),
      task(['review:3f2a'], { id: 't2', name: 'check', input: {}, triggers: [] }),
      task([], { id: 't0', name: '__start__', input: {}, triggers: [] }),
    ]);
    expect(s.nodeOrder).toEqual(['plan', 'review:check']);
    expect(s.nodes.plan.status).toBe('done');
    expect(s.nodes['review:check'].status).toBe('running');
    s = applyEvents(s, [task(['review:3f2a'], { id: 't2', name: 'check', result: [], error: { message: 'boom' } })]);
    expect(s.nodes['review:check']).toMatchObject({ status: 'failed', error: 'boom' });
  });
});

describe('node names across subgraphs', () => {
  it('a subgraph’s node is named with its parents, whether seed events or tasks report it', () => {
    const seed = (name: string, node: string, ns: string[]) =>
      ev({ type: 'custom', name, ns, data: { node, step: 'process', status: 'started', input: {}, output: {} } });
    let s = beginRun('r1', 'schema', ['tasks', 'custom'], true);
    s = applyEvents(s, [
      ev({ type: 'stream', mode: 'tasks', ns: ['validate:9'], chunk: { id: 'a', name: 'generate_ddl', input: {} } }),
      seed('node_start', 'generate_ddl', ['validate:9']),
      seed('node_progress', 'validate', ['validate:9']),
      seed('node_complete', 'generate_ddl', ['validate:9']),
    ]);
    expect(s.nodeOrder).toEqual(['validate:generate_ddl', 'validate']);
    expect(s.nodes['validate:generate_ddl'].status).toBe('done');
    expect(s.nodes.validate.steps).toEqual({ process: 'started' });
  });
});
