/**
 * The relay's normaliser against values written by hand: the oracle tests compare what reaches
 * the page with LangGraph's own output passed through this same normaliser, so it is checked on
 * its own here, shape by shape.
 */
import { AIMessageChunk, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { normalizeChunk } from '../../src/worker/relay';

describe('normalizeChunk', () => {
  it('a messages chunk: the message made plain (a chunk says so), metadata cut to what the page reads', () => {
    const metadata = {
      langgraph_node: 'write',
      langgraph_step: 2,
      langgraph_triggers: ['branch:to:write'],
      checkpoint_ns: 'write:7',
      tags: [],
      ls_provider: 'tabgraph',
      __pregel_task_id: 'internal',
      callbacks: { handlers: [{}] },
    };
    const out = normalizeChunk(['messages', [new AIMessageChunk({ content: 'Hel', id: 'm1' }), metadata]], false);
    expect(out).toEqual({
      ns: [],
      mode: 'messages',
      chunk: [
        { type: 'ai', id: 'm1', content: 'Hel', chunk: true },
        {
          langgraph_node: 'write',
          langgraph_step: 2,
          langgraph_triggers: ['branch:to:write'],
          checkpoint_ns: 'write:7',
          tags: [],
        },
      ],
    });
  });

  it('tool call chunks and tool messages keep what identifies them', () => {
    const chunk = new AIMessageChunk({
      content: '',
      id: 'm2',
      tool_call_chunks: [{ name: 'calculator', args: '{"a":1}', id: 'call-1', index: 0, type: 'tool_call_chunk' }],
    });
    const [msg] = normalizeChunk(['messages', [chunk, {}]], false).chunk as [Record<string, unknown>];
    expect(msg).toMatchObject({
      type: 'ai',
      id: 'm2',
      chunk: true,
      tool_call_chunks: [{ name: 'calculator', args: '{"a":1}', id: 'call-1', index: 0, type: 'tool_call_chunk' }],
    });
    const tool = normalizeChunk(
      ['messages', [new ToolMessage({ content: '7', tool_call_id: 'call-1', name: 'calculator', id: 't1' }), {}]],
      false,
    ).chunk as [Record<string, unknown>];
    expect(tool[0]).toEqual({ type: 'tool', id: 't1', content: '7', name: 'calculator', tool_call_id: 'call-1' });
  });

  it('a checkpoint with subgraphs: its namespace kept, its configs cut to plain configurable values', () => {
    const send = () => undefined;
    const raw = [
      ['validate:3'],
      'checkpoints',
      {
        config: {
          configurable: {
            thread_id: 't1',
            checkpoint_ns: 'validate:3',
            checkpoint_id: 'c2',
            __pregel_send: send,
            engine: {},
          },
          metadata: { source: 'loop', step: 1 },
          tags: ['x'],
          callbacks: { handlers: [] },
        },
        parentConfig: { configurable: { thread_id: 't1', checkpoint_id: 'c1' } },
        values: { messages: [new HumanMessage({ content: 'q', id: 'h1' })], when: new Date('2026-12-02T00:00:00Z') },
        next: ['run_ddl'],
        tasks: [],
      },
    ];
    expect(normalizeChunk(raw, true)).toEqual({
      ns: ['validate:3'],
      mode: 'checkpoints',
      chunk: {
        config: {
          configurable: { thread_id: 't1', checkpoint_ns: 'validate:3', checkpoint_id: 'c2' },
          metadata: { source: 'loop', step: 1 },
          tags: ['x'],
        },
        parentConfig: { configurable: { thread_id: 't1', checkpoint_id: 'c1' } },
        values: { messages: [{ type: 'human', id: 'h1', content: 'q' }], when: '2026-12-02T00:00:00.000Z' },
        next: ['run_ddl'],
        tasks: [],
      },
    });
  });

  it('values and updates become plain data: maps, sets, dates, big numbers; functions dropped, cycles cut', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const values = {
      ids: new Set([1, 2]),
      byName: new Map([['a', 1]]),
      big: 10n ** 20n,
      run: () => 1,
      cyclic,
    };
    expect(normalizeChunk(['values', values], false).chunk).toEqual({
      ids: [1, 2],
      byName: { a: 1 },
      big: '100000000000000000000',
      cyclic: { name: 'loop', self: '[Circular]' },
    });
    expect(normalizeChunk(['updates', { plan: { notes: ['x'] } }], false)).toEqual({
      ns: [],
      mode: 'updates',
      chunk: { plan: { notes: ['x'] } },
    });
  });

  it('refuses what is not a stream tuple', () => {
    expect(() => normalizeChunk({ mode: 'values' }, false)).toThrow('unexpected stream item: not a tuple');
  });
});
