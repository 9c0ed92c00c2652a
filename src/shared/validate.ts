import {
  ENGINE_KINDS,
  GRAPH_IDS,
  MAX_INPUT_CHARS,
  STREAM_MODES,
  type Command,
  type EngineSelection,
  type EventBatch,
  type StreamMode,
  type WorkerEvent,
} from '../protocol';

/** The outcome of checking one message: the typed value, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function checkModes(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0) return 'streamModes must be a non-empty array';
  for (const m of v) if (!STREAM_MODES.includes(m as StreamMode)) return `unknown stream mode "${String(m)}"`;
  return null;
}

function checkSelection(v: unknown): string | null {
  if (!isObj(v)) return 'selection must be an object';
  if (!ENGINE_KINDS.includes(v.kind as EngineSelection['kind'])) return `unknown engine "${String(v.kind)}"`;
  if (v.modelId !== undefined && !isNonEmptyStr(v.modelId)) return 'modelId must be a non-empty string';
  if (v.modelBaseUrl !== undefined && !isStr(v.modelBaseUrl)) return 'modelBaseUrl must be a string';
  if (v.demo !== undefined) {
    if (!isObj(v.demo)) return 'demo must be an object';
    const { tokensPerSecond, malformedAnswers, minTokens } = v.demo;
    if (minTokens !== undefined && (!isNum(minTokens) || minTokens < 0 || minTokens > 10_000_000))
      return 'demo.minTokens must be a number from 0 to 10,000,000';
    if (tokensPerSecond !== undefined && (!isNum(tokensPerSecond) || tokensPerSecond < 0))
      return 'demo.tokensPerSecond must be a number >= 0';
    if (malformedAnswers !== undefined && (!isNum(malformedAnswers) || malformedAnswers < 0))
      return 'demo.malformedAnswers must be a number >= 0';
  }
  return null;
}

function inputSize(input: unknown): number {
  try {
    return JSON.stringify(input ?? null).length;
  } catch {
    return Infinity;
  }
}

/** Validates a message the worker received. Never throws. */
export function parseCommand(msg: unknown): Parsed<Command> {
  if (!isObj(msg)) return fail(`command must be an object, got ${describe(msg)}`);
  const t = msg.type;
  switch (t) {
    case 'run':
    case 'resume': {
      if (!isNonEmptyStr(msg.runId)) return fail(`${t}: runId must be a non-empty string`);
      if (!GRAPH_IDS.includes(msg.graph as never)) return fail(`${t}: unknown graph "${String(msg.graph)}"`);
      const modes = checkModes(msg.streamModes);
      if (modes) return fail(`${t}: ${modes}`);
      if (!isBool(msg.subgraphs)) return fail(`${t}: subgraphs must be a boolean`);
      if (msg.interruptBefore !== undefined && !isStrArray(msg.interruptBefore))
        return fail(`${t}: interruptBefore must be an array of node names`);
      if (t === 'run') {
        if (msg.threadId !== undefined && !isNonEmptyStr(msg.threadId)) return fail('run: threadId must be a string');
        if (inputSize(msg.input) > MAX_INPUT_CHARS)
          return fail(`run: input is larger than the limit of ${MAX_INPUT_CHARS} characters`);
      } else {
        if (!isNonEmptyStr(msg.threadId)) return fail('resume: threadId must be a non-empty string');
        if (msg.update !== undefined && !isObj(msg.update)) return fail('resume: update must be an object');
        if (msg.asNode !== undefined && !isNonEmptyStr(msg.asNode)) return fail('resume: asNode must be a node name');
      }
      return { ok: true, value: msg as unknown as Command };
    }
    case 'cancel':
      if (!isNonEmptyStr(msg.runId)) return fail('cancel: runId must be a non-empty string');
      return { ok: true, value: msg as unknown as Command };
    case 'describe':
      if (!isNonEmptyStr(msg.requestId)) return fail('describe: requestId must be a non-empty string');
      if (!GRAPH_IDS.includes(msg.graph as never)) return fail(`describe: unknown graph "${String(msg.graph)}"`);
      return { ok: true, value: msg as unknown as Command };
    case 'engine.select': {
      if (!isNonEmptyStr(msg.requestId)) return fail('engine.select: requestId must be a non-empty string');
      const sel = checkSelection(msg.selection);
      if (sel) return fail(`engine.select: ${sel}`);
      return { ok: true, value: msg as unknown as Command };
    }
    case 'engine.deleteCache':
      if (!isNonEmptyStr(msg.requestId)) return fail('engine.deleteCache: requestId must be a non-empty string');
      if (!isNonEmptyStr(msg.modelId)) return fail('engine.deleteCache: modelId must be a non-empty string');
      return { ok: true, value: msg as unknown as Command };
    case 'bench.baseline': {
      if (!isNonEmptyStr(msg.requestId)) return fail('bench.baseline: requestId must be a non-empty string');
      if (!GRAPH_IDS.includes(msg.graph as never)) return fail(`bench.baseline: unknown graph "${String(msg.graph)}"`);
      const modes = checkModes(msg.streamModes);
      if (modes) return fail(`bench.baseline: ${modes}`);
      if (!isBool(msg.subgraphs)) return fail('bench.baseline: subgraphs must be a boolean');
      return { ok: true, value: msg as unknown as Command };
    }
    case 'thread.state':
      if (!isNonEmptyStr(msg.requestId)) return fail('thread.state: requestId must be a non-empty string');
      if (!isNonEmptyStr(msg.threadId)) return fail('thread.state: threadId must be a non-empty string');
      if (!GRAPH_IDS.includes(msg.graph as never)) return fail(`thread.state: unknown graph "${String(msg.graph)}"`);
      return { ok: true, value: msg as unknown as Command };
    case 'thread.delete':
      if (!isNonEmptyStr(msg.requestId)) return fail('thread.delete: requestId must be a non-empty string');
      if (!isNonEmptyStr(msg.threadId)) return fail('thread.delete: threadId must be a non-empty string');
      return { ok: true, value: msg as unknown as Command };
    case 'threads.list':
    case 'engine.list':
    case 'ping':
      if (!isNonEmptyStr(msg.requestId)) return fail(`${t}: requestId must be a non-empty string`);
      return { ok: true, value: msg as unknown as Command };
    default:
      return fail(`unknown command type "${String(t)}"`);
  }
}

