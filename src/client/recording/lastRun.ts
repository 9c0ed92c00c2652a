import { writable, type Readable } from 'svelte/store';
import type { WorkerEvent } from '../../protocol';
import { RunRecorder, type Recording } from './ndjson';

/**
 * A run longer than this many events is not kept: a recording holds every event, and a
 * 100,000-token run must not grow the page's heap (the reducer's own logs are bounded).
 */
export const MAX_RECORDED_EVENTS = 25_000;

/** What the export button can offer: the last finished run, or why there is none. */
export type LastRecording =
  { kind: 'none' } | { kind: 'ready'; recording: Recording; events: number } | { kind: 'too-long'; runId: string };

/**
 * Records every run of this tab from its batches (`session.onEvents`), one {@link RunRecorder}
 * per run, and publishes the last finished one. Replays and followed runs of other tabs are
 * never fed here, so they are not re-recorded.
 */
export class RunRecordings {
  readonly last: Readable<LastRecording>;
  private readonly store = writable<LastRecording>({ kind: 'none' });
  private recorder: RunRecorder | null = null;
  private runId: string | null = null;
  private count = 0;
  private dropped = false;

  constructor(private readonly max = MAX_RECORDED_EVENTS) {
    this.last = { subscribe: this.store.subscribe };
  }

  /** Feeds one batch as it reached the page. */
  push(events: readonly WorkerEvent[], now = performance.now()): void {
    const start = events.findIndex((e) => e.type === 'run.started' && e.runId !== this.runId);
    if (start >= 0) {
      this.recorder = new RunRecorder();
      this.runId = events[start].runId;
      this.count = 0;
      this.dropped = false;
      events = events.slice(start);
    }
    if (!this.recorder || !this.runId) return;
    const runId = this.runId;
    if (!this.dropped) {
      this.count += events.reduce((n, e) => n + (e.runId === runId ? 1 : 0), 0);
      if (this.count > this.max) this.dropped = true;
      else if (this.recorder.push(events, now)) {
        const recording = this.recorder.recording();
        if (recording) this.store.set({ kind: 'ready', recording, events: this.count });
        this.recorder = null;
        return;
      }
    }
    if (this.dropped && events.some((e) => e.runId === runId && isEnd(e))) {
      this.store.set({ kind: 'too-long', runId });
      this.recorder = null;
    }
  }
}

const isEnd = (e: WorkerEvent) => e.type.startsWith('run.') && e.type !== 'run.started';

/** `tabgraph-<runId>.ndjson`, with anything unsafe in a file name replaced. */
export function recordingFileName(runId: string): string {
  return `tabgraph-${runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100)}.ndjson`;
}

/** Replay speeds offered, as the select's values. */
export const REPLAY_SPEEDS = [
  { value: '1', label: '1x', speed: 1 },
  { value: '4', label: '4x', speed: 4 },
  { value: 'instant', label: 'instant', speed: Infinity },
] as const;

export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number]['value'];

export const speedOf = (value: string): number => REPLAY_SPEEDS.find((s) => s.value === value)?.speed ?? 1;
