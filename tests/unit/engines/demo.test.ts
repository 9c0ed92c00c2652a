import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoEngine, malform, padAnswer, tokenize } from '../../../src/engines/demo';
import type { ChatRequest, DemoResponder, EngineChunk, EngineUsage } from '../../../src/engines/types';

const request = (
  content = 'a blog with users, posts and comments',
  signal?: AbortSignal,
  demo?: DemoResponder,
): ChatRequest => ({
  messages: [
    { role: 'system', content: 'You design schemas.' },
    { role: 'user', content },
  ],
  signal,
  demo,
});

/** A hand-written stand-in for a graph's responder: its answer is known without running the engine. */
const answer =
  (text: string): DemoResponder =>
  () =>
    text;

async function collect(engine: DemoEngine, req: ChatRequest) {
  const tokens: string[] = [];
  let usage: EngineUsage | undefined;
  for await (const c of engine.stream(req) as AsyncIterable<EngineChunk>) {
    if (c.type === 'token') tokens.push(c.content);
    else usage = c.usage;
  }
  return { tokens, text: tokens.join(''), usage };
}

// Pacing is checked on a fake clock (timers and performance.now), so the assertions are exact
// and do not depend on how busy the machine is. Real-clock pacing is measured in bench/faults.mjs.
afterEach(() => {
  vi.useRealTimers();
});
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });

describe('tokenize', () => {
  it('joins back to the exact input and splits words and punctuation', () => {
    const text = '{"ops": [ {"type":"create_table", "name":"users"} ]}\n  Done. ünïcode_42 ok  ';
    const tokens = tokenize(text);
    expect(tokens.join('')).toBe(text);
    expect(tokens.slice(0, 4)).toEqual(['{', '"', 'ops', '"']);
    expect(tokens).toContain(' ünïcode_42');
    expect(tokens.at(-1)).toBe('  ');
    expect(tokenize('')).toEqual([]);
  });
});

