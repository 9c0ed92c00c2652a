import { describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { IndexedDBSaver, ThreadHistory } from '../../src/worker/persistence/index';
import { createThreadBook, type ThreadBook } from '../../src/worker/threads';

describe('thread book', () => {
  it('records a run start and end, lists threads, and deletes a thread with its checkpoints', async () => {
    const opts = { indexedDB: new IDBFactory(), IDBKeyRange, dbName: 'book' };
    const saver = new IndexedDBSaver(opts);
    const book = createThreadBook(saver, new ThreadHistory(opts));
    await book.started('t1', 'r1', 'schema', { requirements: 'a blog\nwith posts' });
    expect((await book.list())[0]).toMatchObject({
      threadId: 't1',
      title: 'a blog',
      lastStatus: 'running',
      graph: 'schema',
    });
    await book.ended('t1', 'r1', 'completed');
    expect((await book.list())[0].lastStatus).toBe('completed');
    await book.delete('t1');
    expect(await book.list()).toEqual([]);
  });

  it('a thread left running by a previous worker is marked interrupted when a new one starts', async () => {
    const opts = { indexedDB: new IDBFactory(), IDBKeyRange, dbName: 'book2' };
    const first = createThreadBook(new IndexedDBSaver(opts), new ThreadHistory(opts));
    await first.started('t2', 'r2', 'schema', { requirements: 'shop' });
    const second = createThreadBook(new IndexedDBSaver(opts), new ThreadHistory(opts));
    expect((await second.list()).find((t) => t.threadId === 't2')?.lastStatus).toBe('interrupted');
  });
});

describe('thread commands through the host', () => {
  it('threads.list, thread.state and thread.delete answer over the protocol', async () => {
    const { createHarness } = await import('../support/harness');
    const { fixedEngineManager, ScriptedEngine } = await import('../support/engines');
    const { demoEntry } = await import('../support/graphs');
    const opts = { indexedDB: new IDBFactory(), IDBKeyRange, dbName: 'host' };
    const checkpointer = new IndexedDBSaver(opts);
    const h = createHarness({
      graphs: [demoEntry],
      engines: fixedEngineManager(new ScriptedEngine()),
      checkpointer,
      threads: createThreadBook(checkpointer, new ThreadHistory(opts)),
    });
    try {
      const runId = h.client.run({
        graph: 'demo',
        input: { topic: 'threads' },
        streamModes: ['values'],
        subgraphs: false,
      });
      await h.waitFor((e) => e.runId === runId && e.type === 'run.completed');
      await new Promise((r) => setTimeout(r, 50));
      const list = await h.client.request({ type: 'threads.list' });
      expect(list.type === 'threads' && list.threads.map((t) => [t.threadId, t.lastStatus])).toEqual([
        [runId, 'completed'],
      ]);
      const state = await h.client.request({ type: 'thread.state', threadId: runId, graph: 'demo' });
      expect(state.type === 'thread.state' && (state.values as { topic: string }).topic).toBe('threads');
      await h.client.request({ type: 'thread.delete', threadId: runId });
      const after = await h.client.request({ type: 'threads.list' });
      expect(after.type === 'threads' && after.threads).toEqual([]);
    } finally {
      h.close();
    }
  });
});

describe('a run and its thread record', () => {
  async function hostWith(book: (real: ThreadBook) => ThreadBook, answer: () => string) {
    const { createHarness } = await import('../support/harness');
    const { fixedEngineManager, ScriptedEngine } = await import('../support/engines');
    const { demoEntry } = await import('../support/graphs');
    const opts = { indexedDB: new IDBFactory(), IDBKeyRange, dbName: `order-${Math.random()}` };
    const checkpointer = new IndexedDBSaver(opts);
    const history = new ThreadHistory(opts);
    const engine = new ScriptedEngine(answer);
    const h = createHarness({
      graphs: [demoEntry],
      engines: fixedEngineManager(engine),
      checkpointer,
      threads: book(createThreadBook(checkpointer, history)),
    });
    return { h, history, engine };
  }
  const run = () => ({
    graph: 'demo' as const,
    input: { topic: 'order' },
    streamModes: ['values' as const],
    subgraphs: false,
  });

  it('the thread is on record before the run asks its model for anything, however slow the record is', async () => {
    let onRecord = false;
    const seenAtFirstToken: boolean[] = [];
    const { h, history } = await hostWith(
      (real) => ({
        ...real,
        started: async (...args) => {
          await new Promise((r) => setTimeout(r, 200));
          await real.started(...args);
          onRecord = true;
        },
      }),
      () => {
        seenAtFirstToken.push(onRecord);
        return 'one two three';
      },
    );
    try {
      const runId = h.client.run(run());
      await h.waitFor((e) => e.runId === runId && e.type === 'run.completed');
      expect(seenAtFirstToken).toEqual([true]);
      expect((await history.get(runId))?.lastStatus).toBe('completed');
    } finally {
      h.close();
    }
  });

  it('a cancel while the run waits for its thread (another tab runs it) ends the run cancelled, unstarted', async () => {
    let waited = 0;
    const { h, engine } = await hostWith(
      (real) => ({
        ...real,
        started: (threadId, runId, graph, input, wait) => {
          waited += 1;
          // The first run waits as for a lock another tab holds; the next goes straight on.
          if (waited > 1) return real.started(threadId, runId, graph, input, wait);
          wait?.onWait?.();
          return new Promise<void>((_, refused) =>
            wait?.signal?.addEventListener('abort', () => refused(new DOMException('let go', 'AbortError'))),
          );
        },
      }),
      () => 'answered',
    );
    try {
      const first = h.client.run({ ...run(), threadId: 'busy-thread' });
      await vi.waitFor(() => expect(waited).toBe(1));
      // A second run while the first waits is refused, as while any run is active.
      const refused = h.client.run(run());
      await h.waitFor((e) => e.runId === refused && e.type === 'run.rejected');
      h.client.cancel(first);
      await h.waitFor((e) => e.runId === first && e.type === 'run.cancelled');
      expect(h.events.filter((e) => e.runId === first).map((e) => e.type)).toEqual(['run.waiting', 'run.cancelled']);
      expect(h.events.find((e) => e.type === 'run.waiting')).toMatchObject({ threadId: 'busy-thread' });
      expect(engine.calls).toBe(0);

      const next = h.client.run({ ...run(), threadId: 'busy-thread' });
      await h.waitFor((e) => e.runId === next && e.type === 'run.completed');
      expect(engine.calls).toBe(1);
    } finally {
      h.close();
    }
  });
});

describe('thread titles', () => {
  it('come from the first text field of any graph’s input', async () => {
    const { threadTitle } = await import('../../src/shared/threadTitle');
    expect(threadTitle({ requirements: 'a blog with users\nand more' })).toBe('a blog with users');
    expect(threadTitle({ count: 3, question: '  What is 2 + 2? ' })).toBe('What is 2 + 2?');
    expect(threadTitle({ name: 'x'.repeat(100) })).toBe(`${'x'.repeat(79)}…`);
    expect(threadTitle({ n: 1 })).toBe('Untitled thread');
    expect(threadTitle(null)).toBe('Untitled thread');
  });
});
