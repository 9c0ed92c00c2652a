import { describe, expect, it } from 'vitest';
import { chatMessages, chatRole, contentText, jsonText, toChatMessage } from '../../../src/ui/threads/threadView';

describe('chatRole', () => {
  it('maps every spelling of a role', () => {
    expect(['human', 'user', 'HumanMessage', 'HumanMessageChunk'].map(chatRole)).toEqual([
      'user',
      'user',
      'user',
      'user',
    ]);
    expect(['ai', 'assistant', 'AIMessage', 'AIMessageChunk', 'AI'].map(chatRole)).toEqual([
      'assistant',
      'assistant',
      'assistant',
      'assistant',
      'assistant',
    ]);
    expect(['tool', 'ToolMessage', 'function'].map(chatRole)).toEqual(['tool', 'tool', 'tool']);
    expect(['system', 'SystemMessage', 'developer'].map(chatRole)).toEqual(['system', 'system', 'system']);
    expect(['generic', 'ChatMessage', 'remove'].map(chatRole)).toEqual(['other', 'other', 'other']);
  });
});

describe('contentText and jsonText', () => {
  it('joins text parts and names the others', () => {
    expect(contentText('plain')).toBe('plain');
    expect(contentText([{ type: 'text', text: 'Look: ' }, { type: 'image_url', image_url: 'x' }, 'done'])).toBe(
      'Look: [image_url]done',
    );
    expect(contentText(undefined)).toBe('');
    expect(contentText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });

  it('never throws and stays bounded', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(jsonText(cyc)).toBe('[object Object]');
    expect(jsonText({ n: 5n })).toBe('{\n  "n": "5n"\n}');
    expect(jsonText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('toChatMessage', () => {
  it('reads the plain form toPlain gives, with tool calls', () => {
    expect(
      toChatMessage({
        type: 'ai',
        id: 'm2',
        name: 'designer',
        content: '',
        tool_calls: [{ id: 'c1', name: 'apply_ops', args: { ops: [{ op: 'create_table', table: 'users' }] } }],
      }),
    ).toEqual({
      id: 'm2',
      role: 'assistant',
      type: 'ai',
      name: 'designer',
      text: '',
      toolCalls: [
        {
          id: 'c1',
          name: 'apply_ops',
          args: '{\n  "ops": [\n    {\n      "op": "create_table",\n      "table": "users"\n    }\n  ]\n}',
        },
      ],
    });
  });

  it('reads LangChain serialized messages and role/content objects', () => {
    expect(
      toChatMessage({
        lc: 1,
        type: 'constructor',
        id: ['langchain_core', 'messages', 'ToolMessage'],
        kwargs: { content: 'ok', tool_call_id: 'c1', id: 't1' },
      }),
    ).toEqual({ id: 't1', role: 'tool', type: 'ToolMessage', text: 'ok', toolCalls: [], toolCallId: 'c1' });
    expect(toChatMessage({ role: 'user', content: 'hi' })).toEqual({
      role: 'user',
      type: 'user',
      text: 'hi',
      toolCalls: [],
    });
  });

  it('reads OpenAI-style tool calls left in additional_kwargs', () => {
    const m = toChatMessage({
      type: 'ai',
      content: 'x',
      additional_kwargs: { tool_calls: [{ id: 'c9', function: { name: 'search', arguments: '{"q":"pg"}' } }] },
    });
    expect(m?.toolCalls).toEqual([{ id: 'c9', name: 'search', args: '{"q":"pg"}' }]);
  });

  it('refuses what is not a message', () => {
    expect([null, 'text', 3, [], { content: 'no type' }, { type: 'ai' }].map(toChatMessage)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('chatMessages', () => {
  const values = {
    messages: [
      { type: 'human', id: 'u1', content: '<img src=x onerror=alert(1)>' },
      { type: 'ai', id: 'a1', content: 'Calling', tool_calls: [{ id: 'c1', name: 'lookup', args: { q: 'x' } }] },
      { type: 'tool', id: 't1', content: 'found', tool_call_id: 'c1' },
      'not a message',
    ],
  };

  it('keeps the state messages in order, text untouched, tool messages named after their call', () => {
    const chat = chatMessages(values);
    expect(chat.map((m) => [m.key, m.role, m.text, m.name ?? '', m.live])).toEqual([
      ['u1', 'user', '<img src=x onerror=alert(1)>', '', false],
      ['a1', 'assistant', 'Calling', '', false],
      ['t1', 'tool', 'found', 'lookup', false],
    ]);
    expect(chatMessages(null)).toEqual([]);
    expect(chatMessages({ messages: 'nope' })).toEqual([]);
  });

  it('adds streamed messages the state does not hold yet, once', () => {
    const live = [
      { id: 'a1', type: 'ai', content: 'Call', ns: [] },
      { id: 'anon-3', type: 'human', content: '<img src=x onerror=alert(1)>', ns: [] },
      { id: 'a2', type: 'ai', content: 'Streaming **now**', node: 'write', ns: [] },
    ];
    const chat = chatMessages(values, live);
    expect(chat.map((m) => [m.key, m.role, m.text, m.live, m.node ?? ''])).toEqual([
      ['u1', 'user', '<img src=x onerror=alert(1)>', false, ''],
      ['a1', 'assistant', 'Calling', false, ''],
      ['t1', 'tool', 'found', false, ''],
      ['a2', 'assistant', 'Streaming **now**', true, 'write'],
    ]);
  });

  it('gives messages without ids, or with repeated ids, distinct keys', () => {
    const chat = chatMessages({
      messages: [
        { type: 'human', content: 'a' },
        { type: 'ai', id: 'same', content: 'b' },
        { type: 'ai', id: 'same', content: 'c' },
      ],
    });
    expect(chat.map((m) => m.key)).toEqual(['#0', 'same', 'same#2']);
  });
});
