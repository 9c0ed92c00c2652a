import { AIMessage, AIMessageChunk, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph/web';
import { beforeAll, describe, expect, it } from 'vitest';
import { DemoEngine } from '../../../../src/engines/demo';
import type { ChatEngine, ChatRequest } from '../../../../src/engines/types';
import { buildAssistantGraph, graph, tabgraph } from '../../../../src/graphs/assistant/graph';
import { sharedDdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { ENGINE_CONFIG_KEY } from '../../../../src/llm/engine';
import { ScriptedEngine } from '../../../support/engines';

// PGlite starts (initdb) on first use: seconds, more on a busy machine; not part of any test.
beforeAll(() => sharedDdlValidator().validate([]), 120_000);

type Chunk = [string[], string, unknown];
interface ToolEvent {
  event: string;
  toolCallId: string;
  name: string;
  input?: string;
  output?: ToolMessage;
  error?: Error;
}

const demo = () => new DemoEngine({ tokensPerSecond: 0 });

/** Runs the module's graph as a host would, with `engine`, and sorts what it streams by mode. */
async function run(input: Record<string, unknown>, engine: ChatEngine = demo(), g = graph, thread?: string) {
  const chunks: Chunk[] = [];
  const stream = await g.stream(input, {
    streamMode: ['messages', 'tools', 'updates', 'values'],
    subgraphs: true,
    configurable: { [ENGINE_CONFIG_KEY]: engine, ...(thread ? { thread_id: thread } : {}) },
  } as never);
  for await (const chunk of stream as AsyncIterable<Chunk>) chunks.push(chunk);
  const of = (mode: string) => chunks.filter(([, m]) => m === mode);
  const values = of('values').filter(([ns]) => ns.length === 0);
  return {
    tools: of('tools').map(([ns, , e]) => ({ ns, ...(e as ToolEvent) })),
    messages: of('messages').map(([ns, , c]) => ({ ns, message: (c as [BaseMessage])[0], meta: (c as unknown[])[1] })),
    updates: of('updates').map(([ns, , u]) => ({ ns, nodes: Object.keys(u as object) })),
    final: (values.at(-1)?.[2] as { messages: BaseMessage[] }).messages,
  };
}

/** The tool calls, as name, arguments and result, in the order the tools ran. */
function toolCalls(tools: ToolEvent[]) {
  const starts = tools.filter((t) => t.event === 'on_tool_start');
  return starts.map((s) => {
    const end = tools.find((t) => t.toolCallId === s.toolCallId && t.event !== 'on_tool_start');
    return {
      name: s.name,
      args: JSON.parse(s.input!),
      ...(end?.event === 'on_tool_end' ? { result: end.output!.content } : { error: end?.error?.message }),
    };
  });
}

describe('the assistant graph on the demo engine', () => {
  it('12 * (3 + 4): tokens in messages mode, calculator calls in tools mode, 84 in the answer', async () => {
    const { tools, messages, updates, final } = await run({ question: 'What is 12 * (3 + 4)?' });

    expect(toolCalls(tools)).toEqual([
      { name: 'calculator', args: { operation: 'add', a: 3, b: 4 }, result: '7' },
      { name: 'calculator', args: { operation: 'multiply', a: 12, b: 7 }, result: '84' },
    ]);
    // The tools run inside the agent subgraph, so their events carry its namespace.
    expect(tools.every((t) => t.ns.length === 1 && t.ns[0].startsWith('agent:'))).toBe(true);

    // Three model calls (add, multiply, answer), each under its own id: the calls as one chunk
    // each, the answer token by token.
    const ai = messages.filter((m) => m.message instanceof AIMessageChunk);
    const ids = [...new Set(ai.map((m) => m.message.id))];
    expect(ids).toHaveLength(3);
    expect(ai.filter((m) => m.message.id === ids[0])).toHaveLength(1);
    expect(ai.filter((m) => m.message.id === ids[2]).length).toBeGreaterThan(10);
    expect(ai.every((m) => (m.meta as { langgraph_node: string }).langgraph_node === 'agent')).toBe(true);
    const answer = ai
      .filter((m) => m.message.id === ids[2])
      .map((m) => m.message.content)
      .join('');
    expect(answer).toBe('12 × (3 + 4) = 84. Step by step: 3 + 4 = 7; 12 × 7 = 84.');
    const withCalls = ai.filter((m) => (m.message as AIMessageChunk).tool_call_chunks?.length);
    expect(withCalls.map((m) => (m.message as AIMessageChunk).tool_call_chunks![0].name)).toEqual([
      'calculator',
      'calculator',
    ]);

    expect(updates.filter((u) => u.ns.length === 0).map((u) => u.nodes)).toEqual([['ask'], ['agent']]);
    expect(updates.filter((u) => u.ns.length === 1).map((u) => u.nodes)).toEqual([
      ['agent'],
      ['tools'],
      ['agent'],
      ['tools'],
      ['agent'],
    ]);

    expect(final.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai', 'tool', 'ai']);
    expect(final[0].content).toBe('What is 12 * (3 + 4)?');
    expect(final.at(-1)!.content).toContain('84');
    const [first, second] = [final[1], final[3]] as AIMessage[];
    expect(first.tool_calls?.map((c) => c.args)).toEqual([{ operation: 'add', a: 3, b: 4 }]);
    expect(second.tool_calls?.map((c) => c.args)).toEqual([{ operation: 'multiply', a: 12, b: 7 }]);
    expect((final[2] as ToolMessage).tool_call_id).toBe(first.tool_calls![0].id);
  });

  it('a database question: list_tables on the sample blog, then an answer from its result', async () => {
    const { tools, final } = await run({ question: 'Which tables does a blog with users and posts have?' });
    expect(toolCalls(tools)).toEqual([
      {
        name: 'list_tables',
        args: {},
        result:
          '{"tables":[{"name":"comments","columns":5},{"name":"posts","columns":5,"comment":"Articles written by users."},{"name":"users","columns":4}]}',
      },
    ]);
    expect(final.at(-1)!.content).toBe(
      'The database has 3 tables: comments (5 columns), posts (5 columns), users (4 columns).',
    );
  });

  it("reads the input's database, and describes a table it names", async () => {
    const database = 'CREATE TABLE "authors" ("id" integer PRIMARY KEY, "name" text NOT NULL);';
    const { tools, final } = await run({ question: 'Describe the authors table', database });
    expect(toolCalls(tools).map((c) => [c.name, c.args])).toEqual([
      ['list_tables', {}],
      ['describe_table', { table: 'authors' }],
    ]);
    expect(final.at(-1)!.content).toBe(
      'authors has 2 columns: id integer not null, name text not null. Constraints: PRIMARY KEY (id).',
    );
  });

  it('division by zero: the tool error reaches tools mode and the model, which explains it', async () => {
    const { tools, final } = await run({ question: 'what is 1/0?' });
    expect(toolCalls(tools)).toEqual([
      { name: 'calculator', args: { operation: 'divide', a: 1, b: 0 }, error: 'Division by zero is undefined.' },
    ]);
    const toolMessage = final.find((m) => m.getType() === 'tool') as ToolMessage;
    expect(toolMessage.status).toBe('error');
    expect(toolMessage.content).toBe('Error: Division by zero is undefined.\n Please fix your mistakes.');
    expect(final.at(-1)!.content).toBe('I could not compute 1 ÷ 0: Division by zero is undefined.');
  });

  it('a follow-up question continues the thread', async () => {
    const g = buildAssistantGraph({ checkpointer: new MemorySaver() });
    await run({ question: 'What is 2 + 3?' }, demo(), g, 'thread-1');
    const second = await run({ question: 'And 10 * 4?' }, demo(), g, 'thread-1');
    expect(second.final.map((m) => m.getType())).toEqual(['human', 'ai', 'tool', 'ai', 'human', 'ai', 'tool', 'ai']);
    expect(second.final[3].content).toBe('2 + 3 = 5.');
    expect(second.final.at(-1)!.content).toBe('10 × 4 = 40.');
  });
});

describe('the assistant graph on another engine', () => {
  it('any engine that answers with the envelope drives the same loop; the model reads the tool results', async () => {
    const answers = [
      '{"tool_calls": [{"name": "calculator", "args": {"operation": "power", "a": 2, "b": 10}}]}',
      '{"content": "2 to the 10th is 1024."}',
    ];
    const requests: ChatRequest[] = [];
    const engine = new ScriptedEngine((req) => {
      requests.push(req);
      return answers[requests.length - 1];
    });
    const { tools, final } = await run({ question: 'What is 2 to the 10th?' }, engine);
    expect(toolCalls(tools)).toEqual([
      { name: 'calculator', args: { operation: 'power', a: 2, b: 10 }, result: '1024' },
    ]);
    expect(final.at(-1)!.content).toBe('2 to the 10th is 1024.');
    expect(requests).toHaveLength(2);
    expect(requests[0].jsonSchema).toBeDefined();
    expect(requests[0].messages[0].content).toContain('You are a helpful assistant');
    expect(requests[0].messages[0].content).toContain('- list_tables: Lists the tables of the database');
    expect(requests[1].messages.slice(1)).toEqual([
      { role: 'user', content: 'What is 2 to the 10th?' },
      {
        role: 'assistant',
        content: '{"tool_calls":[{"name":"calculator","args":{"operation":"power","a":2,"b":10}}]}',
      },
      { role: 'user', content: '{"tool_results":[{"name":"calculator","content":"1024"}]}' },
    ]);
  });

  it('bad model output does not crash the run: the answer says what went wrong', async () => {
    const engine = new ScriptedEngine(() => '{"tool_calls": [{"name": "calcul');
    const { tools, final } = await run({ question: 'What is 2 + 2?' }, engine);
    expect(tools).toEqual([]);
    expect(final.at(-1)!.content).toContain("The model's answer could not be used: the answer is not valid JSON");
  });

  it('the demo engine cutting its JSON answers in half: the run still ends, with the reason', async () => {
    const { final } = await run(
      { question: 'What is 2 + 2?' },
      new DemoEngine({ tokensPerSecond: 0, malformedAnswers: 1 }),
    );
    expect(final.at(-1)!.content).toContain("The model's answer could not be used");
  });
});

describe('the assistant module', () => {
  it('describes itself to Tabgraph and checks its input', () => {
    expect(tabgraph.title).toBe('Assistant: tools on the in-tab LLM');
    expect(tabgraph.example).toEqual({ question: 'What is 12 * (3 + 4)?' });
    expect(tabgraph.prepareInput!({ question: '  hi  ' })).toEqual({ question: 'hi' });
    expect(() => tabgraph.prepareInput!({ question: '   ' })).toThrow('Ask the assistant a question.');
  });
});
