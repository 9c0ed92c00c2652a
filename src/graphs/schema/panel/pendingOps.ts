import { compactPreview } from '../../../ui/common/preview';

/** One pending schema operation, as text ready for a table cell. */
export interface PendingOperation {
  op: string;
  path: string;
  /** A compact, bounded preview of the operation's value ('' when it has none). */
  value: string;
}

export interface PendingChanges {
  operations: PendingOperation[];
  rationale: string;
  /** Why the answer could not be read, or null. Operations may still be listed if some were read. */
  error: string | null;
  /** Operations beyond the display limit. */
  hidden: number;
}

/** Most rows the approval table shows. */
export const MAX_PENDING_ROWS = 300;
const MAX_TEXT = 200;

const clip = (s: string, max = MAX_TEXT) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Reads the operations the model proposed (`values.designAnswer`: model text that should hold
 * `{"operations": [...], "rationale": "..."}`). The text is untrusted: anything that is not the
 * expected shape becomes an `error` message, and every field becomes bounded plain text.
 */
export function parsePendingOperations(answer: unknown): PendingChanges {
  const none = (error: string): PendingChanges => ({ operations: [], rationale: '', error, hidden: 0 });
  if (typeof answer !== 'string' || answer.trim() === '') return none('The model gave no answer to review.');
  // Models wrap JSON in prose or code fences: take the outermost object, as the worker does.
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end < start) return none('The answer contains no JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(start, end + 1));
  } catch (err) {
    return none(`The answer is not valid JSON (${clip(err instanceof Error ? err.message : String(err))}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return none('The answer is not a JSON object.');
  const obj = parsed as Record<string, unknown>;
  const rationale = typeof obj.rationale === 'string' ? clip(obj.rationale, 2000) : '';
  if (!Array.isArray(obj.operations)) return { ...none('The answer has no "operations" list.'), rationale };
  const operations: PendingOperation[] = [];
  let malformed = 0;
  for (const item of obj.operations.slice(0, MAX_PENDING_ROWS)) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      malformed += 1;
      operations.push({ op: '?', path: '?', value: compactPreview(item, 120) });
      continue;
    }
    const o = item as Record<string, unknown>;
    if (typeof o.op !== 'string' || typeof o.path !== 'string') malformed += 1;
    operations.push({
      op: typeof o.op === 'string' ? clip(o.op, 20) : '?',
      path: typeof o.path === 'string' ? clip(o.path) : '?',
      value: 'value' in o ? compactPreview(o.value, 120) : '',
    });
  }
  const error =
    obj.operations.length === 0
      ? 'The "operations" list is empty.'
      : malformed
        ? `${malformed} operation${malformed === 1 ? ' is' : 's are'} malformed (shown as "?").`
        : null;
  return { operations, rationale, error, hidden: Math.max(0, obj.operations.length - MAX_PENDING_ROWS) };
}

/** True when a run paused for approval before the schema operations are applied. */
export function awaitsApproval(run: { status: string; interruptedNext: readonly string[]; graph?: string }): boolean {
  return run.status === 'interrupted' && run.graph === 'schema' && run.interruptedNext.includes('apply');
}

/** The state update that sends a rejected design back to the model with the reviewer's reason. */
export function rejectionUpdate(reason: string): { lastError: string } {
  const r = reason.trim() || 'no reason given';
  return { lastError: `Rejected by the reviewer: ${r}` };
}

/** The paused design in a schema thread's values: the model's answer and the attempt number. */
export function pausedDesign(values: unknown): { answer: unknown; attempts: number | null } {
  const v = (values && typeof values === 'object' ? values : {}) as { designAnswer?: unknown; attempts?: unknown };
  return { answer: v.designAnswer, attempts: typeof v.attempts === 'number' ? v.attempts : null };
}
