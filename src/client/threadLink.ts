/**
 * Threads as links: the open thread is in the page's URL (`#/thread/<id>`). Opening the link
 * opens the thread; choosing another thread, or a new one, pushes a history entry, so back and
 * forward move between threads.
 */
import type { Controller } from './controller';

const PREFIX = '#/thread/';

/** The thread id a URL hash names, or null. */
export function threadFromHash(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const id = decodeURIComponent(hash.slice(PREFIX.length));
    return id.trim() ? id : null;
  } catch {
    return null;
  }
}

/** The hash that names a thread ('' for none). */
export function hashOf(threadId: string | null): string {
  return threadId ? PREFIX + encodeURIComponent(threadId) : '';
}

/** The parts of `window` the link uses. */
export interface WindowLike {
  location: { hash: string; pathname: string; search: string };
  history: {
    pushState(data: unknown, unused: string, url: string): void;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  addEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
  removeEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
}

/** Keeps the URL and the open thread in step. */
export class ThreadLink {
  /** True while the URL is being followed, so the store's changes are not pushed back. */
  private following = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly controller: Pick<Controller, 'stores' | 'openThread' | 'newThread'>,
    private readonly win: WindowLike,
  ) {}

  /** Opens the thread the URL names (at once, no click), then follows both ways. */
  async start(): Promise<void> {
    // The store answers at once with its current value: that is not a change to push.
    this.following = true;
    this.unsubscribe = this.controller.stores.openThread.subscribe((id) => this.onThread(id));
    this.following = false;
    this.win.addEventListener('popstate', this.onUrl);
    this.win.addEventListener('hashchange', this.onUrl);
    await this.onUrl();
  }

  stop(): void {
    this.unsubscribe?.();
    this.win.removeEventListener('popstate', this.onUrl);
    this.win.removeEventListener('hashchange', this.onUrl);
  }

  private readonly onUrl = async (): Promise<void> => {
    const wanted = threadFromHash(this.win.location.hash);
    if (wanted === currentOf(this.controller)) return;
    this.following = true;
    try {
      if (wanted) {
        // A thread that does not exist gets a message and an empty page; the URL says so too.
        if (!(await this.controller.openThread(wanted))) this.go(null, 'replace');
      } else if (this.win.location.hash === '' || this.win.location.hash === '#/') this.controller.newThread();
    } finally {
      this.following = false;
    }
  };

  private onThread(id: string | null): void {
    if (this.following) return;
    if (threadFromHash(this.win.location.hash) === id) return;
    this.go(id, 'push');
  }

  private go(id: string | null, how: 'push' | 'replace'): void {
    const { pathname, search } = this.win.location;
    const url = hashOf(id) || `${pathname}${search}`;
    if (how === 'push') this.win.history.pushState(null, '', url);
    else this.win.history.replaceState(null, '', url);
  }
}

function currentOf(c: Pick<Controller, 'stores'>): string | null {
  let id: string | null = null;
  c.stores.openThread.subscribe((v) => (id = v))();
  return id;
}
