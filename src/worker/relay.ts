import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { getConfig } from '@langchain/langgraph/web';
import type { StreamMode } from '../protocol';
import { toPlain } from '../shared/plain';
import { messageMetadata, namespaceOf } from '../shared/streamShapes';

type Scheduler = { postTask(cb: () => void): Promise<void> };

/**
 * Resolves on the next macrotask. Stream chunks that LangGraph has already queued travel to the
 * host's `for await` loop through promise jobs only, so by the next macrotask they have all been
 * read; {@link StreamRelay} waits for one per custom event when it cannot see the pushes. Uses `scheduler.postTask` where the platform has
 * it (a task on this thread), else a MessageChannel (a round trip through the browser's IPC).
 */
export function createMacrotaskYield(): { next: () => Promise<void>; close: () => void } {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.postTask === 'function') return { next: () => scheduler.postTask(() => {}), close: () => {} };
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    next: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.onmessage = null;
      channel.port1.close();
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

/** A custom event as the relay sees it, with its namespace and node. */
export interface RelayedCustomEvent {
  name: string;
  data: unknown;
  ns: string[];
  node?: string;
}

// A node dispatches its events from one checkpoint namespace: its parsed form is reused.
let lastCheckpointNs = '';
let lastNs: string[] = [];

function customEventOf(eventName: string, data: unknown, metadata?: Record<string, unknown>): RelayedCustomEvent {
  const checkpointNs = typeof metadata?.checkpoint_ns === 'string' ? metadata.checkpoint_ns : '';
  if (checkpointNs !== lastCheckpointNs) {
    lastCheckpointNs = checkpointNs;
    lastNs = namespaceOf(checkpointNs);
  }
  const node = typeof metadata?.langgraph_node === 'string' ? metadata.langgraph_node : undefined;
  return { name: eventName, data: plainData(data), ns: lastNs, node };
}

/** Event data as plain data: a flat plain object (the usual payload) is copied as it is. */
function plainData(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return toPlain(data);
  const proto = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null) return toPlain(data);
  const out: Record<string, unknown> = {};
  for (const k in data) {
    const v = (data as Record<string, unknown>)[k];
    if (
      v !== null &&
      (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
    )
      return toPlain(data);
    out[k] = v;
  }
  return out;
}

/** One stream-mode chunk in the shape the protocol carries. */
export interface NormalizedChunk {
  mode: StreamMode;
  ns: string[];
  chunk: unknown;
}

/**
 * Reads one item of `graph.stream(input, { streamMode: [...] , subgraphs })`: `[mode, chunk]`, or
 * `[ns, mode, chunk]` with subgraphs. The host always passes an array of modes so the shape is fixed.
 */
export function normalizeChunk(raw: unknown, subgraphs: boolean): NormalizedChunk {
  if (!Array.isArray(raw)) throw new Error('unexpected stream item: not a tuple');
  if (subgraphs) {
    const [ns, mode, chunk] = raw as [string[], StreamMode, unknown];
    return { ns: Array.isArray(ns) ? ns.map(String) : [], mode, chunk: plainChunk(mode, chunk) };
  }
  const [mode, chunk] = raw as [StreamMode, unknown];
  return { ns: [], mode, chunk: plainChunk(mode, chunk) };
}

// LangGraph's messages handler passes one metadata object for every token of a model run: its
// plain form is made once and shared by those chunks (plain data, never changed afterwards;
// one copy per posted batch, as structured clone keeps shared references).
let lastMetadata: object | undefined;
let lastPlainMetadata: Record<string, unknown> = {};

function plainChunk(mode: StreamMode, chunk: unknown): unknown {
  if (mode === 'messages' && Array.isArray(chunk) && chunk.length === 2) {
    const [message, metadata] = chunk as [unknown, Record<string, unknown> | undefined];
    if (!metadata || metadata !== lastMetadata) {
      lastPlainMetadata = messageMetadata(metadata, toPlain);
      lastMetadata = metadata;
    }
    return [toPlain(message), lastPlainMetadata];
  }
  if ((mode === 'checkpoints' || mode === 'tasks' || mode === 'debug') && chunk && typeof chunk === 'object') {
    return toPlain(stripConfig(chunk));
  }
  return toPlain(chunk);
}

