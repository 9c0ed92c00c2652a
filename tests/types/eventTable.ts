/**
 * Type-level tests of the event table (checked by `tsc -p tsconfig.node.json`, part of `npm test`).
 * Each `@ts-expect-error` line must fail to compile: if one compiles, tsc reports the unused
 * directive and the check fails.
 */
import type { RunCases } from '../../src/client/reducer';
import { RUN_CASES } from '../../src/client/reducer';
import type { EventOf, WorkerEvent, WorkerEventType } from '../../src/protocol';

// Every event type of the table has a reducer case, with the event of its own type.
export const cases: RunCases = RUN_CASES;

// An event type added to the table without a reducer case does not compile: the case map must
// name every type, and RUN_CASES lacks the new one.
type WithNewEvent = WorkerEventType | 'run.paused';
// @ts-expect-error -- 'run.paused' has no case in RUN_CASES
export const missingCase: { [K in WithNewEvent]: unknown } = RUN_CASES;

// Payloads are tied to their type tag: a `stream` event needs its mode, namespace and chunk.
// @ts-expect-error -- `mode`, `ns` and `chunk` are missing
export const badStream: EventOf<'stream'> = { type: 'stream', runId: 'r', seq: 1, ts: 0 };

// A reply carries no run id.
// @ts-expect-error -- replies have `runId: null`
export const badReply: EventOf<'ack'> = { type: 'ack', runId: 'r', seq: 1, ts: 0, requestId: 'q', ok: true };

// The union narrows on `type`.
export function narrow(e: WorkerEvent): string {
  if (e.type === 'custom') return e.name;
  if (e.type === 'run.failed') return e.error.message;
  // @ts-expect-error -- only `custom` events have a name
  return e.name;
}
