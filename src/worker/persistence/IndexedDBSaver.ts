import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  copyCheckpoint,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { Connection, STORES, done, prefixRange, req, type IdbOptions } from './idb';
import {
  assertKey,
  newestFirstPerNamespace,
  readCheckpoint,
  type BlobRow,
  type CheckpointRow,
  type RawTuple,
  type Serialized,
  type WriteRow,
} from './rows';

/** Options for {@link IndexedDBSaver}. */
export interface IndexedDBSaverOptions extends IdbOptions {
  /** Serializer for checkpoints, metadata and writes; LangGraph's JSON-plus one by default. */
  serde?: SerializerProtocol;
}

const MISSING_THREAD_ID =
  'is missing a required "thread_id" field in its "configurable" property. When using a checkpointer, you must pass ' +
  'a "thread_id" so the checkpointer knows which conversation thread to persist state for.';

/**
 * A LangGraph checkpointer that keeps threads in IndexedDB, so they survive a reload of the tab.
 *
 * Reads follow `MemorySaver` (same configs, ordering and pending-send migration). Channel values
 * are stored the way LangGraph's Postgres saver stores them: one blob per channel version, written
 * only for the channels in `newVersions`, so a long thread does not copy unchanged state into every
 * checkpoint. Each checkpoint is read or written in one IndexedDB transaction; nothing awaits a
 * non-IndexedDB promise inside one, because a transaction commits once it has no pending request.
 */
export class IndexedDBSaver extends BaseCheckpointSaver {
  private readonly connection: Connection;

  constructor(options: IndexedDBSaverOptions = {}) {
    super(options.serde);
    this.connection = new Connection({
      dbName: options.dbName,
      indexedDB: options.indexedDB,
      IDBKeyRange: options.IDBKeyRange,
    });
  }

  /** Closes the connection; the next call opens a new one. */
  close(): Promise<void> {
    return this.connection.close();
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId: unknown = config.configurable?.thread_id;
    const ns: unknown = config.configurable?.checkpoint_ns ?? '';
    const checkpointId = getCheckpointId(config);
    if (threadId === undefined) return undefined;
    assertKey('thread_id', threadId);
    assertKey('checkpoint_ns', ns, true);
    const idb = await this.connection.get();
    const tx = idb.db.transaction([STORES.checkpoints, STORES.blobs, STORES.writes], 'readonly');
    const checkpoints = tx.objectStore(STORES.checkpoints);
    let row: CheckpointRow | undefined;
    if (checkpointId) {
      row = await req<CheckpointRow | undefined>(checkpoints.get([threadId, ns, checkpointId]));
    } else {
      const cursor = await req(checkpoints.openCursor(prefixRange(idb.keyRange, [threadId, ns]), 'prev'));
      row = cursor?.value as CheckpointRow | undefined;
    }
    if (!row) return undefined;
    const raw = await readCheckpoint(idb, tx, row);
    // Like MemorySaver: an explicit checkpoint_id gets the caller's config back unchanged.
    return this.toTuple(raw, checkpointId ? config : undefined);
  }

  async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const { before, filter } = options ?? {};
    let limit = options?.limit;
    const threadId: unknown = config.configurable?.thread_id;
    const ns: unknown = config.configurable?.checkpoint_ns;
    const checkpointId: unknown = config.configurable?.checkpoint_id;
    const beforeId: unknown = before?.configurable?.checkpoint_id;
    if (threadId !== undefined) assertKey('thread_id', threadId);
    if (ns !== undefined) assertKey('checkpoint_ns', ns, true);

    const idb = await this.connection.get();
    const tx = idb.db.transaction(STORES.checkpoints, 'readonly');
    const range = threadId ? prefixRange(idb.keyRange, [threadId as string]) : undefined;
    const rows = await req<CheckpointRow[]>(tx.objectStore(STORES.checkpoints).getAll(range));

