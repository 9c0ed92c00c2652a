import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { AIMessage, AIMessageChunk, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph/web';
import { describe, expect, it } from 'vitest';
import { DemoEngine } from '../../../src/engines/demo';
import type { ChatEngine, ChatRequest, EngineChunk } from '../../../src/engines/types';
import { streamLLMResponse } from '../../../src/llm/streamLLMResponse';

/** Records custom events the way the worker's relay will see them. */
class CustomEventCollector extends BaseCallbackHandler {
  name = 'CustomEventCollector';
  events: { name: string; data: Record<string, unknown> }[] = [];
  override async handleCustomEvent(name: string, data: unknown) {
    this.events.push({ name, data: data as Record<string, unknown> });
  }
}

const AGENT = 'designer';
const NODE = 'design';

function graphWith(engine: ChatEngine, request: (signal?: AbortSignal) => ChatRequest) {
  return new StateGraph(MessagesAnnotation)
    .addNode(NODE, async (state: typeof MessagesAnnotation.State, config: RunnableConfig) => {
      const { id, content } = await streamLLMResponse(engine, request(config.signal), { agentName: AGENT, config });
      expect(state.messages.length).toBe(1);
      return { messages: [new AIMessage({ content, id })] };
    })
    .addEdge(START, NODE)
    .addEdge(NODE, END)
    .compile();
}

const userText = 'a blog with users, posts and comments';
/** What the demo engine answers (the request's own demo responder), and its tokens, by hand. */
const ANSWER = 'Users write posts. Each post has many comments, and each comment has one author.';
const ANSWER_TOKENS = [
  ...['Users', ' write', ' posts', '.', ' Each', ' post', ' has', ' many'],
  ...[' comments', ',', ' and', ' each', ' comment', ' has', ' one', ' author'],
  '.',
];
const baseRequest = (signal?: AbortSignal): ChatRequest => ({
  messages: [{ role: 'user', content: userText }],
  signal,
  demo: () => ANSWER,
});

describe('streamLLMResponse inside a LangGraph node', () => {
  it('delivers every token once in custom_token and in messages mode, under one id', async () => {
    const engine = new DemoEngine({ tokensPerSecond: 0 });
    const expected = ANSWER;
    const graph = graphWith(engine, baseRequest);
    const collector = new CustomEventCollector();
    const messageChunks: [BaseMessage, Record<string, unknown>][] = [];
    let finalValues: typeof MessagesAnnotation.State | undefined;
    const stream = await graph.stream(
      { messages: [new HumanMessage(userText)] },
      { streamMode: ['messages', 'custom', 'values'], callbacks: [collector] },
    );
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === 'messages') messageChunks.push(chunk as [BaseMessage, Record<string, unknown>]);
      if (mode === 'values') finalValues = chunk as typeof MessagesAnnotation.State;
    }

    const tokens = collector.events.filter((e) => e.name === 'custom_token').map((e) => e.data);
    const updates = collector.events.filter((e) => e.name === 'token_update').map((e) => e.data);
    const final = finalValues!.messages.at(-1)!;
    const id = final.id!;

    expect(tokens.map((t) => t.content)).toEqual(ANSWER_TOKENS);
    expect(tokens.every((t) => t.id === id && t.agentName === AGENT)).toBe(true);

    // No token lost or doubled in messages mode, and the node's returned AIMessage is not repeated.
    expect(messageChunks.length).toBe(tokens.length);
    expect(messageChunks.map(([m]) => m.content).join('')).toBe(expected);
    expect(messageChunks.map(([m]) => m.content)).toEqual(ANSWER_TOKENS);
    for (const [m, meta] of messageChunks) {
      expect(m).toBeInstanceOf(AIMessageChunk);
      expect(m.id).toBe(id);
      expect(meta.langgraph_node).toBe(NODE);
    }
    expect(final.content).toBe(expected);

    // token_update: the text so far after 8 and 16 tokens, then the complete text.
    expect(updates).toEqual([
      { content: 'Users write posts. Each post has many', partial: true, id },
      { content: 'Users write posts. Each post has many comments, and each comment has one author', partial: true, id },
      { content: ANSWER, partial: false, id },
    ]);
  });

  it('returns usage from the engine', async () => {
    const result = await streamLLMResponse(new DemoEngine({ tokensPerSecond: 0 }), baseRequest(), {
      agentName: AGENT,
      config: {},
    });
    expect(result.content).toBe(ANSWER);
    expect(result.usage).toMatchObject({ promptTokens: 8, completionTokens: 17, finishReason: 'stop' });
    expect(result.id).toMatch(/^msg-/);
  });

  it('dispatches partial updates at 8, 16, 32 ... tokens, so the text sent stays linear in the answer', async () => {
    const many: ChatEngine = {
      kind: 'demo',
      modelId: 'many',
      load: async () => {},
      unload: async () => {},
      async *stream(): AsyncGenerator<EngineChunk> {
        for (let i = 0; i < 1000; i++) yield { type: 'token', content: ` w${i}.` };
      },
    };
    const collector = new CustomEventCollector();
    await graphWith(many, baseRequest).invoke({ messages: [new HumanMessage('x')] }, { callbacks: [collector] });
    const updates = collector.events.filter((e) => e.name === 'token_update').map((e) => e.data);
    const final = updates.at(-1)!.content as string;
    const partialChars = updates.slice(0, -1).reduce((n, u) => n + (u.content as string).length, 0);
    expect(updates.slice(0, -1).map((u) => (u.content as string).split('.').length - 1)).toEqual([
      8, 16, 32, 64, 128, 256, 512,
    ]);
    expect(partialChars).toBeLessThan(2 * final.length);
  });

  it('dispatches the first partial update after 8 tokens even without sentence breaks', async () => {
    const words: ChatEngine = {
      kind: 'demo',
      modelId: 'words',
      load: async () => {},
      unload: async () => {},
      async *stream(): AsyncGenerator<EngineChunk> {
        for (let i = 0; i < 20; i++) yield { type: 'token', content: ` w${i}` };
      },
    };
    const collector = new CustomEventCollector();
    const graph = graphWith(words, baseRequest);
    await graph.invoke({ messages: [new HumanMessage('x')] }, { callbacks: [collector] });
    const updates = collector.events.filter((e) => e.name === 'token_update').map((e) => e.data);
    expect(updates.map((u) => u.partial)).toEqual([true, true, false]);
    expect((updates[0].content as string).trim().split(' ')).toHaveLength(8);
  });

  it('stops and rethrows AbortError when the run is aborted mid-stream', async () => {
    const engine = new DemoEngine({ tokensPerSecond: 200 });
    const long = (signal?: AbortSignal): ChatRequest => ({
      messages: [{ role: 'user', content: 'word '.repeat(500) }],
      signal,
    });
    const ctl = new AbortController();
    const collector = new CustomEventCollector();
    const graph = graphWith(engine, long);
    const run = (async () => {
      const stream = await graph.stream(
        { messages: [new HumanMessage('x')] },
        { streamMode: 'messages', callbacks: [collector], signal: ctl.signal },
      );
      for await (const _ of stream) {
        if (collector.events.length >= 5) ctl.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const count = collector.events.filter((e) => e.name === 'custom_token').length;
    expect(count).toBeGreaterThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 100));
    // Nothing more arrives after the abort: the engine stream was closed.
    expect(collector.events.filter((e) => e.name === 'custom_token').length).toBe(count);
    expect(collector.events.some((e) => e.name === 'token_update' && e.data.partial === false)).toBe(false);
  });

  it('rethrows AbortError from the helper itself, even with an engine that ignores the signal', async () => {
    const ctl = new AbortController();
    let closed = false;
    const deaf: ChatEngine = {
      kind: 'demo',
      modelId: 'deaf',
      load: async () => {},
      unload: async () => {},
      async *stream(): AsyncGenerator<EngineChunk> {
        try {
          for (let i = 0; ; i++) yield { type: 'token', content: `t${i} ` };
        } finally {
          closed = true;
        }
      },
    };
    let seen = 0;
    const collector = new CustomEventCollector();
    collector.handleCustomEvent = async () => {
      if (++seen === 3) ctl.abort();
    };
    const graph = graphWith(deaf, (signal) => ({ ...baseRequest(signal) }));
    await expect(
      graph.invoke({ messages: [new HumanMessage('x')] }, { callbacks: [collector], signal: ctl.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(closed).toBe(true);
  });
});
