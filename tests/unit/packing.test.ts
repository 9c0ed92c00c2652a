import { describe, expect, it } from 'vitest';
import { readBatch } from '../../src/client/client';
import type { Endpoint, EventBatch, WorkerEvent } from '../../src/protocol';
import { MAX_TEMPLATES, packBatch } from '../../src/shared/packing';
import { DemoEngine } from '../../src/engines/demo';
import { EventEmitter } from '../../src/worker/emitter';
import { serve } from '../../src/worker/host';
import { fixedEngineManager } from '../support/engines';
import { demoEntry } from '../support/graphs';
import { until } from '../support/until';

/** What a batch looks like on the page: structured-cloned, as postMessage delivers it. */
const overTheWire = (batch: EventBatch) => readBatch(structuredClone(batch));

const META = {
  langgraph_node: 'write',
  langgraph_step: 2,
  langgraph_triggers: ['branch:to:write'],
  checkpoint_ns: 'write:1',
  tags: [],
};
const NS: string[] = [];

const token = (seq: number, content: string, id = 'm1'): WorkerEvent => ({
  type: 'custom',
  runId: 'r',
  name: 'custom_token',
  ns: NS,
  node: 'write',
  data: { content, id, agentName: 'writer' },
  seq,
  ts: 1000 + seq / 8,
});
const chunk = (seq: number, content: string, id = 'm1', meta: object = META): WorkerEvent => ({
  type: 'stream',
  runId: 'r',
  mode: 'messages',
  ns: NS,
  chunk: [{ type: 'ai', content, id, chunk: true }, meta],
  seq,
  ts: 1000 + seq / 8,
});

