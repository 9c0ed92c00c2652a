import {
  REPLY_EVENTS,
  type Command,
  type Endpoint,
  type ReplyEvent,
  type ResumeCommand,
  type RunCommand,
  type WorkerEvent,
} from '../protocol';
import { deserializeError } from '../shared/errors';
import { packableKind, unpackEvents } from '../shared/packing';
import { parseBatch, parseEvent } from '../shared/validate';

type Listener = (events: WorkerEvent[]) => void;
const REPLY_TYPES = new Set<string>(REPLY_EVENTS);
type RequestCommand = Extract<Command, { requestId: string }>;
type DistributiveOmitReq<T> = T extends unknown ? Omit<T, 'requestId'> : never;
type Reply = ReplyEvent;

/** Makes a run id that is unique in this page. */
export function newRunId(): string {
  return `run-${crypto.randomUUID()}`;
}

/**
 * The page's side of the protocol, written against an endpoint (a Worker or a MessagePort).
 *
 * Every batch is validated; an event that fails validation is replaced by an `error` event that
 * says why (seq -1: it was made on the page), so a bad message is visible and never crashes.
 */
export class TabgraphClient {
  private readonly listeners = new Set<Listener>();
  private readonly pending = new Map<string, { resolve: (e: Reply) => void; reject: (e: Error) => void }>();
  private requestCounter = 0;
  private closed = false;

  constructor(private readonly endpoint: Endpoint) {
    endpoint.addEventListener('message', this.onMessage);
    endpoint.start?.();
  }

  /** Starts a run and returns its id; its events arrive through {@link subscribe}. */
  run(options: Omit<RunCommand, 'type' | 'runId'> & { runId?: string }): string {
    const runId = options.runId ?? newRunId();
    this.send({ ...options, type: 'run', runId });
    return runId;
  }

  /** Continues a paused thread. */
  resume(options: Omit<ResumeCommand, 'type' | 'runId'> & { runId?: string }): string {
    const runId = options.runId ?? newRunId();
    this.send({ ...options, type: 'resume', runId });
    return runId;
  }

  cancel(runId: string): void {
    this.send({ type: 'cancel', runId });
  }

  /** Sends a request command and resolves with its reply; a failed `ack` rejects with the worker's error. */
  request<C extends DistributiveOmitReq<RequestCommand>>(command: C): Promise<Reply> {
    const requestId = `req-${++this.requestCounter}`;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send({ ...command, requestId } as Command);
    });
  }

  /** Receives every (validated) batch of events, in order. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a raw command (validated by the worker). */
  send(command: Command): void {
    if (this.closed) throw new Error('the worker client is closed');
    this.endpoint.postMessage(command);
  }

  /** Rejects every pending request (e.g. when the worker died). */
  failPending(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  close(): void {
    this.closed = true;
    this.endpoint.removeEventListener('message', this.onMessage);
    this.failPending(new Error('the worker client was closed'));
    this.listeners.clear();
  }

  /** Delivers events made on the page (e.g. a worker crash) through the same path as the worker's. */
  inject(events: WorkerEvent[]): void {
    for (const l of this.listeners) l(events);
  }

  private readonly onMessage = (ev: MessageEvent) => {
    const events = readBatch(ev.data);
    for (const e of events) this.settle(e);
    if (events.length) for (const l of this.listeners) l(events);
  };

  private settle(e: WorkerEvent): void {
    if (!REPLY_TYPES.has(e.type)) return;
    const reply = e as Reply;
    const waiter = this.pending.get(reply.requestId);
    if (!waiter) return;
    this.pending.delete(reply.requestId);
    if (reply.type === 'ack' && !reply.ok)
      waiter.reject(deserializeError(reply.error ?? { name: 'Error', message: 'request failed' }));
    else waiter.resolve(reply);
  }
}

/**
 * The events of one message from the worker, validated and unpacked, in order. What fails
 * validation is replaced by an `error` event that says why; a packed part that cannot be read
 * becomes one such event after the batch's plain events.
 */
export function readBatch(msg: unknown): WorkerEvent[] {
  const batch = parseBatch(msg);
  if (!batch.ok) return [pageError('message', batch.error)];
  const events: WorkerEvent[] = [];
  for (const raw of batch.value.events) {
    const parsed = parseEvent(raw);
    events.push(parsed.ok ? parsed.value : pageError('event', parsed.error));
  }
  const packed = batch.value.packed;
  if (!packed) return events;
  const templates: WorkerEvent[] = [];
  for (const raw of packed.templates) {
    const parsed = parseEvent(raw);
    if (!parsed.ok || !packableKind(parsed.value))
      return [...events, pageError('packed', parsed.ok ? 'a template is not a token event' : parsed.error)];
    templates.push(parsed.value);
  }
  return unpackEvents(packed, events, templates, (problem) => pageError('packed', problem));
}

/** An `error` event made on the page (seq -1) for a message that failed validation. */
export function pageError(context: string, message: string, name = 'ProtocolError'): WorkerEvent {
  return {
    type: 'error',
    runId: null,
    seq: -1,
    ts: performance.timeOrigin + performance.now(),
    context,
    error: { name, message },
  };
}

/** Connects a client to an endpoint. */
export function connect(endpoint: Endpoint): TabgraphClient {
  return new TabgraphClient(endpoint);
}
