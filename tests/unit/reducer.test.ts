import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../../src/protocol';
import { applyEvents } from '../../src/client/reducer';
import { beginRun, LIMITS } from '../../src/client/runState';

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

  it('keeps the event log bounded and counts everything', () => {
    let s = beginRun('r1', 'demo', ['values'], false);
    const many = Array.from({ length: LIMITS.log * 3 }, (_, i) =>
      ev({ type: 'stream', mode: 'values', ns: [], chunk: { i } }),
    );
    s = applyEvents(s, many);
    expect(s.log).toHaveLength(LIMITS.log);
    expect(s.logTotal).toBe(LIMITS.log * 3);
    expect(s.log.at(-1)?.data).toEqual({ i: LIMITS.log * 3 - 1 });
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
