import type { GraphId, SerializedError, StreamMode } from '../protocol';
import { emptyLog, type LogView } from './eventLog';

export type { LogEntry, LogKind, LogView } from './eventLog';

export type RunStatus = 'idle' | 'running' | 'completed' | 'interrupted' | 'cancelled' | 'failed' | 'rejected';

export interface MessageView {
  id: string;
  type: string;
  content: string;
  node?: string;
  ns: string[];
}

export interface TokenStreamView {
  id: string;
  agentName: string;
  content: string;
  count: number;
  node?: string;
}

export interface NodeView {
  node: string;
  status: 'running' | 'done' | 'failed';
  startedAt?: number;
  endedAt?: number;
  durationMs?: number;
  /** Step statuses from `node_progress` (validate, process, save ...). */
  steps: Record<string, string>;
  error?: string;
}

export interface ToolCallView {
  index: number;
  toolName: string;
  input: unknown;
  status: 'running' | 'success' | 'error';
  result?: unknown;
  error?: string;
  startedAt: number;
  endedAt?: number;
}

export interface ProgressView {
  step: string;
  progress: number;
  message: string;
}

export interface SchemaProgressView {
  current: number;
  total: number;
  percentage: number;
  operation: string;
}

export interface RunStats {
  events: number;
  tokens: number;
  firstEventAt?: number;
  firstTokenAt?: number;
  lastTokenAt?: number;
  /**
   * Sum and count of event age on arrival (worker ts to page receive), for a mean latency. In a
   * replay, the age is taken from when the replay handed the batch over, not from the
   * recording's old timestamps.
   */
  latencySumMs: number;
  latencyCount: number;
}

/** Everything the page knows about the current run. Plain data only. */
export interface RunState {
  runId: string | null;
  graph?: GraphId;
  status: RunStatus;
  streamModes: StreamMode[];
  subgraphs: boolean;
  threadId?: string;
  /** The thread this run waits for while another tab runs it (until `run.started`). */
  waitingFor?: string;
  startedAt?: number;
  endedAt?: number;
  lastSeq: number;
  values: unknown;
  /** Latest values of each subgraph, by namespace joined with '|'. */
  subgraphValues: Record<string, unknown>;
  updatesByNode: Record<string, unknown[]>;
  messages: MessageView[];
  tokens: TokenStreamView[];
  tokenUpdate: { content: string; partial: boolean } | null;
  progress: ProgressView | null;
  schemaProgress: SchemaProgressView | null;
  stepsCompleted: { step: string; result: unknown }[];
  nodes: Record<string, NodeView>;
  nodeOrder: string[];
  tools: ToolCallView[];
  /** Latest `config.writer` chunks (stream mode `custom`). */
  customChunks: unknown[];
  /** Every logged event of the run (lifecycle, stream chunks, custom events), kept compactly. */
  log: LogView;
  /** How many events were logged (`log.length`). */
  logTotal: number;
  interruptedNext: string[];
  error: SerializedError | null;
  /** Problems that are not the run's own failure: protocol errors, execution_error events. */
  errors: { context: string; error: SerializedError }[];
  stats: RunStats;
}

/** Bounds that keep a 100,000-token run's state small (the event log is kept whole, compactly). */
export const LIMITS = { updatesPerNode: 50, customChunks: 50, errors: 50 } as const;

export function initialRunState(): RunState {
  return {
    runId: null,
    status: 'idle',
    streamModes: [],
    subgraphs: false,
    lastSeq: 0,
    values: null,
    subgraphValues: {},
    updatesByNode: {},
    messages: [],
    tokens: [],
    tokenUpdate: null,
    progress: null,
    schemaProgress: null,
    stepsCompleted: [],
    nodes: {},
    nodeOrder: [],
    tools: [],
    customChunks: [],
    log: emptyLog(),
    logTotal: 0,
    interruptedNext: [],
    error: null,
    errors: [],
    stats: { events: 0, tokens: 0, latencySumMs: 0, latencyCount: 0 },
  };
}

/** The state for a run the page has just asked for (before the worker answers). */
export function beginRun(runId: string, graph: GraphId, streamModes: StreamMode[], subgraphs: boolean): RunState {
  return { ...initialRunState(), runId, graph, streamModes, subgraphs, status: 'running', startedAt: Date.now() };
}
