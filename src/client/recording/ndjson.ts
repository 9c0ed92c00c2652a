import { TERMINAL_EVENTS, type GraphId, type StreamMode, type WorkerEvent } from '../../protocol';
import { namedError } from '../../shared/errors';
import { parseEvent } from '../../shared/validate';

/** First line of a recording file. */
export interface RecordingHeader {
  format: 'tabgraph-recording';
  version: 1;
  createdAt: string;
  runId: string;
  graph: GraphId;
  streamModes: StreamMode[];
  subgraphs: boolean;
}

/** One batch as it arrived, `t` ms after the first. */
export interface RecordedBatch {
  t: number;
  events: WorkerEvent[];
}

export interface Recording {
  header: RecordingHeader;
  batches: RecordedBatch[];
}

const TERMINAL = new Set<string>(TERMINAL_EVENTS);

/** Largest file an import accepts. */
export const MAX_RECORDING_BYTES = 50 * 1024 * 1024;

/**
 * Records the batches of one run as they reach the page. Start it at `run.started`; everything of
 * that run (and nothing of any other) is kept until its terminal event.
 */
export class RunRecorder {
  private start = 0;
  private header: RecordingHeader | null = null;
  private readonly batches: RecordedBatch[] = [];

  /** Feeds one batch; returns true once the recorded run has ended. */
  push(events: readonly WorkerEvent[], now = performance.now()): boolean {
    for (const ev of events) {
      if (ev.type === 'run.started' && !this.header) {
        this.start = now;
        this.header = {
          format: 'tabgraph-recording',
          version: 1,
          createdAt: new Date().toISOString(),
          runId: ev.runId,
          graph: ev.graph,
          streamModes: ev.streamModes,
          subgraphs: ev.subgraphs,
        };
      }
    }
    if (!this.header) return false;
    const runId = this.header.runId;
    const mine = events.filter((e) => e.runId === runId);
    if (mine.length) this.batches.push({ t: Math.round((now - this.start) * 100) / 100, events: mine });
    return this.ended;
  }

  get ended(): boolean {
    const last = this.batches.at(-1)?.events.at(-1);
    return Boolean(last && last.type.startsWith('run.') && last.type !== 'run.started');
  }

  /** The recording so far, or null if no run has started. */
  recording(): Recording | null {
    return this.header ? { header: this.header, batches: this.batches.slice() } : null;
  }
}

/** Serializes a recording as NDJSON: the header line, then one line per batch. */
export function toNdjson(rec: Recording): string {
  return [JSON.stringify(rec.header), ...rec.batches.map((b) => JSON.stringify(b))].join('\n') + '\n';
}

const fail = (message: string) => namedError('RecordingError', message);

/**
 * Parses and validates a recording file. Throws an Error named `RecordingError` saying what is
 * wrong and where; a file that fails changes nothing.
 */
export function parseNdjson(text: string): Recording {
  if (text.length > MAX_RECORDING_BYTES) throw fail(`The file is larger than ${MAX_RECORDING_BYTES / 1024 / 1024} MB.`);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw fail('The file is empty.');
  const header = parseLine(lines[0], 1) as Partial<RecordingHeader>;
  if (header.format !== 'tabgraph-recording') throw fail('Line 1 is not a Tabgraph recording header.');
  if (header.version !== 1) throw fail(`Line 1: unsupported recording version ${String(header.version)}.`);
  if (typeof header.runId !== 'string' || typeof header.graph !== 'string' || !Array.isArray(header.streamModes))
    throw fail('Line 1: the header lacks runId, graph or streamModes.');
  const batches: RecordedBatch[] = [];
  let lastSeq = -Infinity;
  let lastT = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const line = parseLine(lines[i], i + 1) as Partial<RecordedBatch>;
    if (typeof line.t !== 'number' || !Number.isFinite(line.t) || line.t < lastT)
      throw fail(`Line ${i + 1}: "t" must be a number that never decreases.`);
    if (!Array.isArray(line.events)) throw fail(`Line ${i + 1}: "events" must be an array.`);
    const events: WorkerEvent[] = [];
    for (const raw of line.events) {
      const parsed = parseEvent(raw);
      if (!parsed.ok) throw fail(`Line ${i + 1}: ${parsed.error}.`);
      if (parsed.value.runId !== header.runId) throw fail(`Line ${i + 1}: an event of another run.`);
      if (parsed.value.seq <= lastSeq) throw fail(`Line ${i + 1}: events are out of order (seq ${parsed.value.seq}).`);
      lastSeq = parsed.value.seq;
      events.push(parsed.value);
    }
    lastT = line.t;
    batches.push({ t: line.t, events });
  }
  if (batches[0]?.events[0]?.type !== 'run.started') throw fail('The recording does not begin with run.started.');
  const last = batches.at(-1)?.events.at(-1)?.type ?? '';
  if (!TERMINAL.has(last)) throw fail('The recording ends before its run did: the file looks truncated.');
  return { header: header as RecordingHeader, batches };
}

function parseLine(line: string, n: number): unknown {
  try {
    const v: unknown = JSON.parse(line);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    throw fail(`Line ${n} is not a JSON object.`);
  }
}

export interface ReplayTarget {
  begin(runId: string, graph: GraphId, streamModes: StreamMode[], subgraphs: boolean): void;
  apply(events: readonly WorkerEvent[]): void;
}

/**
 * Replays a recording into stores: at the recorded pace (`speed` 1), faster (`speed` > 1), or at
 * once (`speed` Infinity). Aborting the signal stops between batches.
 */
export async function replay(rec: Recording, target: ReplayTarget, speed = 1, signal?: AbortSignal): Promise<void> {
  const { runId, graph, streamModes, subgraphs } = rec.header;
  target.begin(runId, graph, streamModes, subgraphs);
  const t0 = performance.now();
  for (const batch of rec.batches) {
    if (signal?.aborted) return;
    const due = t0 + batch.t / speed;
    const wait = due - performance.now();
    if (Number.isFinite(wait) && wait > 1) await new Promise((r) => setTimeout(r, wait));
    target.apply(batch.events);
  }
}
