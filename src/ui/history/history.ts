/**
 * The history panel's reading of a thread's checkpoints: which branch each belongs to, and what
 * changed between two states.
 */
import diff from 'microdiff';
import type { CheckpointInfo } from '../../protocol';
import { compactPreview } from '../common/preview';

/** A checkpoint with its place among the thread's branches. */
export interface HistoryEntry extends CheckpointInfo {
  /** 1 for the thread's first line; each fork starts the next number. */
  branch: number;
  /** The step a branch was forked at, on the checkpoint that starts it. */
  forkedAtStep?: number;
}

/**
 * Numbers the branches. Checkpoints come newest first; the oldest child of a checkpoint continues
 * its branch, every later child (a run from an older checkpoint, an edit) starts a new one.
 */
export function withBranches(checkpoints: readonly CheckpointInfo[]): HistoryEntry[] {
  const oldestFirst = [...checkpoints].reverse();
  const byId = new Map<string, HistoryEntry>();
  const hasChild = new Set<string>();
  let branches = 0;
  for (const c of oldestFirst) {
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    let entry: HistoryEntry;
    if (!parent) entry = { ...c, branch: ++branches };
    else if (!hasChild.has(parent.checkpointId)) entry = { ...c, branch: parent.branch };
    else entry = { ...c, branch: ++branches, forkedAtStep: parent.step };
    if (c.parentId) hasChild.add(c.parentId);
    byId.set(c.checkpointId, entry);
  }
  return checkpoints.map((c) => byId.get(c.checkpointId)!);
}

/** One difference between two states. */
export interface Change {
  kind: 'added' | 'removed' | 'changed';
  /** `a.b[2].c` */
  path: string;
  before?: string;
  after?: string;
}

/** Most changes listed: a diff longer than this is summarized. */
export const MAX_CHANGES = 200;

function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(state)';
}

/** What changed from `before` to `after` (plain JSON values), in bounded, printable form. */
export function changes(before: unknown, after: unknown): { list: Change[]; more: number } {
  const asObject = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const all = diff(asObject(before), asObject(after));
  const list = all.slice(0, MAX_CHANGES).map((d): Change => {
    const path = pathText(d.path);
    if (d.type === 'CREATE') return { kind: 'added', path, after: compactPreview(d.value, 120) };
    if (d.type === 'REMOVE') return { kind: 'removed', path, before: compactPreview(d.oldValue, 120) };
    return { kind: 'changed', path, before: compactPreview(d.oldValue, 120), after: compactPreview(d.value, 120) };
  });
  return { list, more: Math.max(0, all.length - MAX_CHANGES) };
}

/** "design, apply" for the writers of a checkpoint, in words a reader expects. */
export function writersText(c: Pick<CheckpointInfo, 'writers' | 'source'>): string {
  if (c.source === 'input') return 'input';
  if (c.source === 'update') return 'state edit';
  if (c.source === 'fork') return 'fork';
  return c.writers.join(', ') || c.source;
}
