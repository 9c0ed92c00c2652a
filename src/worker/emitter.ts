import { TERMINAL_EVENTS, type EventBatch, type UnstampedEvent, type WorkerEvent } from '../protocol';

/** How the worker groups events into posts. */
export interface BatchPolicy {
  /** Minimum time between two posts while events keep coming, in ms. */
  intervalMs: number;
  /** A batch this large is posted at once. */
  maxEvents: number;
}

export const DEFAULT_BATCH_POLICY: BatchPolicy = { intervalMs: 8, maxEvents: 256 };

const TERMINAL = new Set<string>(TERMINAL_EVENTS);

/**
 * Stamps events with `seq` and `ts`, queues them, and posts them in batches.
 *
 * Policy: an event that arrives when the last post is older than `intervalMs` is posted on the
 * next macrotask (so sparse events, such as tokens at 100 tok/s, wait for no timer); events that
 * arrive faster are gathered until `intervalMs` has passed or `maxEvents` are queued. A terminal
 * run event flushes at once. Order is never changed and nothing is dropped, except events of a
 * run that has already ended: after its terminal event a run emits nothing more.
 */
export class EventEmitter {
  private queue: WorkerEvent[] = [];
  private seq = 0;
  private lastPost = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediatePending = false;
  private readonly ended = new Set<string>();
  private readonly nextTask: () => void;
  private closed = false;

  constructor(
    private readonly post: (batch: EventBatch) => void,
    private readonly policy: BatchPolicy = DEFAULT_BATCH_POLICY,
  ) {
    const onTask = () => {
      this.immediatePending = false;
      if (!this.closed) this.flush();
    };
    // A task on this thread (`scheduler.postTask`) where there is one: a MessageChannel post goes
    // through the browser's IPC and back, which costs a loaded machine far more.
    const scheduler = (globalThis as { scheduler?: { postTask(cb: () => void): Promise<void> } }).scheduler;
    if (typeof scheduler?.postTask === 'function') this.nextTask = () => void scheduler.postTask(onTask);
    else {
      const channel = new MessageChannel();
      channel.port1.onmessage = onTask;
      this.nextTask = () => channel.port2.postMessage(0);
      this.closeChannel = () => {
        channel.port1.onmessage = null;
        channel.port1.close();
      };
    }
  }

  private closeChannel = () => {};

  /**
   * Queues one event, stamping it with `seq` and `ts` (the object is the emitter's from then on:
   * callers pass a fresh one). Returns false when it was dropped because its run had ended.
   */
  emit(event: UnstampedEvent): boolean {
    const runId = event.runId;
    if (runId !== null && this.ended.has(runId)) return false;
    const stamped = event as WorkerEvent;
    stamped.seq = ++this.seq;
    stamped.ts = performance.timeOrigin + performance.now();
    this.queue.push(stamped);
    if (runId !== null && TERMINAL.has(event.type)) {
      this.ended.add(runId);
      this.flush();
    } else if (this.queue.length >= this.policy.maxEvents) {
      this.flush();
    } else {
      this.schedule();
    }
    return true;
  }

  /** True once the run's terminal event has been emitted. */
  hasEnded(runId: string): boolean {
    return this.ended.has(runId);
  }

  /** Posts everything queued now. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    this.lastPost = performance.now();
    this.post({ kind: 'batch', events });
  }

  /** Stops timers and releases the internal channel. */
  close(): void {
    this.flush();
    this.closed = true;
    this.closeChannel();
  }

  private schedule(): void {
    if (this.timer !== null || this.immediatePending) return;
    const wait = this.lastPost + this.policy.intervalMs - performance.now();
    if (wait <= 0) {
      this.immediatePending = true;
      this.nextTask();
    } else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
    }
  }
}
