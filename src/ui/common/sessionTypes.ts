import type { Session } from '../../client/session';

/**
 * What the UI needs from a session. Components take this instead of the class, so tests can
 * hand them a stand-in with the same stores and methods.
 */
export type SessionLike = Pick<
  Session,
  'stores' | 'run' | 'cancel' | 'describe' | 'listEngines' | 'selectEngine' | 'deleteModelCache'
>;

/** A message for the page's alert region. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
