import type { CollaborationUpdate } from '../../client/crossTab';

/**
 * The user whose run this tab is showing, or null when the run on screen is this tab's own (or
 * a replay, or a saved thread). A followed run is one another tab announced with `run_started`
 * under the run's id; the `following` store alone stays set after this tab starts its own run.
 */
export function followedUser(
  following: string | null,
  updates: readonly CollaborationUpdate[],
  runId: string | null,
  selfId: string,
): string | null {
  if (!following || !runId) return null;
  const start = updates.findLast((u) => u.action === 'run_started' && u.sessionId === runId);
  return start && start.userId !== selfId ? start.userId : null;
}

const ACTIONS: Record<string, string> = {
  joined: 'opened the app',
  left: 'closed the app',
  run_started: 'started a run',
  run_completed: 'finished a run',
  run_cancelled: 'stopped a run',
  run_failed: 'had a run fail',
};

/** "tab-1234 started a run", with "You" for this tab; unknown actions are shown as sent (as text). */
export function describeUpdate(u: CollaborationUpdate, selfId: string): string {
  const who = u.userId === selfId ? 'You' : u.userId;
  return `${who} ${ACTIONS[u.action] ?? u.action.slice(0, 60)}`;
}

/** Clock time of an update, HH:MM:SS in the user's time zone. */
export function clockTime(ts: number): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** True for updates that mean another tab changed the saved threads (the list should refresh). */
export function changesThreads(u: CollaborationUpdate, selfId: string): boolean {
  return u.userId !== selfId && /^run_(completed|cancelled|failed)$/.test(u.action);
}
