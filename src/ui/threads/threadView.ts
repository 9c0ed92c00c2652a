import type { ThreadInfo, ThreadStatus } from '../../protocol';

/**
 * A short English "how long ago" for the thread list. Deterministic (no locale data), so tests
 * can pin it; `now` is passed in so the list can re-render on a timer.
 */
export function relativeTime(ts: number, now: number): string {
  if (!Number.isFinite(ts)) return 'unknown time';
  const s = Math.round((now - ts) / 1000);
  // A clock a little ahead (another tab, a resumed laptop) still reads as "just now".
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return new Date(ts).toISOString().slice(0, 10);
}

/** Newest first (by last activity), without touching the store's array. */
export function sortThreads(list: readonly ThreadInfo[]): ThreadInfo[] {
  return [...list].sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
}

/**
 * The status a thread is shown with. History says `running` for a run that was cut off (the
 * worker marks it `interrupted` later); unless it is the run this tab is streaming right now, it
 * is not running, so it reads as interrupted.
 */
export function threadStatus(info: ThreadInfo, liveRunId: string | null): ThreadStatus {
  if (info.lastStatus === 'running' && info.lastRunId !== liveRunId) return 'interrupted';
  return info.lastStatus;
}

/** A title that is never empty and never a wall of text. */
export function threadTitle(info: Pick<ThreadInfo, 'title' | 'threadId'>, max = 80): string {
  const t = (info.title ?? '').replace(/\s+/g, ' ').trim();
  if (!t) return `Thread ${info.threadId.slice(0, 8)}`;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** An ISO date for `<time datetime>`, or '' for a time that is not one (never throws). */
export function isoTime(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** A saved message as one line of text: its role and its content, never markup. */
export function messageText(m: unknown): { role: string; text: string } | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as { type?: unknown; content?: unknown };
  const role = typeof o.type === 'string' ? o.type : 'message';
  let text = '';
  if (typeof o.content === 'string') text = o.content;
  else if (Array.isArray(o.content))
    text = o.content
      .map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && 'text' in p ? String(p.text) : ''))
      .join('');
  return { role, text };
}
