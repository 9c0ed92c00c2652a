/**
 * Threads in real Chromium IndexedDB: a new saver on the same database stands in for a reloaded
 * tab, since a reload gives the worker nothing but what IndexedDB kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { Annotation, END, START, StateGraph, messagesStateReducer } from '@langchain/langgraph/web';
import { emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import { IndexedDBSaver, ThreadHistory, createCheckpointer } from '../../src/worker/persistence/index';

const State = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  steps: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

/** plan -> write; the run pauses before `write`, as a human-approval step does. */
function buildGraph(checkpointer: IndexedDBSaver) {
  return new StateGraph(State)
    .addNode('plan', () => ({ messages: [new AIMessage('a plan')], steps: ['plan'] }))
    .addNode('write', () => ({ messages: [new AIMessage('the answer')], steps: ['write'] }))
    .addEdge(START, 'plan')
    .addEdge('plan', 'write')
    .addEdge('write', END)
    .compile({ checkpointer, interruptBefore: ['write'] });
}

const opened: { close(): Promise<void> }[] = [];
const dbNames: string[] = [];
function freshDbName(): string {
  const name = `tabgraph-test-${crypto.randomUUID()}`;
  dbNames.push(name);
  return name;
}
function saverOn(dbName: string): IndexedDBSaver {
  const saver = new IndexedDBSaver({ dbName });
  opened.push(saver);
  return saver;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(
    dbNames.splice(0).map(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = () => resolve();
          request.onerror = () => reject(request.error);
        }),
    ),
  );
});

describe('IndexedDBSaver in Chromium', () => {
  it('is what createCheckpointer gives where IndexedDB exists', () => {
    expect(createCheckpointer({ dbName: freshDbName() })).toBeInstanceOf(IndexedDBSaver);
  });

  it('keeps checkpoints and writes across saver instances', async () => {
    const dbName = freshDbName();
    const first = saverOn(dbName);
    const checkpoint = { ...emptyCheckpoint(), id: uuid6(-1), channel_values: { n: 1 }, channel_versions: { n: 1 } };
    const cfg = await first.put(
      { configurable: { thread_id: 't' } },
      checkpoint,
      { source: 'input', step: -1, parents: {} },
      { n: 1 },
    );
    await first.putWrites(cfg, [['n', 2]], 'task');
    await first.close();

    const second = saverOn(dbName);
    const tuple = await second.getTuple({ configurable: { thread_id: 't' } });
    expect(tuple?.checkpoint).toEqual(checkpoint);
    expect(tuple?.pendingWrites).toEqual([['task', 'n', 2]]);
  });

  it('resumes a graph thread from a new saver, then deletes it', async () => {
    const dbName = freshDbName();
    const config = { configurable: { thread_id: 'thread-1' } };
    const before = buildGraph(saverOn(dbName));
    await before.invoke({ messages: [new HumanMessage('a blog')] }, config);
    expect((await before.getState(config)).next).toEqual(['write']);

    // "Reload": a new saver and a new compiled graph, sharing only the database name.
    const after = buildGraph(saverOn(dbName));
    const paused = await after.getState(config);
    expect(paused.next).toEqual(['write']);
    expect(paused.values.steps).toEqual(['plan']);
    const pausedMessages = paused.values.messages as BaseMessage[];
    expect(pausedMessages.map((m) => [m.getType(), m.content])).toEqual([
      ['human', 'a blog'],
      ['ai', 'a plan'],
    ]);

    const final = await after.invoke(null, config);
    expect(final.steps).toEqual(['plan', 'write']);
    const history = [];
    for await (const snapshot of buildGraph(saverOn(dbName)).getStateHistory(config)) history.push(snapshot);
    expect(history.length).toBeGreaterThanOrEqual(3);
    expect(history[0].values.steps).toEqual(['plan', 'write']);
    expect(history[0].next).toEqual([]);

    const deleter = saverOn(dbName);
    await deleter.deleteThread('thread-1');
    const gone = await buildGraph(saverOn(dbName)).getState(config);
    expect(gone.values).toEqual({});
    expect(await deleter.getTuple(config)).toBeUndefined();
  });

  it('keeps thread history in the same database', async () => {
    const dbName = freshDbName();
    const history = new ThreadHistory({ dbName });
    opened.push(history);
    await history.put({
      threadId: 't',
      title: 'A blog',
      createdAt: 1,
      updatedAt: 2,
      lastRunId: 'r',
      lastStatus: 'running',
    });
    await history.close();
    const reloaded = new ThreadHistory({ dbName });
    opened.push(reloaded);
    expect(await reloaded.markInterruptedOnStartup({ now: 3 })).toEqual(['t']);
    expect((await reloaded.get('t'))?.lastStatus).toBe('interrupted');
  });
});