const EVENT_TYPES = new Set<string>([
  'run.started',
  'run.completed',
  'run.interrupted',
  'run.cancelled',
  'run.failed',
  'run.rejected',
  'stream',
  'custom',
  'engine.state',
  'engine.progress',
  'engine.usage',
  'engine.list',
  'graph.structure',
  'bench.result',
  'threads',
  'thread.state',
  'ack',
  'error',
]);

const RUN_EVENTS = new Set<string>([
  'run.started',
  'run.completed',
  'run.interrupted',
  'run.cancelled',
  'run.failed',
  'run.rejected',
  'stream',
  'custom',
]);

function isSerializedError(v: unknown): boolean {
  return isObj(v) && isStr(v.name) && isStr(v.message);
}

/** Validates one event the page received. Never throws. */
export function parseEvent(ev: unknown): Parsed<WorkerEvent> {
  if (!isObj(ev)) return fail(`event must be an object, got ${describe(ev)}`);
  if (!isStr(ev.type) || !EVENT_TYPES.has(ev.type)) return fail(`unknown event type "${String(ev.type)}"`);
  if (!isNum(ev.seq)) return fail(`${ev.type}: seq must be a number`);
  if (!isNum(ev.ts)) return fail(`${ev.type}: ts must be a number`);
  if (RUN_EVENTS.has(ev.type) ? !isNonEmptyStr(ev.runId) : !(ev.runId === null || isStr(ev.runId)))
    return fail(`${ev.type}: bad runId`);
  switch (ev.type) {
    case 'stream':
      if (!STREAM_MODES.includes(ev.mode as StreamMode)) return fail(`stream: unknown mode "${String(ev.mode)}"`);
      if (!isStrArray(ev.ns)) return fail('stream: ns must be an array of strings');
      break;
    case 'custom':
      if (!isNonEmptyStr(ev.name)) return fail('custom: name must be a non-empty string');
      if (!isStrArray(ev.ns)) return fail('custom: ns must be an array of strings');
      break;
    case 'run.failed':
    case 'run.rejected':
    case 'error':
      if (!isSerializedError(ev.error)) return fail(`${ev.type}: error must be {name, message}`);
      break;
    case 'engine.progress':
      if (!isNum(ev.progress) || !isStr(ev.text)) return fail('engine.progress: needs text and progress');
      break;
    case 'graph.structure':
      if (!Array.isArray(ev.nodes) || !Array.isArray(ev.edges)) return fail('graph.structure: needs nodes and edges');
      break;
    case 'engine.list':
      if (!Array.isArray(ev.models) || !isObj(ev.gpu)) return fail('engine.list: needs models and gpu');
      break;
    case 'run.interrupted':
      if (!isStrArray(ev.next)) return fail('run.interrupted: next must be an array of strings');
      break;
    case 'threads':
      if (!Array.isArray(ev.threads)) return fail('threads: threads must be an array');
      break;
    case 'thread.state':
      if (!isNonEmptyStr(ev.threadId) || !isStrArray(ev.next)) return fail('thread.state: needs threadId and next');
      break;
  }
  return { ok: true, value: ev as unknown as WorkerEvent };
}

/** Validates the envelope the worker posts; individual events are checked with {@link parseEvent}. */
export function parseBatch(msg: unknown): Parsed<EventBatch> {
  if (!isObj(msg) || msg.kind !== 'batch') return fail(`message is not an event batch (got ${describe(msg)})`);
  if (!Array.isArray(msg.events)) return fail('event batch has no events array');
  return { ok: true, value: msg as unknown as EventBatch };
}
