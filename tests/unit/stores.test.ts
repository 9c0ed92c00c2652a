import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';
import type { WorkerEvent } from '../../src/protocol';
import { createSessionStores } from '../../src/client/stores';

describe('session stores', () => {
  it('reset clears a finished run view but never a running one', () => {
    const stores = createSessionStores();
    stores.restore({ threadId: 't', graph: 'schema', status: 'completed', values: { ddl: ['x'] }, next: [] });
    expect(stores.current().values).toEqual({ ddl: ['x'] });
    stores.reset();
    expect(stores.current()).toMatchObject({ status: 'idle', values: null, runId: null });
    stores.begin('r1', 'schema', ['values'], false);
    stores.reset();
    expect(stores.current()).toMatchObject({ status: 'running', runId: 'r1' });
  });

  it('a restored thread that runs elsewhere shows as of its checkpoint, as no run of this tab', () => {
    const stores = createSessionStores();
    stores.restore({ threadId: 't', graph: 'schema', status: 'running', values: { ddl: ['x'] }, next: ['apply'] });
    expect(stores.current()).toMatchObject({
      status: 'idle',
      runId: null,
      interruptedNext: [],
      threadId: 't',
      values: { ddl: ['x'] },
    });
  });

  it('a restored thread paused before a node shows as interrupted, with what runs next', () => {
    const stores = createSessionStores();
    stores.restore({ threadId: 't', graph: 'schema', status: 'interrupted', values: {}, next: ['apply'] });
    expect(stores.current()).toMatchObject({ status: 'interrupted', interruptedNext: ['apply'], threadId: 't' });
  });
});

describe('run store: published per frame', () => {
  let frames: FrameRequestCallback[] = [];
  const runFrame = () => {
    const due = frames;
    frames = [];
    for (const f of due) f(0);
  };
  beforeEach(() => {
    frames = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const token = (seq: number, content: string): WorkerEvent => ({
    type: 'custom',
    runId: 'r1',
    seq,
    ts: performance.timeOrigin + performance.now(),
    name: 'custom_token',
    ns: [],
    data: { content, id: 'm', agentName: 'a' },
  });

  it('batches show at the next frame, all at once; status changes at once; current() is never behind', () => {
    const stores = createSessionStores();
    const seen: string[] = [];
    stores.run.subscribe((s) => seen.push(s.tokens[0]?.content ?? `<${s.status}>`));
    stores.begin('r1', 'demo', ['custom'], false);
    // Tokens at a reading pace (three in 50 ms): drawn every frame.
    vi.advanceTimersByTime(50);
    stores.apply([token(1, 'a')]);
    stores.apply([token(2, 'b')]);
    stores.apply([token(3, 'c')]);
    expect(stores.current().tokens[0].content).toBe('abc');
    expect(seen).toEqual(['<idle>', '<running>']);
    // A new subscriber gets the latest state.
    expect(get(stores.run).tokens[0].content).toBe('abc');
    runFrame();
    expect(seen.at(-1)).toBe('abc');
    const n = seen.length;
    runFrame();
    expect(seen).toHaveLength(n);
    // A change of status goes out at once, whatever the frame.
    stores.apply([token(4, 'd')]);
    stores.apply([{ type: 'run.completed', runId: 'r1', seq: 5, ts: Date.now() }]);
    expect(get(stores.run).status).toBe('completed');
    expect(seen.at(-1)).toBe('abcd');
  });

  it('a flood of tokens is drawn ten times a second, every token in the store at once; a status change still goes out at once', () => {
    const stores = createSessionStores();
    const seen: string[] = [];
    stores.run.subscribe((s) => seen.push(s.tokens[0]?.content ?? `<${s.status}>`));
    stores.begin('r1', 'demo', ['custom'], false);
    vi.advanceTimersByTime(10);
    // 20 tokens 10 ms after the last publish: 2 a millisecond.
    for (let i = 1; i <= 20; i++) stores.apply([token(i, 'x')]);
    expect(stores.current().tokens[0].content).toBe('x'.repeat(20));
    // The frame comes, finds a flood, and leaves the page as it was until 100 ms after the last publish.
    runFrame();
    expect(seen.at(-1)).toBe('<running>');
    vi.advanceTimersByTime(89);
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(frames).toHaveLength(1);
    runFrame();
    expect(seen.at(-1)).toBe('x'.repeat(20));
    // Still flooding: the next waits again; a status change meanwhile goes out at once.
    vi.advanceTimersByTime(5);
    stores.apply([token(21, 'y'), token(22, 'y'), token(23, 'y')]);
    runFrame();
    expect(seen.at(-1)).toBe('x'.repeat(20));
    stores.apply([{ type: 'run.completed', runId: 'r1', seq: 24, ts: Date.now() }]);
    expect(seen.at(-1)).toBe(`${'x'.repeat(20)}yyy`);
    expect(get(stores.run).status).toBe('completed');
    // The paced publish it replaced leaves nothing stuck: the next run draws at once again.
    stores.begin('r2', 'demo', ['custom'], false);
    vi.advanceTimersByTime(200);
    stores.apply([{ ...token(1, 'z'), runId: 'r2' } as WorkerEvent]);
    expect(frames).toHaveLength(1);
    runFrame();
    expect(seen.at(-1)).toBe('z');
  });

  it('a replay measures latency from when a batch is handed over, not from the recording', () => {
    vi.unstubAllGlobals();
    const stores = createSessionStores();
    stores.setReplay({ status: 'replaying', runId: 'r1' });
    stores.begin('r1', 'demo', ['custom'], false);
    const hourAgo = performance.timeOrigin + performance.now() - 3_600_000;
    stores.apply([{ ...token(1, 'a'), ts: hourAgo }]);
    const { latencySumMs, latencyCount } = stores.current().stats;
    expect(latencyCount).toBe(1);
    expect(latencySumMs).toBeLessThan(60_000);
    // A live run is aged from the worker's timestamp.
    stores.setReplay({ status: 'done', runId: 'r1' });
    stores.begin('r2', 'demo', ['custom'], false);
    stores.apply([{ ...token(1, 'a'), runId: 'r2', ts: hourAgo } as WorkerEvent]);
    expect(stores.current().stats.latencySumMs).toBeGreaterThan(3_000_000);
  });
});
