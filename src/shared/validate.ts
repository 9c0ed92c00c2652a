/**
 * Runtime checks of everything that crosses the worker boundary, derived from the tables in
 * `protocol.ts`: which types exist, which carry a run id or a request id, comes from each
 * entry's family; the per-type field checks below are keyed by the same types.
 */
import {
  COMMANDS,
  ENGINE_KINDS,
  EVENTS,
  MAX_INPUT_CHARS,
  STREAM_MODES,
  type Command,
  type CommandType,
  type EngineSelection,
  type EventBatch,
  type StreamMode,
  type WorkerEvent,
  type WorkerEventType,
} from '../protocol';
import { packedProblem } from './packing';

/** The outcome of checking one message: the typed value, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;
/** A check of one message's own fields: null when they are fine, else what is wrong. */
type Check = (msg: Obj) => string | null;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const has = <T extends object>(table: T, key: unknown): key is keyof T => isStr(key) && Object.hasOwn(table, key);

/** Graph ids as `langgraph.json` may spell them: letters, digits, `_`, `-` and `.`. */
export const GRAPH_ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

/** True for a string that can name a graph (whether such a graph exists is the worker's call). */
export function isGraphId(v: unknown): v is string {
  return isStr(v) && GRAPH_ID_PATTERN.test(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const graph: Check = (m) => (isGraphId(m.graph) ? null : `bad graph id "${String(m.graph)}"`);

const streamOptions: Check = (m) => {
  if (!Array.isArray(m.streamModes) || m.streamModes.length === 0) return 'streamModes must be a non-empty array';
  for (const mode of m.streamModes)
    if (!STREAM_MODES.includes(mode as StreamMode)) return `unknown stream mode "${String(mode)}"`;
  if (!isBool(m.subgraphs)) return 'subgraphs must be a boolean';
  for (const key of ['interruptBefore', 'interruptAfter'])
    if (m[key] !== undefined && !isStrArray(m[key])) return `${key} must be an array of node names`;
  return null;
};

const inputSize = (input: unknown): number => {
  try {
    return JSON.stringify(input ?? null).length;
  } catch {
    return Infinity;
  }
};

const input: Check = (m) =>
  inputSize(m.input) > MAX_INPUT_CHARS ? `input is larger than the limit of ${MAX_INPUT_CHARS} characters` : null;

const threadId: Check = (m) => (isNonEmptyStr(m.threadId) ? null : 'threadId must be a non-empty string');
const optionalThreadId: Check = (m) => (m.threadId === undefined ? null : threadId(m));

function selection(m: Obj): string | null {
  const v = m.selection;
  if (!isObj(v)) return 'selection must be an object';
  if (!ENGINE_KINDS.includes(v.kind as EngineSelection['kind'])) return `unknown engine "${String(v.kind)}"`;
  if (v.modelId !== undefined && !isNonEmptyStr(v.modelId)) return 'modelId must be a non-empty string';
  if (v.modelBaseUrl !== undefined && !isStr(v.modelBaseUrl)) return 'modelBaseUrl must be a string';
  if (v.demo === undefined) return null;
  if (!isObj(v.demo)) return 'demo must be an object';
  const { tokensPerSecond, malformedAnswers, minTokens } = v.demo;
  if (minTokens !== undefined && (!isNum(minTokens) || minTokens < 0 || minTokens > 10_000_000))
    return 'demo.minTokens must be a number from 0 to 10,000,000';
  if (tokensPerSecond !== undefined && (!isNum(tokensPerSecond) || tokensPerSecond < 0))
    return 'demo.tokensPerSecond must be a number >= 0';
  if (malformedAnswers !== undefined && (!isNum(malformedAnswers) || malformedAnswers < 0))
    return 'demo.malformedAnswers must be a number >= 0';
  return null;
}

const all =
  (...checks: Check[]): Check =>
  (m) => {
    for (const c of checks) {
      const problem = c(m);
      if (problem) return problem;
    }
    return null;
  };
const none: Check = () => null;

/** Each command's own fields (the family's `runId` / `requestId` are checked before). */
const COMMAND_CHECKS: { [K in CommandType]: Check } = {
  run: all(graph, streamOptions, optionalThreadId, input),
  resume: all(graph, streamOptions, threadId, (m) => {
    if (m.checkpointId !== undefined && !isNonEmptyStr(m.checkpointId)) return 'checkpointId must be a string';
    if (m.update !== undefined && !isObj(m.update)) return 'update must be an object';
    return m.asNode !== undefined && !isNonEmptyStr(m.asNode) ? 'asNode must be a node name' : null;
  }),
  cancel: none,
  describe: graph,
  'engine.select': selection,
  'engine.list': none,
  'engine.deleteCache': (m) => (isNonEmptyStr(m.modelId) ? null : 'modelId must be a non-empty string'),
  'bench.baseline': all(graph, streamOptions, input),
  'threads.list': none,
  'thread.state': all(graph, threadId, (m) =>
    m.checkpointId !== undefined && !isNonEmptyStr(m.checkpointId) ? 'checkpointId must be a string' : null,
  ),
  'thread.history': all(graph, threadId),
  'thread.delete': threadId,
  ping: none,
};

/** Validates a message the worker received. Never throws. */
export function parseCommand(msg: unknown): Parsed<Command> {
  if (!isObj(msg)) return { ok: false, error: `command must be an object, got ${describe(msg)}` };
  const t = msg.type;
  if (!has(COMMANDS, t)) return { ok: false, error: `unknown command type "${String(t)}"` };
  const family = COMMANDS[t].family;
  const idKey = family === 'request' ? 'requestId' : 'runId';
  const problem = isNonEmptyStr(msg[idKey]) ? COMMAND_CHECKS[t](msg) : `${idKey} must be a non-empty string`;
  return problem ? { ok: false, error: `${t}: ${problem}` } : { ok: true, value: msg as unknown as Command };
}

const isError = (v: unknown) => isObj(v) && isStr(v.name) && isStr(v.message);
const error: Check = (e) => (isError(e.error) ? null : 'error must be {name, message}');

/** Each event's own fields, where it has some worth checking. */
const EVENT_CHECKS: { [K in WorkerEventType]?: Check } = {
  stream: (e) => {
    if (!STREAM_MODES.includes(e.mode as StreamMode)) return `unknown mode "${String(e.mode)}"`;
    return isStrArray(e.ns) ? null : 'ns must be an array of strings';
  },
  custom: (e) => {
    if (!isNonEmptyStr(e.name)) return 'name must be a non-empty string';
    return isStrArray(e.ns) ? null : 'ns must be an array of strings';
  },
  'run.failed': error,
  'run.rejected': error,
  error,
  'run.interrupted': (e) => (isStrArray(e.next) ? null : 'next must be an array of strings'),
  'run.waiting': threadId,
  'engine.progress': (e) => (isNum(e.progress) && isStr(e.text) ? null : 'needs text and progress'),
  'graph.info': (e) =>
    isGraphId(e.graph) && isBool(e.available) && Array.isArray(e.nodes) && Array.isArray(e.edges)
      ? null
      : 'needs graph, available, nodes and edges',
  'engine.list': (e) => (Array.isArray(e.models) && isObj(e.gpu) ? null : 'needs models and gpu'),
  threads: (e) => (Array.isArray(e.threads) ? null : 'threads must be an array'),
  'thread.state': (e) => (isNonEmptyStr(e.threadId) && isStrArray(e.next) ? null : 'needs threadId and next'),
  'thread.history': (e) =>
    isNonEmptyStr(e.threadId) && Array.isArray(e.checkpoints) ? null : 'needs threadId and checkpoints',
};

/** Run id rules by family: run events name their run, replies and notices none, engine events either. */
function runIdProblem(family: string, runId: unknown): string | null {
  if (family === 'engine') return runId === null || isNonEmptyStr(runId) ? null : 'bad runId';
  if (family === 'reply' || family === 'notice') return runId === null ? null : 'runId must be null';
  return isNonEmptyStr(runId) ? null : 'bad runId';
}

/** Validates one event the page received. Never throws. */
export function parseEvent(ev: unknown): Parsed<WorkerEvent> {
  if (!isObj(ev)) return { ok: false, error: `event must be an object, got ${describe(ev)}` };
  const t = ev.type;
  if (!has(EVENTS, t)) return { ok: false, error: `unknown event type "${String(t)}"` };
  const family = EVENTS[t].family;
  const problem = !isNum(ev.seq)
    ? 'seq must be a number'
    : !isNum(ev.ts)
      ? 'ts must be a number'
      : (runIdProblem(family, ev.runId) ??
        (family === 'reply' && !isNonEmptyStr(ev.requestId) ? 'requestId must be a non-empty string' : null) ??
        EVENT_CHECKS[t]?.(ev) ??
        null);
  return problem ? { ok: false, error: `${t}: ${problem}` } : { ok: true, value: ev as unknown as WorkerEvent };
}

/**
 * Validates the envelope the worker posts, with the shape of its packed part; individual events
 * (and packed templates) are checked with {@link parseEvent}.
 */
export function parseBatch(msg: unknown): Parsed<EventBatch> {
  if (!isObj(msg) || msg.kind !== 'batch')
    return { ok: false, error: `message is not an event batch (got ${describe(msg)})` };
  if (!Array.isArray(msg.events)) return { ok: false, error: 'event batch has no events array' };
  if (msg.packed !== undefined) {
    const problem = packedProblem(msg.packed, msg.events.length);
    if (problem) return { ok: false, error: `event batch: ${problem}` };
  }
  return { ok: true, value: msg as unknown as EventBatch };
}
