import { describe, expect, it } from 'vitest';
import type { NodeView } from '../../../src/client/runState';
import { activeNode, nodeLight, nodeLights, timelineEntries, type RunSignals } from '../../../src/ui/graph/graphStatus';

const view = (node: string, status: NodeView['status'], durationMs?: number): NodeView => ({
  node,
  status,
  steps: {},
  ...(durationMs !== undefined ? { durationMs } : {}),
});

const signals = (patch: Partial<RunSignals> = {}): RunSignals => ({
  status: 'running',
  nodes: {},
  updatesByNode: {},
  subgraphValues: {},
  messages: [],
  tokens: [],
  ...patch,
});

describe('nodeLight', () => {
  it('lights the pseudo-nodes from the run status', () => {
    expect(nodeLight('__start__', signals({ status: 'idle' }))).toBe('pending');
    expect(nodeLight('__start__', signals())).toBe('done');
    expect(nodeLight('__end__', signals())).toBe('pending');
    expect(nodeLight('__end__', signals({ status: 'completed' }))).toBe('done');
    expect(nodeLight('__end__', signals({ status: 'failed' }))).toBe('failed');
    expect(nodeLight('__end__', signals({ status: 'cancelled' }))).toBe('pending');
  });

  it('uses node events first, by full id or by a subgraph node own name', () => {
    const run = signals({
      nodes: { analyze: view('analyze', 'done'), generate_ddl: view('generate_ddl', 'running') },
      updatesByNode: { generate_ddl: [{}] },
    });
    expect(nodeLight('analyze', run)).toBe('done');
    expect(nodeLight('validate:generate_ddl', run)).toBe('running');
    expect(nodeLight('design', run)).toBe('pending');
  });

  it('marks nodes of a graph without node events done from updates in any namespace', () => {
    // The reducer files subgraph updates under the node's own name.
    const run = signals({ updatesByNode: { plan: [{ notes: ['x'] }], check: [{ notes: ['y'] }] } });
    expect(nodeLights(['plan', 'review:check', 'write'], run)).toEqual({
      plan: 'done',
      'review:check': 'done',
      write: 'pending',
    });
  });

  it('marks the node streaming tokens or messages as running, only while the run goes on', () => {
    const tokens = [{ id: 't1', agentName: 'writer', content: 'Hel', count: 3, node: 'write' }];
    expect(nodeLight('write', signals({ tokens }))).toBe('running');
    expect(nodeLight('write', signals({ tokens, status: 'cancelled' }))).toBe('pending');
    const messages = [{ id: 'm1', type: 'ai', content: 'hi', node: 'check', ns: ['review:1'] }];
    expect(nodeLight('review:check', signals({ messages }))).toBe('running');
    expect(activeNode(signals({ messages }))).toBe('check');
    // Done beats the stream: the node finished and its tokens are history.
    expect(nodeLight('write', signals({ tokens, updatesByNode: { write: [{}] } }))).toBe('done');
    expect(activeNode(signals())).toBeNull();
  });

  it('marks a node holding a streaming subgraph running until its own update', () => {
    const subgraphValues = { 'review:6f1c': { notes: [] } };
    expect(nodeLight('review', signals({ subgraphValues }))).toBe('running');
    expect(nodeLight('plan', signals({ subgraphValues }))).toBe('pending');
    expect(nodeLight('review', signals({ subgraphValues, updatesByNode: { review: [{}] } }))).toBe('done');
    expect(nodeLight('review', signals({ subgraphValues, status: 'completed' }))).toBe('pending');
  });
});

describe('timelineEntries', () => {
  it('lists reported nodes in their order', () => {
    const nodes = { a: view('a', 'done', 12), b: view('b', 'running') };
    expect(timelineEntries(nodes, ['a', 'b', 'ghost']).map((e) => [e.id, e.view.status, e.fromUpdates])).toEqual([
      ['a', 'done', false],
      ['b', 'running', false],
    ]);
  });

  it('adds nodes known only from updates where their first update came', () => {
    // A graph without node events: the reducer listed root nodes plan, review; the subgraph's
    // check updated between them (key order of updatesByNode is first-update order).
    const nodes = { plan: view('plan', 'done'), review: view('review', 'done') };
    const updatesByNode = { plan: [{}], check: [{}], review: [{}], late: [{}] };
    expect(timelineEntries(nodes, ['plan', 'review'], updatesByNode).map((e) => `${e.id}:${e.fromUpdates}`)).toEqual([
      'plan:false',
      'check:true',
      'review:false',
      'late:true',
    ]);
    expect(timelineEntries({}, [], { x: [{}] })[0].view).toEqual({ node: 'x', status: 'done', steps: {} });
  });
});
