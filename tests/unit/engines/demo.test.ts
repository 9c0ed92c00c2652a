import { describe, expect, it } from 'vitest';
import { demoRespond } from '../../../src/graphs/schema/demoResponder';
import { DemoEngine, malform, padAnswer, tokenize } from '../../../src/engines/demo';
import type { ChatRequest, EngineChunk, EngineUsage } from '../../../src/engines/types';

const request = (content = 'a blog with users, posts and comments', signal?: AbortSignal): ChatRequest => ({
  messages: [
    { role: 'system', content: 'You design schemas.' },
    { role: 'user', content },
  ],
  signal,
});

async function collect(engine: DemoEngine, req: ChatRequest) {
  const tokens: string[] = [];
  let usage: EngineUsage | undefined;
  for await (const c of engine.stream(req) as AsyncIterable<EngineChunk>) {
    if (c.type === 'token') tokens.push(c.content);
    else usage = c.usage;
  }
  return { tokens, text: tokens.join(''), usage };
}

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
  it('is deterministic and streams exactly what demoRespond answers', async () => {
    const engine = new DemoEngine({ tokensPerSecond: 0 });
    const a = await collect(engine, request());
    const b = await collect(new DemoEngine({ tokensPerSecond: 0 }), request());
    expect(a.text).toBe(demoRespond(request()));
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens.length).toBeGreaterThan(3);
    expect(engine.modelId).toBe('demo');
    expect(engine.kind).toBe('demo');
  });

  it('reports usage at the end', async () => {
    const { tokens, usage } = await collect(new DemoEngine({ tokensPerSecond: 0 }), request());
    expect(usage?.completionTokens).toBe(tokens.length);
    expect(usage?.promptTokens).toBeGreaterThan(0);
    expect(usage?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('paces tokens at tokensPerSecond', async () => {
    const engine = new DemoEngine({ tokensPerSecond: 200 });
    const it = engine.stream(request())[Symbol.asyncIterator]();
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await it.next();
    const elapsed = performance.now() - t0;
    await it.return?.(undefined);
    // 10 tokens at 200/s = 50 ms; timers may run late but never early.
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1000);
  });

  it('defaults to a realistic rate, and 0 is unthrottled', async () => {
    expect(new DemoEngine().tokensPerSecond).toBe(40);
    const long = 'word '.repeat(2000);
    const t0 = performance.now();
    const { tokens } = await collect(new DemoEngine({ tokensPerSecond: 0 }), request(long));
    expect(tokens.length).toBeGreaterThan(100);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('makes the first N JSON answers malformed, then answers normally; plain-text answers are left alone', async () => {
    const engine = new DemoEngine({ tokensPerSecond: 0, malformedAnswers: 2 });
    const json = (): ChatRequest => ({ ...request(), jsonSchema: { type: 'object' } });
    const good = demoRespond(json());
    const plain = await collect(engine, request('hello there'));
    expect(plain.text).toBe(demoRespond(request('hello there')));
    const first = await collect(engine, json());
    const second = await collect(engine, json());
    const third = await collect(engine, json());
    expect(first.text).not.toBe(good);
    expect(good.startsWith(first.text)).toBe(true);
    expect(second.text).toBe(first.text);
    expect(third.text).toBe(good);
  });

  it('repeats a plain-text answer up to minTokens, and leaves JSON answers alone', async () => {
    const plain = demoRespond(request('hello there'));
    const base = tokenize(plain).length;
    const { tokens, text, usage } = await collect(
      new DemoEngine({ tokensPerSecond: 0, minTokens: 5000 }),
      request('hello there'),
    );
    expect(tokens.length).toBeGreaterThanOrEqual(5000);
    expect(tokens.length).toBeLessThan(5000 + 2 * base);
    expect(usage?.completionTokens).toBe(tokens.length);
    const copies = text.split('\n\n');
    expect(copies.length).toBeGreaterThan(1);
    expect(new Set(copies)).toEqual(new Set([plain]));
    // Already long enough, or JSON: unchanged.
    expect(padAnswer(plain, 1).join('')).toBe(plain);
    expect(padAnswer('{"ops":[]}', 1000).join('')).toBe('{"ops":[]}');
    expect(padAnswer('', 1000)).toEqual([]);
    expect(new DemoEngine({ minTokens: -5 }).minTokens).toBe(0);
  });

  it('malform never yields parseable JSON', () => {
    for (const s of ['{"a":1,"b":[1,2,3]}', '12345678', '"abcdef"', '[]', 'x'])
      expect(() => JSON.parse(malform(s))).toThrow();
  });

  it('stops promptly with AbortError when the signal fires mid-stream (throttled)', async () => {
    const ctl = new AbortController();
    const engine = new DemoEngine({ tokensPerSecond: 5 }); // 200 ms per token
    const it = engine.stream(request('x', ctl.signal))[Symbol.asyncIterator]();
    await it.next();
    const pending = it.next();
    const t0 = performance.now();
    setTimeout(() => ctl.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(150);
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