/** Drops callback managers and other run plumbing hidden in checkpoint/debug configs. */
function stripConfig(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'config' || k === 'parentConfig' || k === 'parent_config') && v && typeof v === 'object') {
      const cfg = v as { configurable?: Record<string, unknown>; metadata?: unknown; tags?: unknown };
      out[k] = { configurable: pickPlainConfigurable(cfg.configurable), metadata: cfg.metadata, tags: cfg.tags };
    } else if (k === 'payload') {
      out[k] = stripConfig(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function pickPlainConfigurable(c: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!c) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (!k.startsWith('__') && (v === null || typeof v !== 'object')) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The relay
// ---------------------------------------------------------------------------------------------

/** Modes whose chunks the graph's loop pushes (at step and task boundaries). */
const LOOP_MODES = new Set<StreamMode>(['values', 'updates', 'tasks', 'checkpoints', 'debug']);
/** LangGraph's own handlers that push `messages` and `tools` chunks into the root stream. */
const PUSHING_HANDLERS: Record<string, StreamMode> = { StreamMessagesHandler: 'messages', StreamToolsHandler: 'tools' };
/** LangGraph's configurable key for a parent stream (`CONFIG_KEY_STREAM`); the relay's counter goes there. */
const CONFIG_KEY_STREAM = '__pregel_stream';

type RawChunk = [string[], StreamMode, unknown];
/** An observed push: what identifies it when `graph.stream` yields it, and its plain form. */
interface Observed {
  mode: StreamMode;
  payload: unknown;
  plain: NormalizedChunk;
}
/** A direct event (custom event or writer chunk) and how many root-stream pushes came before it. */
interface Held {
  after: number;
  emit: () => void;
}

/** What {@link StreamRelay} hands on, in order. */
export interface RelayOutput {
  chunk(c: NormalizedChunk): void;
  custom(ev: RelayedCustomEvent): void;
}

/**
 * Relays one run's stream chunks and custom events in the order the graph produced them,
 * without pausing the graph.
 *
 * Stream chunks reach the host through `graph.stream`, some promise jobs after LangGraph pushed
 * them into its root stream; custom events (`dispatchCustomEvent`) and `config.writer` chunks
 * reach the relay synchronously, when the node makes them. So the relay counts the pushes into
 * the root stream as they happen: loop chunks through a sink in LangGraph's parent-stream slot
 * (`configurable.__pregel_stream`, which loops copy their chunks to), `messages` and `tools`
 * chunks by wrapping the `streamFn` of LangGraph's own handlers as they are attached. A direct
 * event made after N pushes is handed on right after the host's loop has read the N-th chunk:
 * no macrotask, and the node never waits. Chunks keep flowing through `graph.stream` and are
 * converted when read, exactly as before.
 *
 * When a push cannot be observed (LangGraph attached no handler the relay knows, or its loop
 * ignored the sink), the relay falls back to waiting: each direct event goes out one macrotask
 * later, by which time the host's loop has read every chunk queued before it (the node waits).
 */
export class StreamRelay {
  /** Observed pushes into the root stream not yet read by the host's loop, from `head` on. */
  private pushes: Observed[] = [];
  private head = 0;
  /** How many pushes were observed in all, and how many of them the loop has read (or skipped). */
  private pushed = 0;
  private read = 0;
  /** Direct events waiting for the chunks pushed before them, from `heldHead` on. */
  private held: Held[] = [];
  private heldHead = 0;
  private readonly wrapped = new Set<StreamMode>();
  /** Copies of the run's callbacks report added handlers until LangGraph's have been found. */
  private hooking: boolean;
  private lost = false;
  private stopped = false;
  private readonly tick = createMacrotaskYield();
  private readonly modes: ReadonlySet<StreamMode>;
  private readonly handler: BaseCallbackHandler;

  constructor(
    streamModes: readonly StreamMode[],
    private readonly subgraphs: boolean,
    private readonly out: RelayOutput,
  ) {
    this.modes = new Set(streamModes);
    this.hooking = this.modes.has('messages') || this.modes.has('tools');
    this.handler = new RelayHandler((name, data, metadata) => {
      const ev = customEventOf(name, data, metadata);
      return this.direct(() => this.out.custom(ev));
    });
  }

  /**
   * Options to merge into `graph.stream`: the callbacks (custom events; the hook that finds
   * LangGraph's stream handlers), the writer, and the loop's sink in `configurable`.
   */
  streamOptions(): { callbacks: CallbackManager; writer?: (chunk: unknown) => void; configurable: object } {
    const loopModes = [...this.modes].filter((m) => LOOP_MODES.has(m));
    const sink = {
      modes: new Set<StreamMode>(loopModes),
      push: (chunk: RawChunk) => {
        // Loops push checkpoint envelopes whatever the modes; with `subgraphs` off, subgraph loops
        // reach this sink although their chunks never reach the root stream.
        if (!this.modes.has(chunk[1]) || (!this.subgraphs && !isRootNs(chunk[0]))) return;
        this.observe(chunk);
      },
    };
    return {
      callbacks: hookedCallbackManager(
        [this.handler],
        (h) => this.wrapHandler(h),
        () => this.hooking,
      ),
      ...(this.modes.has('custom') ? { writer: (chunk: unknown) => this.write(chunk) } : {}),
      configurable: loopModes.length ? { [CONFIG_KEY_STREAM]: sink } : {},
    };
  }

  /**
   * `graph.stream` has started: LangGraph has attached its handlers (before its first chunk), so
   * later copies of the run's callbacks need not be watched.
   */
  started(): void {
    this.hooking = false;
  }

  /** True while every push into the root stream is seen (LangGraph attaches its handlers before any node runs). */
  get ordered(): boolean {
    if (this.lost) return false;
    for (const m of ['messages', 'tools'] as const) if (this.modes.has(m) && !this.wrapped.has(m)) return false;
    return true;
  }

  /** One item of `graph.stream`: hands it on, then the direct events that were made after it. */
  onStreamItem(raw: unknown): void {
    if (this.stopped) return;
    const item = raw as unknown[];
    const mode = (this.subgraphs ? item[1] : item[0]) as StreamMode;
    const payload = this.subgraphs ? item[2] : item[1];
    // The observed push this item is (the same payload object); pushes skipped past never came.
    let i = this.head;
    while (i < this.pushes.length && !(this.pushes[i].mode === mode && this.pushes[i].payload === payload)) i++;
    let chunk: NormalizedChunk | undefined;
    if (i < this.pushes.length) {
      chunk = this.pushes[i].plain;
      this.read += i + 1 - this.head;
      this.head = i + 1;
      if (this.head > 1024 && this.head * 2 > this.pushes.length) {
        this.pushes = this.pushes.slice(this.head);
        this.head = 0;
      }
    } else if (LOOP_MODES.has(mode) || this.wrapped.has(mode)) {
      // A chunk the relay should have seen pushed and did not: order can no longer be derived.
      this.lost = true;
    }
    this.out.chunk(chunk ?? normalizeChunk(raw, this.subgraphs));
    this.release();
  }

  /** The stream has ended (or failed): whatever is still held goes out, in order. */
  finish(): void {
    this.read = Infinity;
    this.release();
  }

  /** Nothing more is handed on (a cancelled run). */
  stop(): void {
    this.stopped = true;
    this.held = [];
    this.heldHead = 0;
    this.tick.close();
  }

  /**
   * A push into the root stream, made plain now: what it holds at the moment the graph made it
   * (LangGraph may change a message object later, e.g. give a tool's message its id).
   */
  private observe([ns, mode, payload]: RawChunk): void {
    const plain = {
      ns: this.subgraphs && Array.isArray(ns) ? ns.map(String) : [],
      mode,
      chunk: plainChunk(mode, payload),
    };
    this.pushes.push({ mode, payload, plain });
    this.pushed += 1;
  }

  /** A custom event or writer chunk, made now: out at once, or after the chunks pushed before it. */
  private direct(emit: () => void): Promise<void> | void {
    if (this.stopped) return;
    if (!this.ordered) {
      // Fallback: the node waits one macrotask, by which time everything queued before is read.
      return this.tick.next().then(() => {
        if (!this.stopped) emit();
      });
    }
    const after = this.pushed;
    if (this.heldHead === this.held.length && this.read >= after) emit();
    else this.held.push({ after, emit });
  }

  private release(): void {
    while (this.heldHead < this.held.length && this.held[this.heldHead].after <= this.read)
      this.held[this.heldHead++].emit();
    if (this.heldHead === this.held.length) {
      this.held = [];
      this.heldHead = 0;
    }
  }

  /** `config.writer`: what LangGraph's own writer does, except that the chunk comes to the relay. */
  private write(chunk: unknown): void {
    const checkpointNs = (getConfig()?.configurable as { checkpoint_ns?: string } | undefined)?.checkpoint_ns;
    const ns = this.subgraphs ? (checkpointNs?.split('|').slice(0, -1) ?? []) : [];
    void this.direct(() => this.out.chunk({ ns, mode: 'custom', chunk: toPlain(chunk) }));
  }

  /** Sees LangGraph's `messages` / `tools` handler as it is attached, and counts what it pushes. */
  private wrapHandler(handler: unknown): void {
    const h = handler as { name?: string; streamFn?: (chunk: RawChunk) => void };
    const mode = h.name ? PUSHING_HANDLERS[h.name] : undefined;
    if (!mode || this.wrapped.has(mode) || typeof h.streamFn !== 'function') return;
    this.wrapped.add(mode);
    if (!(['messages', 'tools'] as const).some((m) => this.modes.has(m) && !this.wrapped.has(m))) this.hooking = false;
    const push = h.streamFn;
    h.streamFn = (chunk) => {
      this.observe(chunk);
      push(chunk);
    };
  }
}

/** The relay's callback handler: custom events, handed to the relay as they are dispatched. */
class RelayHandler extends BaseCallbackHandler {
  name = 'tabgraph_stream_relay';
  // Awaited by the dispatching node: a synchronous body runs before the dispatch returns.
  override awaitHandlers = true;

  constructor(
    private readonly onCustom: (
      name: string,
      data: unknown,
      metadata?: Record<string, unknown>,
    ) => Promise<void> | void,
  ) {
    super();
  }

  override handleCustomEvent(
    eventName: string,
    data: unknown,
    _runId: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): Promise<void> | void {
    return this.onCustom(eventName, data, metadata);
  }
}

function isRootNs(ns: unknown): boolean {
  return !Array.isArray(ns) || ns.length === 0 || (ns.length === 1 && ns[0] === '');
}

const HOOK = Symbol('tabgraph.relayHook');
interface Hook {
  onHandler: (handler: unknown) => void;
  active: () => boolean;
}
type Hooked = CallbackManager & { [HOOK]?: Hook };

/**
 * A callback manager that reports every handler added to it, and to its copies, while `active`:
 * LangGraph copies the run's callbacks and adds its `messages` and `tools` handlers to the copy.
 * Once those are found, copies are plain callback managers again (the callbacks of every node
 * and every dispatch are copies: they should not pay for the hook).
 */
function hookedCallbackManager(
  handlers: BaseCallbackHandler[],
  onHandler: (handler: unknown) => void,
  active: () => boolean,
): CallbackManager {
  const manager = new HookedCallbackManager(undefined) as Hooked;
  manager[HOOK] = { onHandler, active };
  for (const h of handlers) manager.addHandler(h, true);
  return manager;
}

class HookedCallbackManager extends CallbackManager {
  override addHandler(handler: Parameters<CallbackManager['addHandler']>[0], inherit?: boolean): void {
    const hook = (this as Hooked)[HOOK];
    if (hook?.active()) hook.onHandler(handler);
    super.addHandler(handler, inherit);
  }

  override copy(...args: Parameters<CallbackManager['copy']>): CallbackManager {
    const copy = super.copy(...args);
    const hook = (this as Hooked)[HOOK];
    if (!hook?.active()) return copy;
    // Hooked too: LangGraph adds its handlers to a copy. (Only at the start of a run.)
    Object.setPrototypeOf(copy, HookedCallbackManager.prototype);
    (copy as Hooked)[HOOK] = hook;
    return copy;
  }
}
