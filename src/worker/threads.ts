import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import type { GraphId, ThreadInfo, ThreadStatus } from '../protocol';
import { threadTitle } from '../shared/threadTitle';
import { ThreadHistory, type ThreadRecord } from './persistence/index';

/** What the host needs to keep a list of threads beside their checkpoints. */
export interface ThreadBook {
  /**
   * Puts a run on record as its thread's, once the thread's lock is held: while another tab runs
   * the thread this waits (calling `wait.onWait` first), and rejects (AbortError) if
   * `wait.signal` aborts before.
   */
  started(
    threadId: string,
    runId: string,
    graph: GraphId,
    input: Record<string, unknown> | null,
    wait?: { signal?: AbortSignal; onWait?: () => void },
  ): Promise<void>;
  ended(threadId: string, runId: string, status: ThreadStatus): Promise<void>;
  list(): Promise<ThreadInfo[]>;
  delete(threadId: string): Promise<void>;
  /**
   * Calls `listener` whenever the list changed by itself: a thread left running by a tab that
   * was still going away when this worker looked, marked interrupted once its lock is free.
   */
  subscribe(listener: () => void): () => void;
}

const LOCK_PREFIX = 'tabgraph-thread-';

/** Web Locks where the worker has them (Chromium, Firefox, Safari); absent in node. */
function locks(): LockManager | undefined {
  return (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
}

function toInfo(r: ThreadRecord): ThreadInfo {
  return { ...r, graph: r.graph as GraphId | undefined };
}

/**
 * Thread history in IndexedDB. While a run is going, its tab holds a Web Lock named after the
 * thread; when a worker starts, every thread still marked running whose lock nobody holds was cut
 * off by a reload (or a crash) and is marked interrupted, so it shows as such and is not lost.
 *
 * A tab that is going away releases its locks a little after it is gone, so a thread whose lock
 * is still held is watched: once the lock is free and the thread still says running with no run
 * behind it, it is marked interrupted then, and subscribers hear that the list changed.
 */
export function createThreadBook(checkpointer: BaseCheckpointSaver, history = new ThreadHistory()): ThreadBook {
  /**
   * Thread locks this worker holds for its runs: `release` lets go, `released` settles once the
   * lock manager has let go (a request right after `release` alone would still find it held).
   */
  const held = new Map<string, { release: () => void; released: Promise<unknown> }>();
  /** Threads with a run in this worker (tracked apart from locks, which node lacks). */
  const runningHere = new Set<string>();
  /** Threads whose lock another tab holds, waited for. */
  const watched = new Set<string>();
  const listeners = new Set<() => void>();

  const watch = (lm: LockManager, threadId: string) => {
    if (watched.has(threadId)) return;
    watched.add(threadId);
    // Granted once the holder lets go; held only while the record is read and written.
    lm.request(`${LOCK_PREFIX}${threadId}`, () =>
      history.markInterruptedOnStartup({ only: threadId, stillRunning: runningHere }),
    )
      .then((marked: string[]) => {
        if (marked.length) for (const l of listeners) l();
      })
      .catch(() => {})
      .finally(() => watched.delete(threadId));
  };

  /**
   * Marks threads left 'running' by a worker that is gone (its tab reloaded or crashed) as
   * interrupted: a live run, here or in another tab, holds its thread's lock.
   */
  const reconcile = async () => {
    const lm = locks();
    const held = await lm?.query();
    const heldElsewhere = (held?.held ?? [])
      .map((l) => l.name ?? '')
      .filter((n) => n.startsWith(LOCK_PREFIX))
      .map((n) => n.slice(LOCK_PREFIX.length))
      .filter((id) => !runningHere.has(id));
    await history.markInterruptedOnStartup({ stillRunning: new Set([...heldElsewhere, ...runningHere]) });
    // The watch reads the record when it gets the lock: a run that ends well changes nothing.
    if (lm) for (const id of heldElsewhere) watch(lm, id);
  };
  const ready = reconcile().catch(() => {});

  return {
    async started(threadId, runId, graph, input, wait = {}) {
      await ready;
      wait.signal?.throwIfAborted();
      runningHere.add(threadId);
      const lm = locks();
      /** Takes the thread's lock and keeps it until `ended`: false when `ifAvailable` found it held. */
      const take = (options: LockOptions) =>
        new Promise<boolean>((taken, refused) => {
          const request: Promise<unknown> = lm!.request(`${LOCK_PREFIX}${threadId}`, options, (lock) => {
            if (!lock) return taken(false);
            const kept = new Promise<void>((release) => held.set(threadId, { release, released: request }));
            taken(true);
            return kept;
          });
          request.catch((err: unknown) => {
            runningHere.delete(threadId);
            refused(err);
          });
        });
      if (lm && !held.has(threadId) && !(await take({ ifAvailable: true }))) {
        wait.onWait?.();
        await take(wait.signal ? { signal: wait.signal } : {});
      }
      const prev = await history.get(threadId);
      const now = Date.now();
      await history.put({
        threadId,
        graph,
        title: prev?.title ?? threadTitle(input),
        createdAt: prev?.createdAt ?? now,
        updatedAt: now,
        lastRunId: runId,
        lastStatus: 'running',
      });
    },
    async ended(threadId, runId, status) {
      const prev = await history.get(threadId);
      if (prev) await history.put({ ...prev, updatedAt: Date.now(), lastRunId: runId, lastStatus: status });
      const lock = held.get(threadId);
      held.delete(threadId);
      if (lock) {
        lock.release();
        // The run ends once its lock is free: a run of this thread right after it finds it free.
        // Until then it counts as running here, so no listing meanwhile takes the lock it still
        // holds for another tab's and queues a watch on it.
        await lock.released.catch(() => {});
      }
      runningHere.delete(threadId);
    },
    async list() {
      await ready;
      await reconcile().catch(() => {});
      return (await history.list()).map(toInfo);
    },
    async delete(threadId) {
      await checkpointer.deleteThread(threadId);
      await history.delete(threadId);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
