import type { CrossTab } from '../../client/crossTab';
import type { Session } from '../../client/session';
import type { SessionLike } from './sessionTypes';

/** The session as the whole app uses it: runs, threads, approval and the event feed. */
export type AppSession = SessionLike &
  Pick<Session, 'resume' | 'openThread' | 'deleteThread' | 'refreshThreads' | 'onEvents'>;

/** What the UI reads of the cross-tab channel. */
export type CrossTabLike = Pick<CrossTab, 'userId' | 'updates' | 'following'>;

/** A resume request; `asNode` makes the update count as that node's output (reject -> design). */
export type ResumeRequest = Parameters<Session['resume']>[0] & { asNode?: string };
