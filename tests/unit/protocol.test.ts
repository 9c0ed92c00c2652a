import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client';
import { EVENTS, REPLY_EVENTS, TERMINAL_EVENTS, type WorkerEvent } from '../../src/protocol';
import { RUN_CASES } from '../../src/client/reducer';
import { parseBatch, parseCommand, parseEvent } from '../../src/shared/validate';
import { deserializeError, serializeError } from '../../src/shared/errors';
import { toPlain } from '../../src/shared/plain';
import { EventEmitter } from '../../src/worker/emitter';
import { AIMessage, AIMessageChunk } from '@langchain/core/messages';

describe('command validation', () => {
  it('accepts a well-formed run', () => {
    const r = parseCommand({
      type: 'run',
      runId: 'r1',
      graph: 'demo',
      input: { topic: 'x' },
      streamModes: ['values'],
      subgraphs: false,
    });
    expect(r.ok).toBe(true);
  });
  it.each([
    [null, 'command must be an object, got null'],
    [[1], 'command must be an object, got an array'],
    [{ type: 'nope' }, 'unknown command type "nope"'],
    [{ type: 'run', runId: '', graph: 'demo', input: {}, streamModes: ['values'], subgraphs: false }, 'runId'],
    [
      // Any well-formed id passes here (the worker refuses ids langgraph.json lacks); a malformed one does not.
      { type: 'run', runId: 'r', graph: 'no such graph!', input: {}, streamModes: ['values'], subgraphs: false },
      'bad graph id "no such graph!"',
    ],
    [{ type: 'run', runId: 'r', graph: 'demo', input: {}, streamModes: [], subgraphs: false }, 'non-empty array'],
    [
      { type: 'run', runId: 'r', graph: 'demo', input: {}, streamModes: ['values'], subgraphs: 'yes' },
      'subgraphs must be a boolean',
    ],
    [
      { type: 'run', runId: 'r', graph: 'demo', input: 'x'.repeat(200_000), streamModes: ['values'], subgraphs: false },
      'larger than the limit',
    ],
    [{ type: 'cancel' }, 'cancel: runId'],
    [{ type: 'engine.select', requestId: 'q', selection: { kind: 'gpt' } }, 'unknown engine "gpt"'],
    [
      { type: 'engine.select', requestId: 'q', selection: { kind: 'demo', demo: { tokensPerSecond: -1 } } },
      'tokensPerSecond',
    ],
    [{ type: 'resume', runId: 'r', graph: 'schema', streamModes: ['values'], subgraphs: false }, 'threadId'],
  ])('refuses %j with a clear reason', (msg, reason) => {
    const r = parseCommand(msg);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(reason);
  });
});

describe('event validation', () => {
  const base = { seq: 1, ts: 1, runId: 'r' };
  it('accepts known events and refuses unknown or malformed ones', () => {
    expect(parseEvent({ ...base, type: 'stream', mode: 'values', ns: [], chunk: {} }).ok).toBe(true);
    expect(parseEvent({ ...base, type: 'stream', mode: 'bogus', ns: [], chunk: {} }).ok).toBe(false);
    expect(parseEvent({ ...base, type: 'wat' }).ok).toBe(false);
    expect(parseEvent({ ...base, type: 'run.failed' }).ok).toBe(false);
    expect(parseEvent({ ...base, runId: null, type: 'stream', mode: 'values', ns: [], chunk: {} }).ok).toBe(false);
    expect(parseEvent({ type: 'run.completed', runId: 'r', ts: 1 }).ok).toBe(false);
    expect(parseBatch({ kind: 'batch' }).ok).toBe(false);
    expect(parseBatch('hello').ok).toBe(false);
  });

  it('the client turns an unknown event into an error event and keeps the good ones', async () => {
    const ch = new MessageChannel();
    const client = connect(ch.port2 as never);
    const got: WorkerEvent[] = [];
    const done = new Promise<void>((resolve) =>
      client.subscribe((b) => {
        got.push(...b);
        resolve();
      }),
    );
    ch.port1.postMessage({
      kind: 'batch',
      events: [
        { type: 'mystery', seq: 1, ts: 1, runId: 'r' },
        { type: 'run.completed', seq: 2, ts: 1, runId: 'r' },
      ],
    });
    await done;
    expect(got.map((e) => e.type)).toEqual(['error', 'run.completed']);
    expect(got[0].type === 'error' && got[0].error.message).toContain('unknown event type "mystery"');
    client.close();
    ch.port1.close();
  });
});

