import {
  EVENTS,
  type CustomEvent,
  type EventOf,
  type StreamChunkEvent,
  type WorkerEvent,
  type WorkerEventType,
} from '../protocol';
import type { SeedEventPayloads } from '../shared/seedEvents';
import { LogView } from './eventLog';
import { LIMITS, type MessageView, type RunState, type RunStatus, type TokenStreamView } from './runState';

/** How a batch is applied. */
export interface ApplyOptions {
  /** When the batch reached the page (epoch ms; run times are measured with it). */
  receivedAt?: number;
  /**
   * What event ages are measured from (page clock, `performance.timeOrigin + now()`): absent for
   * live events, which are aged from the worker's `ts`; a replay passes the moment it handed the
   * batch over, since its events carry the recording's old timestamps.
   */
  agedFrom?: number;
}

/**
 * Applies a batch of events to the run state and returns the new state (the input is not changed).
 *
 * Events of another run (stale runs) and events already seen (seq not above `lastSeq`) are ignored.
 * Events with `runId: null` only feed `errors`; engine events are reduced elsewhere. The work is
 * per batch where it can be: the state is copied once, the clock read once, a token stream or
 * message growing over many events of the batch copied once.
 */
export function applyEvents(
  state: RunState,
  events: readonly WorkerEvent[],
  { receivedAt = Date.now(), agedFrom }: ApplyOptions = {},
): RunState {
  let d: Draft | null = null;
  const draft = (): Draft => (d ??= cloneShallow(state));
  const now = performance.timeOrigin + performance.now();
  for (const ev of events) {
    if (ev.type === 'error') {
      pushBounded(draft().errors, { context: ev.context, error: ev.error }, LIMITS.errors);
      continue;
    }
    if (ev.runId === null) continue;
    if (ev.runId !== state.runId || ev.seq <= (d ?? state).lastSeq) continue;
    applyRunEvent(draft(), ev, receivedAt, now - (agedFrom ?? ev.ts));
  }
  if (!d) return state;
  const done: Draft = d;
  done.log = new LogView(done.log.store, done.log.store.length);
  done.logTotal = done.log.length;
  delete done.fresh;
  return done;
}

/** The state being built for one batch, and the objects already copied for it (changed in place). */
type Draft = RunState & { fresh?: WeakSet<object> };

/** Marks an object made for this batch: later events of the batch may change it in place. */
function adopt<T extends object>(s: Draft, item: T): T {
  (s.fresh ??= new WeakSet()).add(item);
  return item;
}

/** `list[i]`, copied once per batch, so it can be changed in place. */
function owned<T extends object>(s: Draft, list: T[], i: number): T {
  const fresh = (s.fresh ??= new WeakSet());
  let item = list[i];
  if (!fresh.has(item)) {
    item = { ...item };
    fresh.add(item);
    list[i] = item;
  }
  return item;
}