describe('DemoEngine', () => {
  it("streams the request's demo answer token by token, the same on every run", async () => {
    const req = () => request('anything', undefined, answer('Tables: users, posts.'));
    const expected = ['Tables', ':', ' users', ',', ' posts', '.'];
    const engine = new DemoEngine({ tokensPerSecond: 0 });
    expect((await collect(engine, req())).tokens).toEqual(expected);
    expect((await collect(engine, req())).tokens).toEqual(expected);
    expect((await collect(new DemoEngine({ tokensPerSecond: 0 }), req())).text).toBe('Tables: users, posts.');
    expect(engine.modelId).toBe('demo');
    expect(engine.kind).toBe('demo');
  });

  it('without a demo answer, says what it is and echoes the last message', async () => {
    const { text } = await collect(new DemoEngine({ tokensPerSecond: 0 }), request());
    expect(text).toBe(
      'This is the offline demo engine, without an LLM. You said: a blog with users, posts and comments',
    );
  });

  it('reports usage at the end', async () => {
    const { usage } = await collect(
      new DemoEngine({ tokensPerSecond: 0 }),
      request(undefined, undefined, answer('Tables: users, posts.')),
    );
    // Prompt: "You design schemas." (You, design, schemas, .) and the user's 8 tokens
    // (a, blog, with, users, ",", posts, and, comments).
    expect(usage).toMatchObject({ promptTokens: 12, completionTokens: 6, finishReason: 'stop' });
    expect(usage?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('cuts the answer at maxTokens and says so', async () => {
    const req = { ...request(undefined, undefined, answer('one two three four')), maxTokens: 2 };
    const { text, usage } = await collect(new DemoEngine({ tokensPerSecond: 0 }), req);
    expect(text).toBe('one two');
    expect(usage).toMatchObject({ completionTokens: 2, finishReason: 'length' });
  });

  it('paces tokens at tokensPerSecond against the start time (fake clock)', async () => {
    fakeClock();
    const engine = new DemoEngine({ tokensPerSecond: 40 }); // one token every 25 ms
    const tokens: string[] = [];
    let usage: EngineUsage | undefined;
    const done = (async () => {
      for await (const c of engine.stream(request('x', undefined, answer('one two three four five'))))
        if (c.type === 'token') tokens.push(c.content);
        else usage = c.usage;
    })();
    await vi.advanceTimersByTimeAsync(24);
    expect(tokens).toEqual([]);
    await vi.advanceTimersByTimeAsync(1); // 25 ms
    expect(tokens).toEqual(['one']);
    await vi.advanceTimersByTimeAsync(49); // 74 ms
    expect(tokens).toEqual(['one', ' two']);
    await vi.advanceTimersByTimeAsync(51); // 125 ms
    await done;
    expect(tokens).toEqual(['one', ' two', ' three', ' four', ' five']);
    // First token at 25 ms; 4 more tokens over the next 100 ms: exactly 40 tok/s.
    expect(usage).toMatchObject({ completionTokens: 5, timeToFirstTokenMs: 25, decodeTokensPerSecond: 40 });
  });

  it('defaults to a realistic rate, and 0 is unthrottled: it never waits on a timer', async () => {
    expect(new DemoEngine().tokensPerSecond).toBe(40);
    fakeClock(); // timers never advance: a stream that waited on one would never finish
    const { tokens } = await collect(
      new DemoEngine({ tokensPerSecond: 0 }),
      request('x', undefined, answer('word '.repeat(2000))),
    );
    expect(tokens).toHaveLength(2001); // 2,000 words, then the trailing space
  });

  it('makes the first N JSON answers malformed, then answers normally; plain-text answers are left alone', async () => {
    const engine = new DemoEngine({ tokensPerSecond: 0, malformedAnswers: 2 });
    const json = (): ChatRequest => ({
      ...request(undefined, undefined, answer('{"ops":[1,2]}')),
      jsonSchema: { type: 'object' },
    });
    const plain = await collect(engine, request(undefined, undefined, answer('Plain words.')));
    expect(plain.text).toBe('Plain words.');
    // The first half of the 13 characters: '{"ops"', which does not parse.
    expect((await collect(engine, json())).text).toBe('{"ops"');
    expect((await collect(engine, json())).text).toBe('{"ops"');
    expect((await collect(engine, json())).text).toBe('{"ops":[1,2]}');
  });

  it('repeats a plain-text answer up to minTokens, and leaves JSON answers alone', async () => {
    const req = request(undefined, undefined, answer('one two three')); // 3 tokens a copy
    const short = await collect(new DemoEngine({ tokensPerSecond: 0, minTokens: 10 }), req);
    // ceil(10 / 3) = 4 copies; each later copy's "\n\n" joins its first word's token.
    expect(short.tokens).toEqual([
      ...['one', ' two', ' three'],
      ...['\n\none', ' two', ' three'],
      ...['\n\none', ' two', ' three'],
      ...['\n\none', ' two', ' three'],
    ]);
    expect(short.text).toBe('one two three\n\none two three\n\none two three\n\none two three');
    const long = await collect(new DemoEngine({ tokensPerSecond: 0, minTokens: 5000 }), req);
    expect(long.tokens).toHaveLength(5001); // ceil(5000 / 3) = 1,667 copies of 3 tokens
    expect(long.usage?.completionTokens).toBe(5001);
    // Already long enough, or JSON: unchanged.
    expect(padAnswer('one two three', 1)).toEqual(['one', ' two', ' three']);
    expect(padAnswer('{"ops":[]}', 1000).join('')).toBe('{"ops":[]}');
    expect(padAnswer('', 1000)).toEqual([]);
    expect(new DemoEngine({ minTokens: -5 }).minTokens).toBe(0);
  });

  it('malform never yields parseable JSON', () => {
    for (const s of ['{"a":1,"b":[1,2,3]}', '12345678', '"abcdef"', '[]', 'x'])
      expect(() => JSON.parse(malform(s))).toThrow();
    expect(malform('{"a":1,"b":[1,2,3]}')).toBe('{"a":1,"b');
    expect(malform('12345678')).toBe('1234 {'); // the half parses on its own, so it is spoiled
  });

  it('stops with AbortError as soon as the signal fires, without waiting for the next token (fake clock)', async () => {
    fakeClock();
    const ctl = new AbortController();
    const engine = new DemoEngine({ tokensPerSecond: 5 }); // 200 ms per token
    const it = engine.stream(request('x', ctl.signal, answer('one two three')))[Symbol.asyncIterator]();
    const first = it.next();
    await vi.advanceTimersByTimeAsync(200);
    expect(await first).toEqual({ done: false, value: { type: 'token', content: 'one' } });
    const pending = it.next();
    await vi.advanceTimersByTimeAsync(10);
    ctl.abort();
    // No timer is advanced past 210 ms: the next token was due at 400 ms.
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now()).toBe(210);
  });

  it('lets an abort queued as a macrotask land in an unthrottled stream', async () => {
    const ctl = new AbortController();
    const engine = new DemoEngine({ tokensPerSecond: 0 });
    setTimeout(() => ctl.abort(), 0);
    let n = 0;
    await expect(
      (async () => {
        for await (const c of engine.stream(request('word '.repeat(100_000), ctl.signal))) if (c.type === 'token') n++;
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(n).toBeLessThan(100_000);
  });

  it('refuses to start when the signal is already aborted, and load reports progress 1', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const engine = new DemoEngine();
    await expect(collect(engine, request('x', ctl.signal))).rejects.toMatchObject({ name: 'AbortError' });
    const seen: number[] = [];
    await engine.load((p) => seen.push(p.progress));
    expect(seen).toEqual([1]);
  });
});
