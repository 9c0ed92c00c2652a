import { writable, type Readable } from 'svelte/store';
import type { SeedEventPayloads, WorkerEvent } from '../protocol';
import { parseEvent } from '../shared/validate';
import type { SessionStores } from './stores';

export type CollaborationUpdate = SeedEventPayloads['collaboration_update'];

/** What tabs of the app say to each other on the BroadcastChannel. */
type TabMessage =
  { kind: 'batch'; from: string; events: WorkerEvent[] } | { kind: 'collab'; update: CollaborationUpdate };

/** The part of a BroadcastChannel used here (so tests can pass a fake or a MessagePort). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export interface CrossTabOptions {
  stores: SessionStores;
  /** Subscribes to this tab's own event batches. */
  onLocalEvents(listener: (events: WorkerEvent[]) => void): () => void;
  channel?: ChannelLike;
  userId?: string;
}

/** Most recent collaboration updates kept for the UI. */
export const MAX_COLLAB_UPDATES = 50;

/**
 * Real-time updates across tabs (the seed's `collaboration_update`).
 *
 * A tab that runs a graph broadcasts its event batches; another tab of the same origin that is not
 * running anything follows that run live in its own stores. Tabs announce what they do
 * (`joined`, `run_started`, `run_cancelled`, `left`, ...) as `collaboration_update` messages.
 * Every message is validated; a tab that closes just stops talking, which harms no other tab.
 */
export class CrossTab {
  readonly userId: string;
  readonly updates: Readable<CollaborationUpdate[]>;
  /** The user whose run this tab is following, or null. */
  readonly following: Readable<string | null>;
  private readonly updatesStore = writable<CollaborationUpdate[]>([]);
  private readonly followingStore = writable<string | null>(null);
  private readonly channel: ChannelLike;
  private readonly offLocal: () => void;
  private followedRun: string | null = null;

  constructor(private readonly options: CrossTabOptions) {
    this.userId = options.userId ?? `tab-${crypto.randomUUID().slice(0, 8)}`;
    this.channel = options.channel ?? new BroadcastChannel('tabgraph-live');
    this.updates = { subscribe: this.updatesStore.subscribe };
    this.following = { subscribe: this.followingStore.subscribe };
    this.channel.addEventListener('message', this.onMessage);
    this.offLocal = options.onLocalEvents((events) => this.onLocal(events));
    this.announce('joined', 'lobby');
  }

  /** Tells the other tabs what this tab did. */
  announce(action: string, sessionId: string): void {
    const update: CollaborationUpdate = { sessionId, userId: this.userId, action, timestamp: Date.now() };
    this.record(update);
    this.channel.postMessage({ kind: 'collab', update } satisfies TabMessage);
  }

  close(): void {
    this.announce('left', 'lobby');
    this.offLocal();
    this.channel.removeEventListener('message', this.onMessage);
    this.channel.close();
  }

  private onLocal(events: WorkerEvent[]): void {
    const mine = events.filter((e) => e.runId !== null && e.runId !== this.followedRun);
    if (mine.length === 0) return;
    for (const e of mine) {
      if (e.type === 'run.started') this.announce('run_started', e.runId);
      else if (e.type === 'run.cancelled') this.announce('run_cancelled', e.runId);
      else if (e.type === 'run.completed') this.announce('run_completed', e.runId);
      else if (e.type === 'run.failed') this.announce('run_failed', e.runId);
    }
    this.channel.postMessage({ kind: 'batch', from: this.userId, events: mine } satisfies TabMessage);
  }

  private readonly onMessage = (ev: MessageEvent) => {
    const msg = ev.data as Partial<TabMessage> | null;
    if (!msg || typeof msg !== 'object') return;
    if (msg.kind === 'collab' && isUpdate(msg.update)) this.record(msg.update);
    else if (msg.kind === 'batch' && typeof msg.from === 'string' && Array.isArray(msg.events))
      this.follow(msg.from, msg.events);
  };

  private follow(from: string, raw: unknown[]): void {
    const events: WorkerEvent[] = [];
    for (const r of raw) {
      const parsed = parseEvent(r);
      if (parsed.ok) events.push(parsed.value);
    }
    const stores = this.options.stores;
    const started = events.find((e) => e.type === 'run.started');
    const current = stores.current();
    // A tab busy with its own run never lets another tab's run replace it.
    const ownRunActive = current.status === 'running' && current.runId !== this.followedRun;
    if (started && started.type === 'run.started' && !ownRunActive) {
      this.followedRun = started.runId;
      this.followingStore.set(from);
      stores.begin(started.runId, started.graph, started.streamModes, started.subgraphs);
    }
    if (this.followedRun && events.some((e) => e.runId === this.followedRun)) stores.apply(events);
  }

  private record(update: CollaborationUpdate): void {
    this.updatesStore.update((list) => [...list, update].slice(-MAX_COLLAB_UPDATES));
  }
}

function isUpdate(u: unknown): u is CollaborationUpdate {
  if (!u || typeof u !== 'object') return false;
  const x = u as Record<string, unknown>;
  return (
    typeof x.sessionId === 'string' &&
    typeof x.userId === 'string' &&
    typeof x.action === 'string' &&
    typeof x.timestamp === 'number'
  );
}
