/**
 * A thread's checkpoints as the page's history lists them, from LangGraph's `getStateHistory`.
 */
import type { CheckpointInfo } from '../protocol';
import type { RunnableGraph } from '../graphs/types';

/** Most checkpoints listed for one thread (a long chat has hundreds; the newest matter). */
export const MAX_HISTORY = 500;

/** The parts of a LangGraph `StateSnapshot` the history reads. */
export interface SnapshotLike {
  config?: { configurable?: { checkpoint_id?: unknown } };
  parentConfig?: { configurable?: { checkpoint_id?: unknown } };
  metadata?: { step?: unknown; source?: unknown };
  next?: readonly string[];
  tasks?: readonly { name?: unknown }[];
  createdAt?: unknown;
}

const idOf = (c: SnapshotLike['config']) =>
  typeof c?.configurable?.checkpoint_id === 'string' ? c.configurable.checkpoint_id : null;

/**
 * Checkpoints newest first. Who wrote a checkpoint is not stored with it: a `loop` checkpoint
 * holds the writes of the tasks its parent had scheduled, so they are read off the parent.
 */
export function checkpointInfos(snapshots: readonly SnapshotLike[]): CheckpointInfo[] {
  const byId = new Map<string, SnapshotLike>();
  for (const s of snapshots) {
    const id = idOf(s.config);
    if (id) byId.set(id, s);
  }
  const out: CheckpointInfo[] = [];
  for (const s of snapshots) {
    const checkpointId = idOf(s.config);
    if (!checkpointId) continue;
    const parentId = idOf(s.parentConfig);
    const source = typeof s.metadata?.source === 'string' ? s.metadata.source : 'loop';
    const parent = parentId ? byId.get(parentId) : undefined;
    const ran = (parent?.tasks ?? []).map((t) => String(t.name ?? '')).filter(Boolean);
    const writers = source === 'input' ? ['input'] : source === 'update' || source === 'fork' ? [source] : ran;
    out.push({
      checkpointId,
      parentId,
      step: typeof s.metadata?.step === 'number' ? s.metadata.step : -1,
      source,
      writers,
      next: [...(s.next ?? [])],
      createdAt: typeof s.createdAt === 'string' ? s.createdAt : null,
    });
  }
  return out;
}

/** The thread's checkpoints, newest first, at most {@link MAX_HISTORY}. */
export async function threadHistory(graph: RunnableGraph, threadId: string): Promise<CheckpointInfo[]> {
  const list: SnapshotLike[] = [];
  const history = (
    graph as unknown as { getStateHistory(c: unknown, o?: unknown): AsyncIterable<SnapshotLike> }
  ).getStateHistory({ configurable: { thread_id: threadId } }, { limit: MAX_HISTORY + 1 });
  for await (const s of history) list.push(s);
  // One more than listed was read, so that the oldest listed finds the parent its writers come from.
  return checkpointInfos(list).slice(0, MAX_HISTORY);
}
