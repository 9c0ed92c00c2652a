import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import {
  AIMessage,
  AIMessageChunk,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph/web';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DemoEngine } from '../../../src/engines/demo';
import type { ChatEngine, ChatRequest, EngineChunk } from '../../../src/engines/types';
import { EngineChatModel } from '../../../src/llm/chatModel';
import { EnvelopeDecoder } from '../../../src/llm/envelopeDecoder';
import { ENGINE_CONFIG_KEY, setEngineProvider } from '../../../src/llm/engine';
import { envelopeSchema, parseEnvelope, parseToolResults, toChatMessages } from '../../../src/llm/toolProtocol';

/** A stand-in engine: streams the given pieces, then a usage report; records every request. */
class PiecesEngine implements ChatEngine {
  readonly kind = 'demo' as const;
  readonly modelId = 'pieces';
  requests: ChatRequest[] = [];
  /** How many pieces the consumer has taken. */
  taken = 0;
  closed = false;
  constructor(
    private readonly pieces: string[],
    private readonly options: { ignoreSignal?: boolean; onPiece?: (i: number) => void } = {},
  ) {}
  async load(): Promise<void> {}
  async unload(): Promise<void> {}
  async *stream(request: ChatRequest): AsyncGenerator<EngineChunk> {
    this.requests.push(request);
    try {
      for (const [i, content] of this.pieces.entries()) {
        if (!this.options.ignoreSignal && request.signal?.aborted)
          throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        await Promise.resolve();
        this.taken++;
        yield { type: 'token', content };
        this.options.onPiece?.(i);
      }
      yield { type: 'usage', usage: { promptTokens: 10, completionTokens: this.pieces.length, finishReason: 'stop' } };
    } finally {
      this.closed = true;
    }
  }
}

/** Records what a LangChain callback consumer sees of a model run. */
class Recorder extends BaseCallbackHandler {
  name = 'Recorder';
  tokens: string[] = [];
  chunks: AIMessageChunk[] = [];
  custom: { name: string; data: Record<string, unknown> }[] = [];
  override awaitHandlers = true;
  override async handleLLMNewToken(
    token: string,
    _i: unknown,
    _r: string,
    _p?: string,
    _t?: string[],
    fields?: unknown,
  ) {
    this.tokens.push(token);
    const chunk = (fields as { chunk?: { message: AIMessageChunk } } | undefined)?.chunk;
    if (chunk) this.chunks.push(chunk.message);
  }
  override async handleCustomEvent(name: string, data: unknown) {
    this.custom.push({ name, data: data as Record<string, unknown> });
  }
}

const calculator = tool(async ({ a, b }) => String(a + b), {
  name: 'calculator',
  description: 'Adds two numbers.',
  schema: z.object({ operation: z.enum(['add', 'subtract']), a: z.number(), b: z.number() }),
});
const listTables = tool(async () => '{"tables":[]}', {
  name: 'list_tables',
  description: 'Lists the tables.',
  schema: z.object({}),
});

const CALL_JSON = '{"tool_calls": [{"name": "calculator", "args": {"operation": "add", "a": 3, "b": 4}}]}';
/** Cut at awkward places: inside keys, inside strings, between braces. */
const CALL_PIECES = [
  '{"tool_',
  'calls": [{"na',
  'me": "calcu',
  'lator", "args": {"operation": "ad',
  'd", "a": 3, "b": 4}',
  '}',
  ']}',
];

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

function modelOver(engine: ChatEngine, fields: ConstructorParameters<typeof EngineChatModel>[0] = {}) {
  return new EngineChatModel({ engine: () => engine, ...fields });
}

describe('EngineChatModel: plain text', () => {
  it('streams each engine token to handleLLMNewToken in order, and returns the whole message with usage', async () => {
    const engine = new PiecesEngine(['Hello', ' there', ',', ' friend.']);
    const recorder = new Recorder();
    const message = await modelOver(engine).invoke([new HumanMessage('hi')], { callbacks: [recorder] });
    expect(recorder.tokens).toEqual(['Hello', ' there', ',', ' friend.']);
    expect(message.content).toBe('Hello there, friend.');
    expect(message.usage_metadata).toMatchObject({ input_tokens: 10, output_tokens: 4, total_tokens: 14 });
    expect(message.response_metadata).toMatchObject({ finish_reason: 'stop', model_name: 'pieces' });
    expect(engine.requests[0].messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(engine.requests[0].jsonSchema).toBeUndefined();
  });

  it('model.stream() yields one chunk per token, then the usage chunk', async () => {
    const engine = new PiecesEngine(['A', 'B', 'C']);
    const chunks: string[] = [];
    for await (const chunk of await modelOver(engine).stream('x')) chunks.push(String(chunk.content));
    expect(chunks).toEqual(['A', 'B', 'C', '']);
  });

  it('asks the engine of the run (configurable) before the host provider', async () => {
    const mine = new PiecesEngine(['mine']);
    const host = new PiecesEngine(['host']);
    restore = setEngineProvider(() => host);
    const model = new EngineChatModel();
    expect((await model.invoke('q')).content).toBe('host');
    const config = { configurable: { [ENGINE_CONFIG_KEY]: mine } };
    expect((await model.invoke('q', config)).content).toBe('mine');
  });

  it("passes the graph's demo responder to the engine, so the demo engine answers with it", async () => {
    const demo = (req: ChatRequest) => `You asked: ${req.messages.at(-1)?.content}`;
    const message = await modelOver(new DemoEngine({ tokensPerSecond: 0 }), { demo }).invoke('what time is it?');
    expect(message.content).toBe('You asked: what time is it?');
  });

  it('dispatches the seed token events when it has an agent name: raw tokens, one id', async () => {
    const recorder = new Recorder();
    const engine = new PiecesEngine(['{"content": ', '"Hi"', '}']);
    await modelOver(engine, { agentName: 'helper' })
      .bindTools([calculator])
      .invoke('hi', { callbacks: [recorder] });
    const tokens = recorder.custom.filter((e) => e.name === 'custom_token').map((e) => e.data);
    expect(tokens.map((t) => t.content)).toEqual(['{"content": ', '"Hi"', '}']);
    expect(new Set(tokens.map((t) => t.agentName))).toEqual(new Set(['helper']));
    expect(new Set(tokens.map((t) => t.id)).size).toBe(1);
    expect(recorder.custom.filter((e) => e.name === 'token_update').at(-1)?.data).toMatchObject({
      content: '{"content": "Hi"}',
      partial: false,
    });
  });
});

describe('EngineChatModel: tools over JSON', () => {
  it('sends the tools as instructions and as a schema with one branch per tool', async () => {
    const engine = new PiecesEngine([CALL_JSON]);
    await modelOver(engine)
      .bindTools([calculator, listTables])
      .invoke([new SystemMessage('Be brief.'), new HumanMessage('3+4?')]);
    const request = engine.requests[0];
    expect(request.messages[0].role).toBe('system');
    expect(request.messages[0].content.startsWith('Be brief.\n\n')).toBe(true);
    expect(request.messages[0].content).toContain('- calculator: Adds two numbers.');
    expect(request.messages[0].content).toContain('"operation": one of "add", "subtract"');
    expect(request.messages[1]).toEqual({ role: 'user', content: '3+4?' });
    const item = (name: string, args: unknown, description: string) => ({
      type: 'object',
      description,
      properties: { name: { type: 'string', enum: [name] }, args },
      required: ['name', 'args'],
      additionalProperties: false,
    });
    expect(request.jsonSchema).toEqual({
      anyOf: [
        {
          type: 'object',
          properties: {
            tool_calls: {
              type: 'array',
              minItems: 1,
              items: {
                anyOf: [
                  item(
                    'calculator',
                    {
                      type: 'object',
                      properties: {
                        operation: { type: 'string', enum: ['add', 'subtract'] },
                        a: { type: 'number' },
                        b: { type: 'number' },
                      },
                      required: ['operation', 'a', 'b'],
                      additionalProperties: false,
                    },
                    'Adds two numbers.',
                  ),
                  item(
                    'list_tables',
                    { type: 'object', properties: {}, additionalProperties: false },
                    'Lists the tables.',
                  ),
                ],
              },
            },
          },
          required: ['tool_calls'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: { content: { type: 'string', description: 'Your answer to the user.' } },
          required: ['content'],
          additionalProperties: false,
        },
      ],
    });
  });

  it('tool_choice "any" or a tool name leaves only the tool-call branch', () => {
    const spec = { name: 't', description: '', parameters: { type: 'object', properties: {} } };
    expect(Object.keys((envelopeSchema([spec], 'any').properties as object) ?? {})).toEqual(['tool_calls']);
    expect(envelopeSchema([spec], 'none')).toMatchObject({ required: ['content'] });
    expect(() => envelopeSchema([spec], 'other')).toThrow(/not among the bound tools/);
  });

  it('turns a JSON answer into tool_calls with generated ids; the call arrives whole when its object closes', async () => {
    const recorder = new Recorder();
    const seenAfterPiece: number[] = [];
    const engine = new PiecesEngine(CALL_PIECES, { onPiece: () => seenAfterPiece.push(recorder.chunks.length) });
    const message = (await modelOver(engine)
      .bindTools([calculator])
      .invoke('3+4?', { callbacks: [recorder] })) as AIMessage;
    expect(message.content).toBe('');
    expect(message.tool_calls).toHaveLength(1);
    expect(message.tool_calls![0]).toMatchObject({ name: 'calculator', args: { operation: 'add', a: 3, b: 4 } });
    expect(message.tool_calls![0].id).toMatch(/^call_[0-9a-f-]{36}$/);
    // JSON scaffolding and half-written arguments give no chunk; the token that closes the call's
    // object (the sixth: `}` after the args) gives one, holding the whole call.
    expect(seenAfterPiece).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(recorder.chunks).toHaveLength(1);
    expect(recorder.chunks[0].content).toBe('');
    expect(recorder.chunks[0].tool_call_chunks![0]).toMatchObject({
      name: 'calculator',
      args: '{"operation":"add","a":3,"b":4}',
      index: 0,
    });
  });

  it('several calls in one answer arrive one by one, in order', async () => {
    const json =
      '{"tool_calls":[{"name":"calculator","args":{"operation":"add","a":1,"b":2}},{"name":"list_tables","args":{}}]}';
    const pieces = json.match(/.{1,5}/g)!;
    const message = (await modelOver(new PiecesEngine(pieces))
      .bindTools([calculator, listTables])
      .invoke('x')) as AIMessage;
    expect(message.tool_calls!.map((c) => [c.name, c.args])).toEqual([
      ['calculator', { operation: 'add', a: 1, b: 2 }],
      ['list_tables', {}],
    ]);
    expect(new Set(message.tool_calls!.map((c) => c.id)).size).toBe(2);
  });

  it('streams the text of a content answer as it is written, escapes decoded', async () => {
    const recorder = new Recorder();
    // "Done \u00e9" is cut inside the escape; \" and \n too.
    const pieces = ['{"cont', 'ent": "The answer is \\', '"84\\".\\', 'nDone \\u0', '0e9', '"}'];
    const message = await modelOver(new PiecesEngine(pieces))
      .bindTools([calculator])
      .invoke('x', { callbacks: [recorder] });
    expect(message.content).toBe('The answer is "84".\nDone é');
    expect(recorder.tokens).toEqual(['The answer is ', '"84".', '\nDone ', 'é']);
    expect((message as AIMessage).tool_calls ?? []).toEqual([]);
  });

  it('a chunked messages stream concatenates to exactly the returned message', async () => {
    const recorder = new Recorder();
    const model = modelOver(new PiecesEngine(CALL_PIECES)).bindTools([calculator]);
    const message = (await model.invoke('x', { callbacks: [recorder] })) as AIMessage;
    const joined = recorder.chunks.reduce((a, b) => a.concat(b));
    expect(joined.content).toBe(message.content);
    expect(joined.tool_calls).toEqual(message.tool_calls);
  });

  it('malformed JSON never throws: nothing usable gives a message that says why', async () => {
    const message = (await modelOver(new PiecesEngine(['{"tool_calls": [{"name": "calcu', 'lator", "args": {"a']))
      .bindTools([calculator])
      .invoke('x')) as AIMessage;
    expect(message.tool_calls ?? []).toEqual([]);
    expect(message.content).toContain("The model's answer could not be used: the answer is not valid JSON");
    expect(message.content).toContain('It began: {"tool_calls": [{"name": "calculator", "args": {"a');
    expect(message.response_metadata.output_error).toMatch(/^the answer is not valid JSON/);
  });

  it('a cut-off answer keeps what was complete: the text so far, the closed calls', async () => {
    const text = (await modelOver(new PiecesEngine(['{"content": "The answer is 8']))
      .bindTools([calculator])
      .invoke('x')) as AIMessage;
    expect(text.content).toBe('The answer is 8');
    expect(text.response_metadata.output_error).toMatch(/not valid JSON/);
    const calls = (await modelOver(
      new PiecesEngine([
        '{"tool_calls": [{"name": "calculator", "args": {"operation": "add", "a": 1, "b": 2}}, {"name": "calc',
      ]),
    )
      .bindTools([calculator])
      .invoke('x')) as AIMessage;
    expect(calls.tool_calls!.map((c) => c.args)).toEqual([{ operation: 'add', a: 1, b: 2 }]);
    expect(calls.content).toBe('');
  });

  it('a call item without a name lands in invalid_tool_calls, and the message says so', async () => {
    const message = (await modelOver(new PiecesEngine(['{"tool_calls": [{"args": {"a": 1}}]}']))
      .bindTools([calculator])
      .invoke('x')) as AIMessage;
    expect(message.tool_calls ?? []).toEqual([]);
    expect(message.invalid_tool_calls).toHaveLength(1);
    expect(message.invalid_tool_calls![0].args).toBe('{"args": {"a": 1}}');
    expect(message.content).toContain('1 tool call(s) could not be read');
  });

  it('valid JSON of another shape is reported, and prose (a model that ignores the schema) is the answer', async () => {
    const other = await modelOver(new PiecesEngine(['{"answer": "8"}']))
      .bindTools([calculator])
      .invoke('x');
    expect(other.content).toContain('the answer is JSON but has neither "content" nor "tool_calls"');
    const prose = await modelOver(new PiecesEngine(['  It is', ' 84.']))
      .bindTools([calculator])
      .invoke('x');
    expect(prose.content).toBe('It is 84.');
    expect(prose.response_metadata.output_error).toBeUndefined();
  });
});

describe('EngineChatModel: abort', () => {
  it("stops at the run's signal with an AbortError and closes the engine stream, even when the engine ignores it", async () => {
    const controller = new AbortController();
    const engine = new PiecesEngine(['a', 'b', 'c', 'd', 'e', 'f'], {
      ignoreSignal: true,
      onPiece: (i) => i === 1 && controller.abort(),
    });
    const recorder = new Recorder();
    await expect(
      modelOver(engine).invoke('x', { signal: controller.signal, callbacks: [recorder] }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    // The engine made a third token before it was closed; nothing after the abort was passed on.
    expect(recorder.tokens).toEqual(['a', 'b']);
    expect(engine.taken).toBe(3);
    expect(engine.closed).toBe(true);
  });

  it('an engine that honours the signal ends the call with its AbortError', async () => {
    const controller = new AbortController();
    const engine = new PiecesEngine(['a', 'b', 'c'], { onPiece: () => controller.abort() });
    await expect(modelOver(engine).invoke('x', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('the conversation as the engine reads it', () => {
  it('merges system messages, writes tool calls as envelopes and tool results as one user turn', () => {
    const messages: BaseMessage[] = [
      new SystemMessage('You help.'),
      new HumanMessage('What is 12 * (3 + 4)?'),
      new AIMessage({
        content: '',
        tool_calls: [
          { id: 'c1', name: 'calculator', args: { operation: 'add', a: 3, b: 4 } },
          { id: 'c2', name: 'list_tables', args: {} },
        ],
      }),
      new ToolMessage({ content: '7', tool_call_id: 'c1', name: 'calculator' }),
      new ToolMessage({ content: '{"tables":[]}', tool_call_id: 'c2', name: 'list_tables' }),
      new AIMessage('84'),
    ];
    expect(toChatMessages(messages, { instructions: 'Reply with JSON.', envelopes: true })).toEqual([
      { role: 'system', content: 'You help.\n\nReply with JSON.' },
      { role: 'user', content: 'What is 12 * (3 + 4)?' },
      {
        role: 'assistant',
        content:
          '{"tool_calls":[{"name":"calculator","args":{"operation":"add","a":3,"b":4}},{"name":"list_tables","args":{}}]}',
      },
      {
        role: 'user',
        content:
          '{"tool_results":[{"name":"calculator","content":"7"},{"name":"list_tables","content":"{\\"tables\\":[]}"}]}',
      },
      { role: 'assistant', content: '{"content":"84"}' },
    ]);
    expect(toChatMessages([new AIMessage('84')])).toEqual([{ role: 'assistant', content: '84' }]);
  });

  it('parses envelopes and tool results back (what demo responders read)', () => {
    expect(parseEnvelope('{"tool_calls":[{"name":"calculator","args":{"a":1}}]}')).toEqual({
      tool_calls: [{ name: 'calculator', args: { a: 1 } }],
    });
    expect(parseEnvelope('{"content":"hi"}')).toEqual({ content: 'hi' });
    expect(parseEnvelope('{"tool_calls":[{"args":{}}]}')).toBeNull();
    expect(parseEnvelope('hello')).toBeNull();
    expect(parseToolResults('{"tool_results":[{"name":"calculator","content":"7"}]}')).toEqual([
      { name: 'calculator', content: '7' },
    ]);
    expect(parseToolResults('What is 2 + 2?')).toBeNull();
  });

  it('the decoder ignores "content" keys nested inside tool arguments', () => {
    const decoder = new EnvelopeDecoder();
    const delta = decoder.push('{"tool_calls":[{"name":"note","args":{"content":"not the answer"}}]}');
    expect(delta.content).toBe('');
    expect(delta.calls).toEqual([{ ok: true, index: 0, call: { name: 'note', args: { content: 'not the answer' } } }]);
  });
});

describe('EngineChatModel in a LangGraph node', () => {
  it('messages mode shows each token of the text under the node, and the returned message once', async () => {
    const pieces = ['{"content": "', 'Seven', ' is', ' the', ' sum', '."}'];
    const model = modelOver(new PiecesEngine(pieces)).bindTools([calculator]);
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('agent', async (state: typeof MessagesAnnotation.State, config: RunnableConfig) => ({
        messages: [await model.invoke(state.messages, config)],
      }))
      .addEdge(START, 'agent')
      .addEdge('agent', END)
      .compile();
    const seen: [BaseMessage, Record<string, unknown>][] = [];
    for await (const [m, meta] of await graph.stream(
      { messages: [new HumanMessage('3+4?')] },
      { streamMode: 'messages' },
    ))
      seen.push([m, meta]);
    const ai = seen.filter(([m]) => m.getType() === 'ai');
    expect(ai.map(([m]) => m.content)).toEqual(['Seven', ' is', ' the', ' sum', '.']);
    expect(ai.every(([m]) => m instanceof AIMessageChunk)).toBe(true);
    expect(new Set(ai.map(([m]) => m.id)).size).toBe(1);
    expect(ai.every(([, meta]) => meta.langgraph_node === 'agent')).toBe(true);
  });
});