    for (const row of newestFirstPerNamespace(rows)) {
      if (ns !== undefined && row.checkpoint_ns !== ns) continue;
      if (checkpointId && row.checkpoint_id !== checkpointId) continue;
      if (beforeId && row.checkpoint_id >= (beforeId as string)) continue;
      const metadata = (await this.load(row.metadata)) as Record<string, unknown>;
      if (filter && !Object.entries(filter).every(([key, value]) => metadata[key] === value)) continue;
      if (limit !== undefined) {
        if (limit <= 0) break;
        limit -= 1;
      }
      const readTx = idb.db.transaction([STORES.checkpoints, STORES.blobs, STORES.writes], 'readonly');
      yield await this.toTuple(await readCheckpoint(idb, readTx, row));
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const threadId: unknown = config.configurable?.thread_id;
    const ns: unknown = config.configurable?.checkpoint_ns ?? '';
    if (threadId === undefined)
      throw new Error(`Failed to put checkpoint. The passed RunnableConfig ${MISSING_THREAD_ID}`);
    assertKey('thread_id', threadId);
    assertKey('checkpoint_ns', ns, true);
    assertKey('checkpoint_id', checkpoint.id);
    const { channel_values: values, ...rest } = copyCheckpoint(checkpoint);
    const [serializedCheckpoint, serializedMetadata, blobs] = await Promise.all([
      this.dump(rest),
      this.dump(metadata),
      Promise.all(
        Object.entries(newVersions).map(async ([channel, version]): Promise<BlobRow> => ({
          thread_id: threadId,
          checkpoint_ns: ns,
          channel,
          version,
          // A channel with a new version but no value (emptied) is stored as such, as Postgres does.
          ...(Object.hasOwn(values, channel) ? { value: await this.dump(values[channel]) } : {}),
        })),
      ),
    ]);
    const parentId: unknown = config.configurable?.checkpoint_id;
    const row: CheckpointRow = {
      thread_id: threadId,
      checkpoint_ns: ns,
      checkpoint_id: checkpoint.id,
      ...(typeof parentId === 'string' ? { parent_checkpoint_id: parentId } : {}),
      v: checkpoint.v,
      channel_versions: rest.channel_versions,
      checkpoint: serializedCheckpoint,
      metadata: serializedMetadata,
    };
    const { db } = await this.connection.get();
    const tx = db.transaction([STORES.checkpoints, STORES.blobs], 'readwrite');
    tx.objectStore(STORES.checkpoints).put(row);
    for (const blob of blobs) tx.objectStore(STORES.blobs).put(blob);
    await done(tx);
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath?: string): Promise<void> {
    const threadId: unknown = config.configurable?.thread_id;
    const ns: unknown = config.configurable?.checkpoint_ns ?? '';
    const checkpointId: unknown = config.configurable?.checkpoint_id;
    if (threadId === undefined) throw new Error(`Failed to put writes. The passed RunnableConfig ${MISSING_THREAD_ID}`);
    if (checkpointId === undefined)
      throw new Error('Failed to put writes. The passed RunnableConfig is missing a required "checkpoint_id" field.');
    assertKey('thread_id', threadId);
    assertKey('checkpoint_ns', ns, true);
    assertKey('checkpoint_id', checkpointId);
    assertKey('task_id', taskId);
    const rows = await Promise.all(
      writes.map(async ([channel, value], idx): Promise<WriteRow> => ({
        thread_id: threadId,
        checkpoint_ns: ns,
        checkpoint_id: checkpointId,
        task_id: taskId,
        // Special channels (errors, interrupts, resumes) have fixed negative slots.
        idx: WRITES_IDX_MAP[channel] || idx,
        channel,
        task_path: taskPath ?? '',
        value: await this.dump(value),
      })),
    );
    const { db } = await this.connection.get();
    const tx = db.transaction(STORES.writes, 'readwrite');
    const store = tx.objectStore(STORES.writes);
    for (const row of rows) {
      if (row.idx < 0) {
        store.put(row);
        continue;
      }
      // A retried task must not overwrite the writes it saved first (MemorySaver keeps the first too).
      const request = store.add(row);
      request.onerror = (ev) => {
        if (request.error?.name !== 'ConstraintError') return;
        ev.preventDefault();
        ev.stopPropagation();
      };
    }
    await done(tx);
  }

  async deleteThread(threadId: string): Promise<void> {
    assertKey('thread_id', threadId);
    const { db, keyRange } = await this.connection.get();
    const stores = [STORES.checkpoints, STORES.blobs, STORES.writes];
    const tx = db.transaction(stores, 'readwrite');
    for (const name of stores) tx.objectStore(name).delete(prefixRange(keyRange, [threadId]));
    await done(tx);
  }

  private async toTuple(raw: RawTuple, config?: RunnableConfig): Promise<CheckpointTuple> {
    const { row } = raw;
    const configurable = { thread_id: row.thread_id, checkpoint_ns: row.checkpoint_ns };
    const checkpoint = (await this.load(row.checkpoint)) as Checkpoint;
    checkpoint.channel_values = {};
    for (const blob of raw.blobs) {
      if (blob?.value) checkpoint.channel_values[blob.channel] = await this.load(blob.value);
    }
    if (raw.parentWrites) await this.migratePendingSends(checkpoint, raw.parentWrites);
    const tuple: CheckpointTuple = {
      config: config ?? { configurable: { ...configurable, checkpoint_id: row.checkpoint_id } },
      checkpoint,
      metadata: (await this.load(row.metadata)) as CheckpointMetadata,
      pendingWrites: await this.loadWrites(raw.writes),
    };
    if (row.parent_checkpoint_id !== undefined)
      tuple.parentConfig = { configurable: { ...configurable, checkpoint_id: row.parent_checkpoint_id } };
    return tuple;
  }

  /**
   * Checkpoints before format v4 kept `Send`s as their parent's TASKS writes; LangGraph now reads
   * them from the TASKS channel, so old threads get them moved there, exactly as MemorySaver does.
   */
  private async migratePendingSends(checkpoint: Checkpoint, parentWrites: WriteRow[]): Promise<void> {
    const sends = await this.loadWrites(parentWrites.filter((w) => w.channel === TASKS));
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = sends.map(([, , value]) => value);
    checkpoint.channel_versions ??= {};
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_versions[TASKS] =
      versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }

  /** Writes in the order live execution applies them: `(task_path, task_id, idx)`. */
  private async loadWrites(rows: WriteRow[]): Promise<CheckpointPendingWrite[]> {
    const sorted = rows
      .map((row) => ({ row, key: writesSortKey(row.task_path, row.task_id, row.idx) }))
      .sort((a, b) => compareWritesSortKeys(a.key, b.key));
    return Promise.all(
      sorted.map(async ({ row }): Promise<CheckpointPendingWrite> => [
        row.task_id,
        row.channel,
        await this.load(row.value),
      ]),
    );
  }

  private async dump(value: unknown): Promise<Serialized> {
    const [type, data] = await this.serde.dumpsTyped(value);
    // Copy: a view on a larger buffer would store the whole buffer.
    return { type, data: new Uint8Array(data) };
  }

  private load(value: Serialized): Promise<unknown> {
    return this.serde.loadsTyped(value.type, value.data);
  }
}
