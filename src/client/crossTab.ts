import { writable, type Readable } from 'svelte/store';
import type { WorkerEvent } from '../protocol';
import type { SeedEventPayloads } from '../shared/seedEvents';
import { parseEvent } from '../shared/validate';

export type CollaborationUpdate = SeedEventPayloads['collaboration_update'];

/** What tabs of the app say to each other on the BroadcastChannel. */
type TabMessage =
  | { kind: 'batch'; from: string; events: WorkerEvent[] }
  | { kind: 'collab'; update: CollaborationUpdate }
  /** "I am here too": the answer to another tab's `joined`, so the newcomer knows who listens. */
  | { kind: 'here'; from: string };

/** The part of a BroadcastChannel used here (so tests can pass a fake or a MessagePort). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export interface CrossTabOptions {
  /** Receives another tab's run events (validated), with that tab's user id. */
  onRemoteEvents(from: string, events: WorkerEvent[]): void;
  channel?: ChannelLike;
  userId?: string;
}

/** Most recent collaboration updates kept for the UI. */
export const MAX_COLLAB_UPDATES = 50;

/**
 * Real-time updates across tabs (the seed's `collaboration_update`): the channel only.
 *
 * A tab that runs a graph publishes its event batches; the other tabs of the same origin hear
 * them (the page's controller decides whether to follow). Tabs announce what they do
 * (`joined`, `run_started`, `run_cancelled`, `left`, ...) as `collaboration_update` messages.
 * Every message is validated; a tab that closes just stops talking, which harms no other tab.
 *
 * Run events are published only while another tab of the app is open: copying every batch onto
 * the channel costs the running tab as much main-thread time as its stores do, for nobody when it
 * is alone. A tab knows the others from their `joined` (answered with `here`) and `left`, and from
 * anything else they send.
 */
export class CrossTab {
  readonly userId: string;
  readonly updates: Readable<CollaborationUpdate[]>;
  private readonly updatesStore = writable<CollaborationUpdate[]>([]);
  private readonly channel: ChannelLike;
  private closed = false;
  /** The other tabs heard from and not yet gone. */
  private readonly peers = new Set<string>();

  constructor(private readonly options: CrossTabOptions) {
    this.userId = options.userId ?? `tab-${crypto.randomUUID().slice(0, 8)}`;
    this.channel = options.channel ?? new BroadcastChannel('tabgraph-live');
    this.updates = { subscribe: this.updatesStore.subscribe };
    this.channel.addEventListener('message', this.onMessage);
    this.announce('joined', 'lobby');
  }

  /** Tells the other tabs what this tab did. */
  announce(action: string, sessionId: string): void {
    const update: CollaborationUpdate = { sessionId, userId: this.userId, action, timestamp: Date.now() };
    this.record(update);
    if (!this.closed) this.channel.postMessage({ kind: 'collab', update } satisfies TabMessage);
  }

  /** How many other tabs of the app are known to be open (run events are published only to them). */
  get listeners(): number {
    return this.peers.size;
  }

  /** Says goodbye and stops listening; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.announce('left', 'lobby');
    this.closed = true;
    this.channel.removeEventListener('message', this.onMessage);
    this.channel.close();
  }

  /** Shares a batch of this tab's own run events, announcing runs that start and end. */
  publish(events: readonly WorkerEvent[]): void {
    if (this.closed) return;
    const mine = events.filter((e) => e.runId !== null);
    if (mine.length === 0) return;
    for (const e of mine) {
      if (e.type === 'run.started') this.announce('run_started', e.runId);
      else if (e.type === 'run.cancelled') this.announce('run_cancelled', e.runId);
      else if (e.type === 'run.completed') this.announce('run_completed', e.runId);
      else if (e.type === 'run.failed') this.announce('run_failed', e.runId);
    }
    if (this.peers.size > 0)
      this.channel.postMessage({ kind: 'batch', from: this.userId, events: mine } satisfies TabMessage);
  }

  private readonly onMessage = (ev: MessageEvent) => {
    const msg = ev.data as Partial<TabMessage> | null;
    if (!msg || typeof msg !== 'object') return;
    if (msg.kind === 'collab' && isUpdate(msg.update)) {
      this.heard(msg.update.userId, msg.update.action);
      this.record(msg.update);
    } else if (msg.kind === 'batch' && typeof msg.from === 'string' && Array.isArray(msg.events)) {
      this.heard(msg.from);
      this.receive(msg.from, msg.events);
    } else if (msg.kind === 'here' && typeof msg.from === 'string') this.heard(msg.from);
  };

  /** Keeps the set of other open tabs; a newcomer is told this tab is here. */
  private heard(userId: string, action?: string): void {
    if (userId === this.userId) return;
    if (action === 'left') {
      this.peers.delete(userId);
      return;
    }
    this.peers.add(userId);
    if (action === 'joined' && !this.closed)
      this.channel.postMessage({ kind: 'here', from: this.userId } satisfies TabMessage);
  }

  private receive(from: string, raw: unknown[]): void {
    const events: WorkerEvent[] = [];
    for (const r of raw) {
      const parsed = parseEvent(r);
      if (parsed.ok) events.push(parsed.value);
    }
    if (events.length) this.options.onRemoteEvents(from, events);
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
