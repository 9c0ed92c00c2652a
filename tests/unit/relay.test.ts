import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch/web';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { AIMessage, AIMessageChunk } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import { getCallbackManagerForConfig, type RunnableConfig } from '@langchain/core/runnables';
import { Annotation, END, MemorySaver, START, StateGraph } from '@langchain/langgraph/web';
// Test-only instrumentation: LangGraph's root stream class, to record what is pushed into it and when.
import * as pregelStream from '../../node_modules/@langchain/langgraph/dist/pregel/stream.js';
import type { StreamMode } from '../../src/protocol';
import { StreamRelay, type NormalizedChunk } from '../../src/worker/relay';

/**
 * The relay's order against ground truth: every push into LangGraph's root stream (the stream
 * `graph.stream` reads) and every custom event, logged synchronously as the graph makes them.
 */
const truth: string[] = [];
const { IterableReadableWritableStream } = pregelStream as unknown as {
  IterableReadableWritableStream: { prototype: object };
};
const proto = IterableReadableWritableStream.prototype as { push(chunk: unknown[]): void };
const originalPush = proto.push;
/** Streams made during the run, in order: the first one without a passthrough is the root. */
const streams: object[] = [];

beforeEach(() => {
  truth.length = 0;
  streams.length = 0;
  proto.push = function (this: { passthroughFn?: unknown }, chunk: unknown[]) {
    // The root stream is the first stream without a passthrough that is made for the run.
    if (!this.passthroughFn && !streams.includes(this)) streams.push(this);
    if (streams[0] === this) truth.push(label(chunk[1] as string, chunk[2]));
    return originalPush.call(this, chunk);
  };
});
afterEach(() => {
  proto.push = originalPush;
});

class TruthHandler extends BaseCallbackHandler {
  name = 'truth';
  override awaitHandlers = true;
  override handleCustomEvent(name: string): void {
    truth.push(`event:${name}`);
  }
}

function label(mode: string, chunk: unknown): string {
  if (mode === 'messages') return `messages:${String((chunk as [{ content: string }])[0].content)}`;
  if (mode === 'custom') return `custom:${JSON.stringify(chunk)}`;
  if (mode === 'updates') return `updates:${Object.keys(chunk as object).join(',')}`;
  return mode;
}

const S = Annotation.Root({ log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
type W = { writer?: (c: unknown) => void };

/** A graph that mixes every source: writer chunks, custom events, model tokens, a subgraph. */
function mixedGraph() {
  const sub = new StateGraph(S)
    .addNode('inner', async (_s, config: RunnableConfig) => {
      (config as W).writer?.({ w: 'sub' });
      await dispatchCustomEvent('sub_event', {}, config);
      return { log: ['inner'] };
    })
    .addEdge(START, 'inner')
    .addEdge('inner', END)
    .compile();
  return new StateGraph(S)
    .addNode('a', async (_s, config: RunnableConfig) => {
      await dispatchCustomEvent('first', {}, config);
      (config as W).writer?.({ w: 1 });
      const manager = await getCallbackManagerForConfig(config);
      const [run] = await manager!.handleChatModelStart(
        { lc: 1, type: 'not_implemented', id: ['test'] },
        [[]],
        undefined,
        undefined,
        {},
        undefined,
        undefined,
        'model',
      );
      for (const t of ['T1', 'T2', 'T3']) {
        await dispatchCustomEvent('token', { t }, config);
        await run.handleLLMNewToken(t, { prompt: 0, completion: 0 }, undefined, undefined, undefined, {
          chunk: new ChatGenerationChunk({ text: t, message: new AIMessageChunk({ content: t, id: 'm1' }) }),
        });
      }
      const message = new AIMessage({ content: 'T1T2T3', id: 'm1' });
      await run.handleLLMEnd({ generations: [[{ text: 'T1T2T3', message } as never]] });
      (config as W).writer?.({ w: 2 });
      await dispatchCustomEvent('last', {}, config);
      return { log: ['a'] };
    })
    .addNode('sub', sub)
    .addEdge(START, 'a')
    .addEdge('a', 'sub')
    .addEdge('sub', END)
    .compile({ checkpointer: new MemorySaver() });
}

async function relayed(modes: StreamMode[], subgraphs: boolean) {
  const out: string[] = [];
  const relay = new StreamRelay(modes, subgraphs, {
    chunk: (c: NormalizedChunk) => out.push(label(c.mode, c.chunk)),
    custom: (ev) => out.push(`event:${ev.name}`),
  });
  const { callbacks, writer, configurable } = relay.streamOptions();
  callbacks.addHandler(new TruthHandler(), true);
  const stream = await mixedGraph().stream({ log: [] }, {
    streamMode: modes,
    subgraphs,
    callbacks,
    ...(writer ? { writer } : {}),
    configurable: { thread_id: `t-${Math.random()}`, ...configurable },
  } as never);
  for await (const raw of stream) relay.onStreamItem(raw);
  relay.finish();
  return { out, ordered: relay.ordered };
}

/** What the relay must hand on: the root stream's pushes (writer chunks included) and the events, in order. */
const expected = (modes: StreamMode[]) =>
  truth.filter((t) => t.startsWith('event:') || modes.some((m) => t === m || t.startsWith(`${m}:`)));

describe('StreamRelay: true order without pausing the graph', () => {
  const cases: [StreamMode[], boolean][] = [
    [['values', 'updates', 'messages', 'custom'], true],
    [['values', 'updates', 'messages', 'custom'], false],
    [['messages', 'custom'], true],
    [['updates'], true],
    [['custom'], false],
    [['values', 'updates', 'messages', 'custom', 'tasks', 'checkpoints', 'debug'], true],
  ];
  for (const [modes, subgraphs] of cases) {
    it(`${modes.join('+')}${subgraphs ? ' with subgraphs' : ''}: every push and event, in the order made`, async () => {
      const { out, ordered } = await relayed(modes, subgraphs);
      // Writer chunks come to the relay's own writer, so the truth log sees them only through it.
      const want = expected(modes).filter((t) => !t.startsWith('custom:'));
      expect(out.filter((t) => !t.startsWith('custom:'))).toEqual(want);
      if (modes.includes('custom')) {
        // Each writer chunk sits between the same events as in the node: after `first`, before `last`.
        const at = (x: string) => out.indexOf(x);
        expect(at('custom:{"w":1}')).toBeGreaterThan(at('event:first'));
        expect(at('custom:{"w":1}')).toBeLessThan(at('event:token'));
        expect(at('custom:{"w":2}')).toBeGreaterThan(out.lastIndexOf('event:token'));
        expect(at('custom:{"w":2}')).toBeLessThan(at('event:last'));
        expect(at('custom:{"w":"sub"}')).toBeLessThan(at('event:sub_event'));
      }
      // The relay saw every push: no event waited for a macrotask.
      expect(ordered).toBe(true);
    });
  }

  it('tokens: each custom event comes after the messages chunk of the token before it', async () => {
    const { out } = await relayed(['messages'], false);
    const tokens = out.filter((t) => t === 'event:token' || /^messages:T\d$/.test(t));
    expect(tokens).toEqual(['event:token', 'messages:T1', 'event:token', 'messages:T2', 'event:token', 'messages:T3']);
  });
});
