/**
 * The page's controller in node: what each action does to the stores and asks of the transport.
 * The transport here is a script (a tab's worker or a server would answer the same way).
 */
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { Controller } from '../../src/client/controller';
import type { Transport } from '../../src/client/transport';
import type { ThreadInfo, WorkerEvent } from '../../src/protocol';

const thread = (threadId: string, graph = 'demo'): ThreadInfo => ({
  threadId,
  graph,
  title: threadId,
  createdAt: 1,
  updatedAt: 2,
  lastRunId: threadId,
  lastStatus: 'completed',
});

/** A transport that records what it is asked and answers from `threads`. */
function scripted(threads: ThreadInfo[] = [], extra: Partial<Transport> = {}) {
  const calls: string[] = [];
  const listeners = new Set<(e: WorkerEvent[]) => void>();
  const transport: Transport & { persistent?: boolean } = {
    run: (req) => void calls.push(`run ${req.graph} ${JSON.stringify(req.input)} ${req.threadId ?? '-'}`),
    resume: (req) => void calls.push(`resume ${req.threadId} ${req.checkpointId ?? '-'} ${req.asNode ?? '-'}`),
    cancel: (runId) => void calls.push(`cancel ${runId}`),
    describe: async (graph) => {
      if (graph === 'broken') throw Object.assign(new Error('module failed'), { name: 'GraphLoadError' });
      return {
        graph,
        title: graph,
        available: true,
        nodes: [],
        edges: [],
        inputSchema: null,
        breakpoints: [],
        interruptBefore: [],
        interruptAfter: [],
        stateKeys: [],
      };
    },
    listThreads: async () => threads,
    threadState: async (id) => ({ values: { topic: `state of ${id}` }, next: [] }),
    deleteThread: async (id) => {
      calls.push(`delete ${id}`);
      threads = threads.filter((t) => t.threadId !== id);
    },
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    dispose: () => void calls.push('dispose'),
    ...extra,
  };
  const emit = (events: object[]) => {
    for (const l of listeners) l(events as WorkerEvent[]);
  };
  return { transport, calls, emit };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the page controller', () => {
  it('start begins the run view at once and sends the run with the page’s run id', () => {
    const { transport, calls } = scripted();
    const c = new Controller({ transport, crossTab: false });
    const runId = c.start({ graph: 'demo', input: { topic: 'x' }, streamModes: ['values'], subgraphs: false });
    expect(c.current()).toMatchObject({ runId, status: 'running', graph: 'demo' });
    expect(calls).toEqual(['run demo {"topic":"x"} -']);
  });

  it('a run that cannot be sent ends at once as rejected, with why', () => {
    const { transport } = scripted([], {
      run: () => {
        throw new DOMException('could not be cloned', 'DataCloneError');
      },
    });
    const c = new Controller({ transport, crossTab: false });
    c.start({ graph: 'demo', input: {}, streamModes: ['values'], subgraphs: false });
    expect(c.current().status).toBe('rejected');
    expect(c.current().error).toEqual({
      name: 'DataCloneError',
      message: 'The run could not be sent to the worker: could not be cloned',
    });
  });

  it('stop cancels this tab’s running run, and nothing once it ended', () => {
    const { transport, calls, emit } = scripted();
    const c = new Controller({ transport, crossTab: false });
    const runId = c.start({ graph: 'demo', input: {}, streamModes: ['values'], subgraphs: false });
    c.stop();
    emit([{ type: 'run.cancelled', runId, seq: 5, ts: 0 }]);
    c.stop();
    expect(calls).toEqual(['run demo {} -', `cancel ${runId}`]);
    expect(c.current().status).toBe('cancelled');
  });

  it('describes every graph of the registry; one that fails shows as unavailable with its error', async () => {
    const { transport } = scripted();
    const c = new Controller({ transport, crossTab: false, graphs: ['demo', 'broken'] });
    await settle();
    const graphs = get(c.stores.graphs);
    expect(graphs.demo.available).toBe(true);
    expect(graphs.broken).toMatchObject({
      available: false,
      error: { name: 'GraphLoadError', message: 'module failed' },
    });
  });

  it('opens a saved thread into the view; an unknown thread gets a message and an empty view', async () => {
    const { transport } = scripted([thread('t1')]);
    const c = new Controller({ transport, crossTab: false });
    expect(await c.openThread('t1')).toBe(true);
    expect(c.current()).toMatchObject({ threadId: 't1', graph: 'demo', values: { topic: 'state of t1' } });
    expect(get(c.stores.openThread)).toBe('t1');
    expect(await c.openThread('nope')).toBe(false);
    expect(get(c.stores.notices)).toEqual([
      'There is no thread "nope" here: it was deleted, or it was made in another browser.',
    ]);
    expect(c.current()).toMatchObject({ status: 'idle', values: null });
    expect(get(c.stores.openThread)).toBeNull();
  });

  it('deleting the open thread leaves no thread open; the list follows', async () => {
    const { transport, calls } = scripted([thread('t1'), thread('t2')]);
    const c = new Controller({ transport, crossTab: false });
    await c.openThread('t1');
    await c.deleteThread('t1');
    expect(calls).toContain('delete t1');
    expect(get(c.stores.openThread)).toBeNull();
    expect(get(c.stores.threads).map((t) => t.threadId)).toEqual(['t2']);
  });

  it('resume from a checkpoint sends the checkpoint and the node to write as', async () => {
    const { transport, calls } = scripted([thread('t1')]);
    const c = new Controller({ transport, crossTab: false });
    c.resume({
      graph: 'demo',
      threadId: 't1',
      checkpointId: 'cp-3',
      asNode: 'plan',
      update: { topic: 'y' },
      streamModes: ['values'],
      subgraphs: false,
    });
    expect(calls).toEqual(['resume t1 cp-3 plan']);
  });

  it('lists the threads again when the worker says they changed, and asks for nothing else', async () => {
    let threads = [thread('t1')];
    const { transport, calls, emit } = scripted([], { listThreads: async () => threads });
    const c = new Controller({ transport, crossTab: false });
    await settle();
    expect(get(c.stores.threads).map((t) => t.lastStatus)).toEqual(['completed']);
    // Another tab's run, left running when this page listed it, was marked interrupted since.
    threads = [{ ...threads[0], lastStatus: 'interrupted' }];
    emit([{ type: 'threads.changed', runId: null, seq: 1, ts: 0 }]);
    await settle();
    expect(get(c.stores.threads).map((t) => t.lastStatus)).toEqual(['interrupted']);
    expect(calls).toEqual([]);
    expect(c.current()).toMatchObject({ status: 'idle', runId: null });
  });

  it('says when threads live in memory only', async () => {
    const { transport } = scripted();
    (transport as { persistent?: boolean }).persistent = false;
    const c = new Controller({ transport, crossTab: false });
    await c.refreshThreads();
    expect(get(c.stores.persistent)).toBe(false);
  });

  it('switching transport ends a running run as cancelled, disposes the old one and asks the new one', async () => {
    const a = scripted([thread('old')]);
    const b = scripted([thread('new')]);
    const c = new Controller({ transport: a.transport, crossTab: false, graphs: ['demo'] });
    const runId = c.start({ graph: 'demo', input: {}, streamModes: ['values'], subgraphs: false });
    c.useTransport(b.transport);
    await settle();
    expect(a.calls).toEqual(['run demo {} -', `cancel ${runId}`, 'dispose']);
    expect(c.current()).toMatchObject({ status: 'idle', runId: null });
    expect(get(c.stores.threads).map((t) => t.threadId)).toEqual(['new']);
    // Events of the old transport no longer reach the view.
    a.emit([
      { type: 'run.started', runId: 'x', seq: 1, ts: 0, graph: 'demo', streamModes: ['values'], subgraphs: false },
    ]);
    expect(c.current().runId).toBeNull();
  });

  it('a history on screen is read once when a run starts, however often it is asked meanwhile, and again at its end', async () => {
    const waiting: (() => void)[] = [];
    const answer = () => waiting.splice(0).forEach((resolve) => resolve());
    const asked: string[] = [];
    const { transport, emit } = scripted([thread('t1')], {
      history: (threadId) => {
        asked.push(threadId);
        return new Promise((resolve) => waiting.push(() => resolve([])));
      },
    });
    const c = new Controller({ transport, crossTab: false, graphs: ['demo'] });
    await c.openThread('t1');
    const first = c.loadHistory();
    answer();
    await first;
    expect(get(c.stores.history)).toMatchObject({ threadId: 't1', status: 'ready' });
    expect(asked).toEqual(['t1']);

    // The run starts: the controller asks (the history is on screen), and so does the panel.
    const runId = c.start({ graph: 'demo', input: {}, streamModes: ['values'], subgraphs: false, threadId: 't1' });
    const start = { type: 'run.started', runId, seq: 1, ts: 0, graph: 'demo', streamModes: ['values'] };
    emit([{ ...start, subgraphs: false, threadId: 't1' }]);
    const panel = c.loadHistory();
    expect(asked).toEqual(['t1', 't1']);
    // Something new heard while that read is out: the history may have changed, so it is read again.
    emit([{ type: 'custom', runId, seq: 2, ts: 0, name: 'progress', ns: [], data: {} }]);
    void c.loadHistory();
    expect(asked).toEqual(['t1', 't1', 't1']);
    answer();
    await panel;
    emit([{ type: 'run.completed', runId, seq: 3, ts: 0 }]);
    expect(asked).toEqual(['t1', 't1', 't1', 't1']);
  });

  it('a thread opened while it runs elsewhere shows as no run of this tab, and catches up when that run ends', async () => {
    const list: ThreadInfo[] = [{ ...thread('t1'), lastStatus: 'running', lastRunId: 'their-run' }];
    let reads = 0;
    const { transport } = scripted(list, {
      listThreads: async () => list.map((t) => ({ ...t })),
      threadState: async () => ({ values: { read: ++reads }, next: [] }),
    });
    const c = new Controller({ transport, crossTab: false, graphs: ['demo'] });
    await c.refreshThreads();
    expect(await c.openThread('t1')).toBe(true);
    expect(c.current()).toMatchObject({ status: 'idle', runId: null, threadId: 't1', values: { read: 1 } });
    expect(get(c.stores.notices)).toEqual([]);

    // Listed again while it still runs there: nothing to catch up with.
    await c.refreshThreads();
    expect(c.current().values).toEqual({ read: 1 });
    // That run ends: the open view reads the thread again and shows how it ended.
    list[0] = { ...list[0], lastStatus: 'completed' };
    await c.refreshThreads();
    expect(c.current()).toMatchObject({ status: 'completed', threadId: 't1', values: { read: 2 } });
    // A thread that was not running is not read again on a listing.
    await c.refreshThreads();
    expect(reads).toBe(2);
  });

  it('the end of a run of this tab leaves its view as the run made it (nothing is read again)', async () => {
    const list: ThreadInfo[] = [{ ...thread('t1'), lastStatus: 'completed', lastRunId: 'old' }];
    let reads = 0;
    const { transport, emit } = scripted(list, {
      listThreads: async () => list.map((t) => ({ ...t })),
      threadState: async () => ({ values: { read: ++reads }, next: [] }),
    });
    const c = new Controller({ transport, crossTab: false, graphs: ['demo'] });
    await c.refreshThreads();
    await c.openThread('t1');
    expect(reads).toBe(1);
    const runId = c.start({ graph: 'demo', input: {}, streamModes: ['values'], subgraphs: false, threadId: 't1' });
    list[0] = { ...list[0], lastStatus: 'running', lastRunId: runId };
    emit([
      {
        type: 'run.started',
        runId,
        seq: 1,
        ts: 0,
        graph: 'demo',
        streamModes: ['values'],
        subgraphs: false,
        threadId: 't1',
      },
    ]);
    await settle();
    emit([{ type: 'stream', runId, seq: 2, ts: 0, mode: 'values', ns: [], chunk: { made: 'by the run' } }]);
    list[0] = { ...list[0], lastStatus: 'completed' };
    emit([{ type: 'run.completed', runId, seq: 3, ts: 0 }]);
    await settle();
    await c.refreshThreads();
    expect(c.current()).toMatchObject({ runId, status: 'completed', values: { made: 'by the run' } });
    expect(reads).toBe(1);
  });
});
