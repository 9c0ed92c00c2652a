import type { ChannelVersions } from '@langchain/langgraph-checkpoint';
import { STORES, prefixRange, req, type Idb } from './idb';

/** A value as the serializer wrote it; the type tag says how to read it back. */
export interface Serialized {
  type: string;
  data: Uint8Array;
}

/** One checkpoint, without its channel values (those are {@link BlobRow}s). */
export interface CheckpointRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id?: string;
  /** Checkpoint format version, kept in the clear to decide on migration before deserializing. */
  v: number;
  /** Kept in the clear so the blobs can be fetched in the same transaction as the row. */
  channel_versions: ChannelVersions;
  checkpoint: Serialized;
  metadata: Serialized;
}

/** The value of one channel at one version. No `value` means the channel was emptied. */
export interface BlobRow {
  thread_id: string;
  checkpoint_ns: string;
  channel: string;
  version: ChannelVersions[string];
  value?: Serialized;
}

/** One pending write of a task against a checkpoint. */
export interface WriteRow {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  task_id: string;
  idx: number;
  channel: string;
  /** Empty when the caller gave none; sorts first, as LangGraph expects. */
  task_path: string;
  value: Serialized;
}

/**
 * Throws unless `value` can be part of a key. Only strings are accepted, as MemorySaver accepts,
 * so that a thread saved here reads back the same under either saver.
 */
export function assertKey(field: string, value: unknown, allowEmpty = false): asserts value is string {
  if (typeof value !== 'string')
    throw new Error(
      `Invalid configurable value for key "${field}": expected a string identifier (got ${typeof value}).`,
    );
  if (!allowEmpty && value === '')
    throw new Error(`Invalid configurable value for key "${field}": empty string is not permitted.`);
}

/**
 * Orders rows as MemorySaver lists them: thread by thread, namespace by namespace, newest
 * checkpoint first within each. `rows` come in key order, so each (thread, namespace) run is
 * contiguous and ascending; reversing each run is enough.
 */
export function newestFirstPerNamespace(rows: CheckpointRow[]): CheckpointRow[] {
  const out: CheckpointRow[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i += 1) {
    const prev = rows[i - 1];
    const cur = rows[i];
    if (cur && cur.thread_id === prev.thread_id && cur.checkpoint_ns === prev.checkpoint_ns) continue;
    for (let j = i - 1; j >= start; j -= 1) out.push(rows[j]);
    start = i;
  }
  return out;
}

/** One checkpoint as read in a single transaction, before deserializing. */
export interface RawTuple {
  row: CheckpointRow;
  blobs: (BlobRow | undefined)[];
  writes: WriteRow[];
  /** The parent's writes, only for checkpoints older than format v4 (see `migratePendingSends`). */
  parentWrites?: WriteRow[];
}

/** Issues every read a checkpoint needs at once, in `tx`, so they see one consistent state. */
export async function readCheckpoint(idb: Idb, tx: IDBTransaction, row: CheckpointRow): Promise<RawTuple> {
  const { thread_id: t, checkpoint_ns: ns } = row;
  const blobStore = tx.objectStore(STORES.blobs);
  const writeStore = tx.objectStore(STORES.writes);
  const parentId = row.parent_checkpoint_id;
  const [blobs, writes, parentWrites] = await Promise.all([
    Promise.all(
      Object.entries(row.channel_versions).map(([channel, version]) =>
        req<BlobRow | undefined>(blobStore.get([t, ns, channel, version])),
      ),
    ),
    req<WriteRow[]>(writeStore.getAll(prefixRange(idb.keyRange, [t, ns, row.checkpoint_id]))),
    row.v < 4 && parentId !== undefined
      ? req<WriteRow[]>(writeStore.getAll(prefixRange(idb.keyRange, [t, ns, parentId])))
      : undefined,
  ]);
  return { row, blobs, writes, parentWrites };
}
