import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import type { CollaborationUpdate } from '../../../src/client/crossTab';
import { parseNdjson, toNdjson } from '../../../src/client/recording/ndjson';
import type { ThreadInfo, WorkerEvent } from '../../../src/protocol';
import { changesThreads, clockTime, describeUpdate, followedUser } from '../../../src/ui/tabs/liveTabs';
import {
  awaitsApproval,
  MAX_PENDING_ROWS,
  parsePendingOperations,
  pausedDesign,
  rejectionUpdate,
} from '../../../src/graphs/schema/panel/pendingOps';
import { RunRecordings, recordingFileName, speedOf } from '../../../src/client/recording/lastRun';
import {
  isoTime,
  messageText,
  relativeTime,
  sortThreads,
  threadStatus,
  threadTitle,
} from '../../../src/ui/threads/threadView';

const thread = (patch: Partial<ThreadInfo>): ThreadInfo => ({
  threadId: 't1',
  graph: 'schema',
  title: 'a blog',
  createdAt: 0,
  updatedAt: 0,
  lastRunId: 'r1',
  lastStatus: 'completed',
  ...patch,
});

describe('thread list helpers', () => {
  it('says how long ago, coarsely and deterministically', () => {
    const now = Date.UTC(2025, 0, 31, 12);
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now + 5_000, now)).toBe('just now');
    expect(relativeTime(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(relativeTime(now - 26 * 3_600_000, now)).toBe('yesterday');
    expect(relativeTime(now - 5 * 86_400_000, now)).toBe('5 days ago');
    expect(relativeTime(Date.UTC(2024, 5, 1), now)).toBe('2024-06-01');
    expect(relativeTime(NaN, now)).toBe('unknown time');
    expect(isoTime(NaN)).toBe('');
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('sorts newest first without touching the input', () => {
    const list = [thread({ threadId: 'a', updatedAt: 1 }), thread({ threadId: 'b', updatedAt: 3 })];
    expect(sortThreads(list).map((t) => t.threadId)).toEqual(['b', 'a']);
    expect(list[0].threadId).toBe('a');
  });

  it('shows a running thread as running here when it is the live run, else as running elsewhere', () => {
    const t = thread({ lastStatus: 'running', lastRunId: 'r9' });
    expect(threadStatus(t, 'r9')).toEqual({ status: 'running', label: 'running', elsewhere: false });
    expect(threadStatus(t, null)).toEqual({ status: 'running', label: 'running elsewhere', elsewhere: true });
    expect(threadStatus(t, 'other')).toEqual({ status: 'running', label: 'running elsewhere', elsewhere: true });
    expect(threadStatus(thread({ lastStatus: 'interrupted', lastRunId: 'r9' }), null)).toEqual({
      status: 'interrupted',
      label: 'interrupted',
      elsewhere: false,
    });
    expect(threadStatus(thread({ lastStatus: 'failed' }), 'r1').label).toBe('failed');
  });

  it('never shows an empty or huge title, and reads saved messages as text', () => {
    expect(threadTitle({ threadId: 'abcdef123456', title: '  ' })).toBe('Thread abcdef12');
    expect(threadTitle({ threadId: 'x', title: 'a\n\nb' })).toBe('a b');
    expect(threadTitle({ threadId: 'x', title: 'y'.repeat(500) }).length).toBe(80);
    expect(messageText({ type: 'ai', content: '<b>hi</b>' })).toEqual({ role: 'ai', text: '<b>hi</b>' });
    expect(messageText({ content: [{ type: 'text', text: 'a' }, 'b', 7] })).toEqual({ role: 'message', text: 'ab' });
    expect(messageText(null)).toBeNull();
  });
});

describe('pending operations (untrusted model text)', () => {
  it('reads operations, with a bounded preview of each value', () => {
    const answer =
      'Here you go:\n```json\n' +
      JSON.stringify({
        operations: [
          { op: 'add', path: '/tables/users', value: { columns: { id: { type: 'bigserial' } } } },
          { op: 'remove', path: '/tables/old' },
        ],
        rationale: 'Users first.',
      }) +
      '\n```';
    const p = parsePendingOperations(answer);
    expect(p.error).toBeNull();
    expect(p.rationale).toBe('Users first.');
    expect(p.operations).toEqual([
      { op: 'add', path: '/tables/users', value: '{columns:{id:{type:"bigserial"}}}' },
      { op: 'remove', path: '/tables/old', value: '' },
    ]);
  });

  it('turns malformed answers into a message, never a throw', () => {
    expect(parsePendingOperations(undefined).error).toMatch(/no answer/);
    expect(parsePendingOperations('no json here').error).toMatch(/no JSON object/);
    expect(parsePendingOperations('{"operations": [}').error).toMatch(/not valid JSON/);
    expect(parsePendingOperations('{"ops": []}').error).toMatch(/no "operations" list/);
    expect(parsePendingOperations('{"operations": []}').error).toMatch(/empty/);
    const mixed = parsePendingOperations('{"operations": [1, {"op": 2, "path": "/x"}, {"op":"add","path":"/y"}]}');
    expect(mixed.error).toBe('2 operations are malformed (shown as "?").');
    expect(mixed.operations.map((o) => o.op)).toEqual(['?', '?', 'add']);
    expect(mixed.operations[0].value).toBe('1');
  });

  it('bounds rows and text', () => {
    const ops = Array.from({ length: MAX_PENDING_ROWS + 5 }, (_, i) => ({
      op: 'add',
      path: `/tables/t${i}${'x'.repeat(1000)}`,
      value: 'v'.repeat(10_000),
    }));
    const p = parsePendingOperations(JSON.stringify({ operations: ops }));
    expect(p.operations).toHaveLength(MAX_PENDING_ROWS);
    expect(p.hidden).toBe(5);
    expect(p.operations[0].path.length).toBeLessThanOrEqual(200);
    expect(p.operations[0].value.length).toBeLessThanOrEqual(120);
  });

  it('knows when a run waits for approval, and builds the rejection update', () => {
    expect(awaitsApproval({ status: 'interrupted', graph: 'schema', interruptedNext: ['apply'] })).toBe(true);
    expect(awaitsApproval({ status: 'interrupted', graph: 'schema', interruptedNext: ['design'] })).toBe(false);
    expect(awaitsApproval({ status: 'completed', graph: 'schema', interruptedNext: ['apply'] })).toBe(false);
    expect(rejectionUpdate('  add created_at ')).toEqual({ lastError: 'Rejected by the reviewer: add created_at' });
    expect(rejectionUpdate('')).toEqual({ lastError: 'Rejected by the reviewer: no reason given' });
    expect(pausedDesign({ designAnswer: 'x', attempts: 2 })).toEqual({ answer: 'x', attempts: 2 });
    expect(pausedDesign(null)).toEqual({ answer: undefined, attempts: null });
  });
});

const ev = (runId: string, seq: number, type: string, extra: object = {}) =>
  ({ runId, seq, ts: seq, type, ...extra }) as unknown as WorkerEvent;
const started = (runId: string, seq: number) =>
  ev(runId, seq, 'run.started', { graph: 'demo', streamModes: ['values'], subgraphs: false });
const chunk = (runId: string, seq: number) => ev(runId, seq, 'stream', { mode: 'values', ns: [], chunk: { n: seq } });

describe('RunRecordings', () => {
  it('keeps the last finished run, and only its events; the export parses back', () => {
    const r = new RunRecordings();
    r.push([started('a', 1), chunk('a', 2)], 0);
    expect(get(r.last)).toEqual({ kind: 'none' });
    r.push([chunk('a', 3), chunk('other', 4), ev('a', 5, 'run.completed')], 10);
    const last = get(r.last);
    expect(last.kind).toBe('ready');
    if (last.kind !== 'ready') return;
    expect(last.events).toBe(4);
    const back = parseNdjson(toNdjson(last.recording));
    expect(back.batches.flatMap((b) => b.events.map((e) => e.seq))).toEqual([1, 2, 3, 5]);
    // The next run replaces it once it ends.
    r.push([started('b', 6), ev('b', 7, 'run.cancelled')], 20);
    const next = get(r.last);
    expect(next.kind === 'ready' && next.recording.header.runId).toBe('b');
  });

  it('drops a run longer than the limit instead of growing without bound', () => {
    const r = new RunRecordings(10);
    r.push([started('a', 1)], 0);
    for (let i = 2; i < 30; i++) r.push([chunk('a', i)], i);
    r.push([ev('a', 30, 'run.completed')], 31);
    expect(get(r.last)).toEqual({ kind: 'too-long', runId: 'a' });
  });

  it('names files safely and maps speeds', () => {
    expect(recordingFileName('run-1_a')).toBe('tabgraph-run-1_a.ndjson');
    expect(recordingFileName('../x y')).toBe('tabgraph-___x_y.ndjson');
    expect(speedOf('4')).toBe(4);
    expect(speedOf('instant')).toBe(Infinity);
    expect(speedOf('bogus')).toBe(1);
  });
});

describe('cross-tab helpers', () => {
  const u = (userId: string, action: string, sessionId = 'lobby', timestamp = 0): CollaborationUpdate => ({
    userId,
    action,
    sessionId,
    timestamp,
  });

  it('follows only a run another tab started', () => {
    const updates = [u('tab-a', 'joined'), u('tab-b', 'run_started', 'r1'), u('me', 'run_started', 'r2')];
    expect(followedUser('tab-b', updates, 'r1', 'me')).toBe('tab-b');
    expect(followedUser('tab-b', updates, 'r2', 'me')).toBeNull();
    expect(followedUser(null, updates, 'r1', 'me')).toBeNull();
    expect(followedUser('tab-b', updates, null, 'me')).toBeNull();
  });

  it('describes updates as text, and knows which change the saved threads', () => {
    expect(describeUpdate(u('me', 'run_started'), 'me')).toBe('You started a run');
    expect(describeUpdate(u('tab-b', '<img src=x>'), 'me')).toBe('tab-b <img src=x>');
    expect(clockTime(NaN)).toBe('--:--:--');
    expect(clockTime(new Date(2025, 0, 1, 9, 5, 7).getTime())).toBe('09:05:07');
    expect(changesThreads(u('tab-b', 'run_completed'), 'me')).toBe(true);
    expect(changesThreads(u('me', 'run_completed'), 'me')).toBe(false);
    expect(changesThreads(u('tab-b', 'run_started'), 'me')).toBe(false);
  });
});