describe('packed token events', () => {
  it('cross the wire as texts against a template and come back equal, in order, with the rest as it was', () => {
    const started: WorkerEvent = {
      type: 'run.started',
      runId: 'r',
      graph: 'demo',
      streamModes: ['messages', 'custom'],
      subgraphs: false,
      seq: 1,
      ts: 1000,
    };
    const update: WorkerEvent = {
      type: 'custom',
      runId: 'r',
      name: 'token_update',
      ns: NS,
      node: 'write',
      data: { content: 'Hello', partial: true, id: 'm1' },
      seq: 6,
      ts: 1001,
    };
    // A chunk with an array field (tool call chunks) is not flat: it goes as it is.
    const toolChunk: WorkerEvent = {
      type: 'stream',
      runId: 'r',
      mode: 'messages',
      ns: NS,
      chunk: [{ type: 'ai', content: '', id: 'm1', tool_call_chunks: [{ name: 'add' }] }, META],
      seq: 9,
      ts: 1002,
    };
    const events = [
      started,
      chunk(2, 'Hel'),
      token(3, 'Hel'),
      chunk(4, 'lo'),
      token(5, 'lo'),
      update,
      token(7, ' again', 'm2'),
      chunk(8, ' again', 'm2'),
      toolChunk,
      { type: 'run.completed', runId: 'r', seq: 10, ts: 1003 } as WorkerEvent,
    ];
    const batch = packBatch(events);
    expect(batch.events.map((e) => e.seq)).toEqual([1, 6, 9, 10]);
    expect(batch.packed?.contents).toEqual(['Hel', 'Hel', 'lo', 'lo', ' again', ' again']);
    // One template per stream and kind: m1's chunk, m1's token, m2's token, m2's chunk.
    expect(batch.packed?.templates).toHaveLength(4);
    expect([...batch.packed!.order]).toEqual([-1, 0, 1, 0, 1, -1, 2, 3, -1, -1]);

    const back = overTheWire(batch);
    expect(back).toEqual(events);
    // Key order too (what a JSON export or a recording shows).
    expect(back.map((e) => JSON.stringify(e))).toEqual(events.map((e) => JSON.stringify(e)));
  });

  it('leaves a batch without token events in the plain form', () => {
    const events: WorkerEvent[] = [{ type: 'run.completed', runId: 'r', seq: 1, ts: 1 }];
    expect(packBatch(events)).toEqual({ kind: 'batch', events });
  });

  it('packs a token only against a template that differs in nothing but its text', () => {
    const otherMeta = { ...META, langgraph_step: 3 };
    const otherNode: WorkerEvent = { ...token(3, 'b'), node: 'review' } as WorkerEvent;
    const events = [token(1, 'a'), chunk(2, 'a'), otherNode, chunk(4, 'b', 'm1', otherMeta), token(5, 'c')];
    const batch = packBatch(events);
    expect(batch.packed?.templates).toHaveLength(4);
    expect([...batch.packed!.order]).toEqual([0, 1, 2, 3, 0]);
    expect(overTheWire(batch)).toEqual(events);
  });

  it(`keeps at most ${MAX_TEMPLATES} templates per batch; tokens of further streams go unpacked`, () => {
    const events = Array.from({ length: 20 }, (_, i) => token(i + 1, `t${i}`, `m${i}`));
    const batch = packBatch(events);
    expect(batch.packed?.templates).toHaveLength(16);
    expect(batch.events.map((e) => e.seq)).toEqual([17, 18, 19, 20]);
    expect(overTheWire(batch)).toEqual(events);
  });

  it('a malformed packed part is refused with a clear error; the plain events still arrive', () => {
    const good = packBatch([
      {
        type: 'run.started',
        runId: 'r',
        graph: 'demo',
        streamModes: ['custom'],
        subgraphs: false,
        seq: 1,
        ts: 1,
      } as WorkerEvent,
      token(2, 'a'),
      token(3, 'b'),
    ]);
    const errorsOf = (events: WorkerEvent[]) =>
      events.flatMap((e) => (e.type === 'error' ? [`${e.context}: ${e.error.message}`] : []));

    const badIndex = structuredClone(good);
    badIndex.packed!.order[1] = 5;
    expect(errorsOf(readBatch(badIndex))).toEqual(['message: event batch: packed.order has a bad template index 5']);

    const short = structuredClone(good);
    short.packed!.contents.pop();
    expect(errorsOf(readBatch(short))).toEqual([
      'message: event batch: packed.contents, seq and ts must have one entry per packed event',
    ]);

    const notText = structuredClone(good);
    (notText.packed!.contents as unknown[])[1] = 7;
    const back = readBatch(notText);
    expect(back.map((e) => e.type)).toEqual(['run.started', 'custom', 'error']);
    expect(errorsOf(back)).toEqual(['packed: a packed event needs a string text and finite seq and ts']);

    const nan = structuredClone(good);
    nan.packed!.ts[0] = NaN;
    expect(readBatch(nan).map((e) => e.type)).toEqual(['run.started', 'error', 'custom']);

    const notToken = structuredClone(good);
    notToken.packed!.templates[0] = { type: 'run.completed', runId: 'r', seq: 0, ts: 0 } as WorkerEvent;
    const refused = readBatch(notToken);
    expect(refused.map((e) => e.type)).toEqual(['run.started', 'error']);
    expect(errorsOf(refused)).toEqual(['packed: a template is not a token event']);

    const badTemplate = structuredClone(good);
    (badTemplate.packed!.templates[0] as { runId: unknown }).runId = 42;
    expect(errorsOf(readBatch(badTemplate))).toEqual(['packed: custom: bad runId']);

    const plainOrder = structuredClone(good) as unknown as { packed: { order: number[] } };
    plainOrder.packed.order = [-1, 0, 0];
    expect(errorsOf(readBatch(plainOrder))).toEqual(['message: event batch: packed.order must be an Int8Array']);
  });

  it('the worker host posts token events packed; the page reads back every token in order', async () => {
    const channel = new MessageChannel();
    const raw: EventBatch[] = [];
    channel.port2.onmessage = (ev: MessageEvent) => raw.push(ev.data as EventBatch);
    const host = serve(channel.port1 as unknown as Endpoint, {
      graphs: [demoEntry],
      engines: fixedEngineManager(new DemoEngine({ tokensPerSecond: 0, minTokens: 200 })),
    });
    try {
      channel.port2.postMessage({
        type: 'run',
        runId: 'r1',
        graph: 'demo',
        input: { topic: 'packing' },
        streamModes: ['messages', 'custom'],
        subgraphs: false,
      });
      await until(() => raw.flatMap((b) => readBatch(b)).some((e) => e.type === 'run.completed'));
      expect(raw.some((b) => (b.packed?.contents.length ?? 0) > 0)).toBe(true);
      const events = raw.flatMap((b) => readBatch(b)).filter((e) => e.runId === 'r1');
      expect(events.filter((e) => e.type === 'error')).toEqual([]);
      expect(events.map((e) => e.seq)).toEqual(events.map((e) => e.seq).sort((a, b) => a - b));
      const tokens = events.flatMap((e) =>
        e.type === 'custom' && e.name === 'custom_token' ? [(e.data as { content: string }).content] : [],
      );
      const chunks = events.flatMap((e) =>
        e.type === 'stream' && e.mode === 'messages' ? [(e.chunk as [{ content: string }])[0].content] : [],
      );
      // The demo engine repeats its answer until it is 200 tokens long.
      expect(tokens.length).toBeGreaterThanOrEqual(200);
      expect(tokens.join('')).toContain('This is the offline demo engine, without an LLM. You said: packing');
      // Every token's messages chunk carries the same text.
      expect(chunks.join('')).toContain(tokens.join(''));
    } finally {
      host.close();
      channel.port1.close();
      channel.port2.close();
    }
  });

  it('the emitter itself hands on plain events (the server transport uses it in the page)', () => {
    const posts: EventBatch[] = [];
    const em = new EventEmitter((b) => posts.push(b), { intervalMs: 50, maxEvents: 100 });
    const data = (content: string) => ({ content, id: 'm1', agentName: 'writer' });
    for (const t of ['a', 'b'])
      em.emit({ type: 'custom', runId: 'r', name: 'custom_token', ns: NS, node: 'write', data: data(t) });
    em.flush();
    em.close();
    expect(posts).toHaveLength(1);
    expect(posts[0].packed).toBeUndefined();
    expect(posts[0].events.map((e) => (e.type === 'custom' ? (e.data as { content: string }).content : ''))).toEqual([
      'a',
      'b',
    ]);
  });
});