function cloneShallow(s: RunState): Draft {
  // The log only grows: a state appends to the store it shares with the last one. A second
  // update of an older state (rare) gets a store of its own.
  const store = s.log.store.length === s.log.length ? s.log.store : s.log.store.copy(s.log.length);
  return {
    ...s,
    subgraphValues: { ...s.subgraphValues },
    updatesByNode: { ...s.updatesByNode },
    messages: s.messages.slice(),
    tokens: s.tokens.slice(),
    stepsCompleted: s.stepsCompleted.slice(),
    nodes: { ...s.nodes },
    nodeOrder: s.nodeOrder.slice(),
    tools: s.tools.slice(),
    customChunks: s.customChunks.slice(),
    log: new LogView(store, s.log.length),
    errors: s.errors.slice(),
    stats: { ...s.stats },
  };
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** A case of the run reducer: changes the draft state for one event of type `K`. */
type Case<K extends WorkerEventType> = (s: RunState, ev: EventOf<K>, receivedAt: number) => void;

/** The run reducer's case for every event type: a new event type does not compile without one. */
export type RunCases = { [K in WorkerEventType]: Case<K> };

const ignore = () => {};

function terminal(status: RunStatus) {
  return (s: RunState, ev: WorkerEvent, receivedAt: number) => {
    s.status = status;
    s.endedAt = receivedAt;
    s.waitingFor = undefined;
    if (ev.type === 'run.failed' || ev.type === 'run.rejected') s.error = ev.error;
    if (ev.type === 'run.interrupted') s.interruptedNext = ev.next;
    for (const n of Object.values(s.nodes))
      if (n.status === 'running') s.nodes[n.node] = { ...n, status: ev.type === 'run.completed' ? 'done' : 'failed' };
  };
}

/** What each event does to the run state. Engine events, replies and notices are reduced elsewhere. */
export const RUN_CASES: RunCases = {
  'run.waiting': (s, ev) => {
    s.waitingFor = ev.threadId;
  },
  'run.started': (s, ev, receivedAt) => {
    s.status = 'running';
    s.waitingFor = undefined;
    s.graph = ev.graph;
    s.streamModes = ev.streamModes;
    s.subgraphs = ev.subgraphs;
    s.threadId = ev.threadId;
    s.startedAt ??= receivedAt;
  },
  'run.completed': terminal('completed'),
  'run.interrupted': terminal('interrupted'),
  'run.cancelled': terminal('cancelled'),
  'run.failed': terminal('failed'),
  'run.rejected': terminal('rejected'),
  stream: (s, ev, receivedAt) => applyStream(s, ev, receivedAt),
  custom: (s, ev, receivedAt) => applyCustom(s, ev, receivedAt),
  'engine.state': ignore,
  'engine.progress': ignore,
  'engine.usage': ignore,
  'engine.list': ignore,
  'graph.info': ignore,
  'bench.result': ignore,
  threads: ignore,
  'thread.state': ignore,
  'thread.history': ignore,
  ack: ignore,
  'threads.changed': ignore,
  error: ignore,
};

/** Families whose events belong to the run on screen and appear in its log. */
const LOGGED = new Set<string>(['lifecycle', 'terminal', 'stream', 'custom']);

function applyRunEvent(s: Draft, ev: WorkerEvent, receivedAt: number, age: number): void {
  s.lastSeq = ev.seq;
  s.stats.events += 1;
  s.stats.firstEventAt ??= receivedAt;
  if (Number.isFinite(age) && age >= 0) {
    s.stats.latencySumMs += age;
    s.stats.latencyCount += 1;
  }
  if (LOGGED.has(EVENTS[ev.type].family)) s.log.store.append(ev);
  (RUN_CASES[ev.type] as Case<WorkerEventType>)(s, ev as never, receivedAt);
}

function applyStream(s: RunState, ev: StreamChunkEvent, receivedAt: number): void {
  switch (ev.mode) {
    case 'values':
      // A pause (interruptBefore/After) is announced as a chunk of its own; it is not the state.
      if (isInterruptChunk(ev.chunk)) return;
      if (ev.ns.length === 0) s.values = ev.chunk;
      else s.subgraphValues[ev.ns.join('|')] = ev.chunk;
      return;
    case 'updates': {
      if (!ev.chunk || typeof ev.chunk !== 'object') return;
      for (const [node, update] of Object.entries(ev.chunk as Record<string, unknown>)) {
        if (node.startsWith('__')) continue;
        const list = (s.updatesByNode[node] ?? []).slice();
        pushBounded(list, update, LIMITS.updatesPerNode);
        s.updatesByNode[node] = list;
        // A graph without the seed's node events still gets a timeline from its updates.
        if (ev.ns.length === 0 && !s.nodes[node]) {
          s.nodes[node] = { node, status: 'done', endedAt: receivedAt, steps: {} };
          s.nodeOrder.push(node);
        }
      }
      return;
    }
    case 'messages': {
      const [msg, meta] = (Array.isArray(ev.chunk) ? ev.chunk : []) as [
        { id?: string; type?: string; content?: unknown; chunk?: boolean } | undefined,
        { langgraph_node?: string } | undefined,
      ];
      if (!msg) return;
      addMessageChunk(s, msg, meta?.langgraph_node, ev.ns);
      return;
    }
    case 'custom':
      pushBounded(s.customChunks, ev.chunk, LIMITS.customChunks);
      return;
    case 'tasks':
      applyTask(s, ev, receivedAt);
      return;
    default:
      return;
  }
}

/**
 * `tasks` mode: a node starting (`{id, name, input, triggers}`) and ending (`{id, name, result,
 * error}`), so any graph's timeline and picture show what runs now, not only what has finished.
 * A subgraph's node is named as the picture draws it: `validate:generate_ddl`.
 */
function applyTask(s: RunState, ev: StreamChunkEvent, receivedAt: number): void {
  const task = ev.chunk as { name?: unknown; result?: unknown; error?: unknown } | null;
  if (!task || typeof task.name !== 'string' || task.name.startsWith('__')) return;
  const node = nodeKey(ev.ns, task.name);
  const prev = s.nodes[node];
  if (!prev) s.nodeOrder.push(node);
  if (!('result' in task) && !('error' in task)) {
    s.nodes[node] = { node, status: 'running', startedAt: receivedAt, steps: prev?.steps ?? {} };
    return;
  }
  const failed = task.error !== undefined && task.error !== null;
  const startedAt = prev?.startedAt;
  s.nodes[node] = {
    ...(prev ?? { node, steps: {} }),
    status: failed ? 'failed' : 'done',
    endedAt: receivedAt,
    durationMs: startedAt !== undefined ? receivedAt - startedAt : undefined,
    ...(failed ? { error: String((task.error as { message?: unknown })?.message ?? task.error) } : {}),
  };
}

function isInterruptChunk(chunk: unknown): boolean {
  return typeof chunk === 'object' && chunk !== null && Object.keys(chunk).length === 1 && '__interrupt__' in chunk;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((p) => (typeof p === 'string' ? p : ((p as { text?: string })?.text ?? ''))).join('');
  return '';
}

function addMessageChunk(
  s: RunState,
  msg: { id?: string; type?: string; content?: unknown; chunk?: boolean },
  node: string | undefined,
  ns: string[],
): void {
  const id = msg.id ?? `anon-${s.messages.length}`;
  const i = s.messages.findLastIndex((m) => m.id === id);
  // A chunk adds to the message with its id; a whole message replaces it.
  const isChunk = msg.chunk === true || (msg.type ?? '').endsWith('chunk') || msg.type === 'AIMessageChunk';
  if (i === -1) {
    const view: MessageView = { id, type: (msg.type ?? 'ai').replace(/chunk$/i, ''), content: textOf(msg.content), ns };
    if (node) view.node = node;
    s.messages.push(adopt(s as Draft, view));
  } else {
    const m = owned(s as Draft, s.messages, i);
    m.content = isChunk ? m.content + textOf(msg.content) : textOf(msg.content);
  }
}

type Payload<K extends keyof SeedEventPayloads> = SeedEventPayloads[K];

function applyCustom(s: RunState, ev: CustomEvent, receivedAt: number): void {
  const data = (ev.data ?? {}) as Record<string, unknown>;
  switch (ev.name) {
    case 'custom_token': {
      const p = data as unknown as Payload<'custom_token'>;
      if (typeof p.content !== 'string' || typeof p.id !== 'string') return;
      s.stats.tokens += 1;
      s.stats.firstTokenAt ??= receivedAt;
      s.stats.lastTokenAt = receivedAt;
      const i = s.tokens.findLastIndex((t) => t.id === p.id);
      if (i === -1) {
        const view: TokenStreamView = { id: p.id, agentName: p.agentName, content: p.content, count: 1, node: ev.node };
        s.tokens.push(adopt(s as Draft, view));
      } else {
        const t = owned(s as Draft, s.tokens, i);
        t.content += p.content;
        t.count += 1;
      }
      return;
    }
    case 'token_update': {
      const p = data as unknown as Payload<'token_update'>;
      s.tokenUpdate = { content: String(p.content ?? ''), partial: Boolean(p.partial) };
      return;
    }
    case 'progress_update': {
      const p = data as unknown as Payload<'progress_update'>;
      s.progress = { step: String(p.step), progress: clamp01(Number(p.progress)), message: String(p.message ?? '') };
      return;
    }
    case 'step_complete': {
      const p = data as unknown as Payload<'step_complete'>;
      s.stepsCompleted.push({ step: String(p.step), result: p.result });
      return;
    }
    case 'schema_progress': {
      const p = data as unknown as Payload<'schema_progress'>;
      s.schemaProgress = {
        current: Number(p.current),
        total: Number(p.total),
        percentage: Math.max(0, Math.min(100, Number(p.percentage))),
        operation: String(p.operation),
      };
      return;
    }
    case 'tool_start': {
      const p = data as unknown as Payload<'tool_start'>;
      s.tools.push({
        index: s.tools.length,
        toolName: String(p.toolName),
        input: p.input,
        status: 'running',
        startedAt: receivedAt,
      });
      return;
    }
    case 'tool_success':
    case 'tool_error': {
      const p = data as { toolName?: string; result?: unknown; error?: string };
      const i = s.tools.findLastIndex((t) => t.toolName === p.toolName && t.status === 'running');
      if (i === -1) return;
      s.tools[i] =
        ev.name === 'tool_success'
          ? { ...s.tools[i], status: 'success', result: p.result, endedAt: receivedAt }
          : { ...s.tools[i], status: 'error', error: String(p.error), endedAt: receivedAt };
      return;
    }
    case 'node_start':
    case 'node_complete': {
      const node = nodeKey(ev.ns, String(data.node ?? ev.node ?? '?'));
      const prev = s.nodes[node];
      if (!prev) s.nodeOrder.push(node);
      if (ev.name === 'node_start')
        s.nodes[node] = { node, status: 'running', startedAt: receivedAt, steps: prev?.steps ?? {} };
      else {
        const startedAt = prev?.startedAt;
        s.nodes[node] = {
          node,
          status: 'done',
          startedAt,
          endedAt: receivedAt,
          durationMs: startedAt !== undefined ? receivedAt - startedAt : undefined,
          steps: prev?.steps ?? {},
        };
      }
      return;
    }
    case 'node_progress': {
      const p = data as unknown as Payload<'node_progress'>;
      const node = nodeKey(ev.ns, String(p.node));
      const prev = s.nodes[node] ?? { node, status: 'running' as const, startedAt: receivedAt, steps: {} };
      if (!s.nodes[node]) s.nodeOrder.push(node);
      s.nodes[node] = { ...prev, steps: { ...prev.steps, [String(p.step)]: String(p.status) } };
      return;
    }
    case 'execution_error': {
      const p = data as unknown as Payload<'execution_error'>;
      const node = nodeKey(ev.ns, ev.node ?? String(p.context));
      const prev = s.nodes[node];
      if (prev) s.nodes[node] = { ...prev, status: 'failed', endedAt: receivedAt, error: String(p.error) };
      pushBounded(
        s.errors,
        { context: String(p.context), error: { name: 'ExecutionError', message: String(p.error), stack: p.stack } },
        LIMITS.errors,
      );
      return;
    }
    default:
      return;
  }
}

/**
 * A node's name in the timeline and the picture: a subgraph's node carries its parents' names
 * (`validate:generate_ddl`, from the namespace `['validate:<task id>']`), as LangGraph draws it.
 * A node that names its own subgraph (the parent reporting its steps from inside) keeps its name.
 */
export function nodeKey(ns: readonly string[], node: string): string {
  const parents = ns.map((seg) => seg.split(':')[0]);
  if (parents.at(-1) === node) parents.pop();
  return [...parents, node].join(':');
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 0;
}
