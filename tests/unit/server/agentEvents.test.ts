/**
 * The worker's run events in LangGraph's agent streaming protocol (what `useStream` reads).
 * Expected frames are written by hand after `@langchain/protocol` and LangGraph's own converter.
 */
import { describe, expect, it } from 'vitest';
import { AgentEventTranslator } from '../../../src/client/agentProtocol/toAgentEvents';
import type { WorkerEvent } from '../../../src/protocol';

let seq = 0;
const ev = (e: Record<string, unknown>) => ({ runId: 'r', seq: ++seq, ts: 1000.4, ...e }) as WorkerEvent;
const tok = (content: string) =>
  ev({
    type: 'stream',
    mode: 'messages',
    ns: [],
    chunk: [{ type: 'ai', id: 'm1', content }, { langgraph_node: 'write' }],
  });

/** Method and data of each frame, and the namespace where it is not the root. */
function frames(t: AgentEventTranslator, events: WorkerEvent[]) {
  return events
    .flatMap((e) => t.translate(e))
    .map((f) => {
      const p = f.params as { namespace: string[]; data: unknown; node?: string };
      return {
        method: f.method,
        ...(p.namespace.length ? { ns: p.namespace } : {}),
        ...(p.node ? { node: p.node } : {}),
        data: p.data,
      };
    });
}

describe('AgentEventTranslator', () => {
  it('frames a run: lifecycle, values, updates, custom events, streamed message', () => {
    const t = new AgentEventTranslator();
    const out = frames(t, [
      ev({ type: 'run.started', graph: 'demo', streamModes: [], subgraphs: true }),
      ev({ type: 'custom', name: 'progress_update', ns: [], node: 'plan', data: { step: 'plan' } }),
      ev({ type: 'stream', mode: 'custom', ns: ['review:1'], chunk: { reviewed: true } }),
      tok('Hel'),
      ev({ type: 'custom', name: 'custom_token', ns: [], data: { content: 'lo' } }),
      tok('lo'),
      ev({ type: 'stream', mode: 'updates', ns: [], chunk: { write: { n: 1 }, __interrupt__: [] } }),
      ev({ type: 'stream', mode: 'values', ns: [], chunk: { n: 1 } }),
      ev({ type: 'stream', mode: 'debug', ns: [], chunk: { x: 1 } }),
      ev({ type: 'run.completed' }),
    ]);
    expect(out).toEqual([
      { method: 'lifecycle', data: { event: 'running', graph_name: 'demo' } },
      { method: 'custom', data: { name: 'progress_update', payload: { step: 'plan' } } },
      { method: 'custom', ns: ['review:1'], data: { payload: { reviewed: true } } },
      { method: 'messages', node: 'write', data: { event: 'message-start', role: 'ai', id: 'm1' } },
      {
        method: 'messages',
        node: 'write',
        data: { event: 'content-block-start', index: 0, content: { type: 'text', text: '' } },
      },
      {
        method: 'messages',
        node: 'write',
        data: { event: 'content-block-delta', index: 0, delta: { type: 'text-delta', text: 'Hel' } },
      },
      { method: 'custom', data: { name: 'custom_token', payload: { content: 'lo' } } },
      {
        method: 'messages',
        node: 'write',
        data: { event: 'content-block-delta', index: 0, delta: { type: 'text-delta', text: 'lo' } },
      },
      {
        method: 'messages',
        node: 'write',
        data: { event: 'content-block-finish', index: 0, content: { type: 'text', text: 'Hello' } },
      },
      { method: 'messages', node: 'write', data: { event: 'message-finish' } },
      { method: 'updates', node: 'write', data: { node: 'write', values: { n: 1 } } },
      { method: 'values', data: { n: 1 } },
      { method: 'lifecycle', data: { event: 'completed', graph_name: 'demo' } },
    ]);
  });

  it('numbers frames and stamps them with the event time', () => {
    const t = new AgentEventTranslator();
    const [a] = t.translate(ev({ type: 'run.started', graph: 'g', streamModes: [], subgraphs: false }));
    const [b] = t.translate(ev({ type: 'run.completed' }));
    expect([a.seq, a.event_id, b.seq, b.event_id]).toEqual([1, '1', 2, '2']);
    expect(a.params.timestamp).toBe(1000);
  });

  it('ends a paused, cancelled or failed run as the server does', () => {
    const t = new AgentEventTranslator();
    t.translate(ev({ type: 'run.started', graph: 'schema', streamModes: [], subgraphs: false }));
    const end = (e: Record<string, unknown>) => frames(t, [ev(e)]);
    expect(end({ type: 'stream', mode: 'values', ns: [], chunk: { __interrupt__: [] } })).toEqual([]);
    expect(end({ type: 'run.interrupted', next: ['apply'] })).toEqual([
      { method: 'lifecycle', data: { event: 'interrupted', graph_name: 'schema' } },
    ]);
    expect(end({ type: 'run.cancelled' })).toEqual([
      { method: 'lifecycle', data: { event: 'interrupted', graph_name: 'schema' } },
    ]);
    expect(end({ type: 'run.failed', error: { name: 'E', message: 'boom' } })).toEqual([
      { method: 'lifecycle', data: { event: 'failed', graph_name: 'schema', error: 'boom' } },
    ]);
  });

  it('leaves human messages to values, and ignores engine events', () => {
    const t = new AgentEventTranslator();
    expect(
      frames(t, [
        ev({ type: 'stream', mode: 'messages', ns: [], chunk: [{ type: 'human', id: 'u', content: 'hi' }, {}] }),
        ev({ type: 'engine.usage', runId: 'r', promptTokens: 1, completionTokens: 1 }),
      ]),
    ).toEqual([]);
  });
});