describe('errors and plain data', () => {
  it('errors cross once as data and come back as Errors with name and stack', () => {
    const e = new RangeError('too far');
    const back = deserializeError(structuredClone(serializeError(e)));
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe('RangeError');
    expect(back.stack).toContain('too far');
    expect(serializeError('plain').message).toBe('plain');
  });

  it('LangChain messages become structured-clone-safe plain objects', () => {
    const out = toPlain({
      messages: [new AIMessage({ content: 'hi', id: 'm1' })],
      chunk: new AIMessageChunk({ content: 'h', id: 'm2' }),
      fn: () => 1,
    });
    expect(() => structuredClone(out)).not.toThrow();
    expect(out).toEqual({
      messages: [{ type: 'ai', content: 'hi', id: 'm1' }],
      chunk: expect.objectContaining({ content: 'h', id: 'm2' }),
    });
  });
});

describe('batching emitter', () => {
  it('never reorders or drops, posts in batches, flushes at run end, and drops events after a terminal one', async () => {
    const posts: WorkerEvent[][] = [];
    const em = new EventEmitter((b) => posts.push(b.events), { intervalMs: 50, maxEvents: 10 });
    em.emit({ type: 'run.started', runId: 'r', graph: 'demo', streamModes: ['values'], subgraphs: false });
    for (let i = 0; i < 25; i++) em.emit({ type: 'stream', runId: 'r', mode: 'values', ns: [], chunk: i });
    expect(em.emit({ type: 'run.completed', runId: 'r' })).toBe(true);
    expect(em.emit({ type: 'stream', runId: 'r', mode: 'values', ns: [], chunk: 'late' })).toBe(false);
    const all = posts.flat();
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(all.at(-1)?.type).toBe('run.completed');
    expect(posts.length).toBeGreaterThan(1);
    expect(Math.max(...posts.map((p) => p.length))).toBeLessThanOrEqual(10);
    em.close();
  });

  it('a lone event is posted on the next macrotask, not after the interval', async () => {
    const posts: WorkerEvent[][] = [];
    const em = new EventEmitter((b) => posts.push(b.events), { intervalMs: 10_000, maxEvents: 100 });
    em.emit({ type: 'ack', runId: null, requestId: 'x', ok: true });
    expect(posts).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(posts).toHaveLength(1);
    em.close();
  });
});

describe('the event table drives every list', () => {
  it('terminal events and replies are the families the table gives them', () => {
    expect([...TERMINAL_EVENTS].sort()).toEqual(
      ['run.cancelled', 'run.completed', 'run.failed', 'run.interrupted', 'run.rejected'].sort(),
    );
    expect([...REPLY_EVENTS].sort()).toEqual(
      ['ack', 'bench.result', 'engine.list', 'graph.info', 'thread.history', 'thread.state', 'threads'].sort(),
    );
  });

  it('the run reducer has a case for every event type, and the validator knows every type', () => {
    expect(Object.keys(RUN_CASES).sort()).toEqual(Object.keys(EVENTS).sort());
    for (const type of Object.keys(EVENTS)) expect(parseEvent({ type }).ok && type).toBe(false);
    expect(parseEvent({ type: 'made.up', seq: 1, ts: 1, runId: null })).toEqual({
      ok: false,
      error: 'unknown event type "made.up"',
    });
  });

  it('run events need a run id, replies a request id and no run id', () => {
    expect(parseEvent({ type: 'run.completed', seq: 1, ts: 1, runId: null }).ok).toBe(false);
    expect(parseEvent({ type: 'run.completed', seq: 1, ts: 1, runId: 'r' }).ok).toBe(true);
    expect(parseEvent({ type: 'ack', seq: 1, ts: 1, runId: null, ok: true }).ok).toBe(false);
    expect(parseEvent({ type: 'ack', seq: 1, ts: 1, runId: null, requestId: 'q', ok: true }).ok).toBe(true);
    expect(parseEvent({ type: 'ack', seq: 1, ts: 1, runId: 'r', requestId: 'q', ok: true }).ok).toBe(false);
    expect(
      parseEvent({ type: 'engine.usage', seq: 1, ts: 1, runId: 'r', promptTokens: 1, completionTokens: 2 }).ok,
    ).toBe(true);
  });
});
