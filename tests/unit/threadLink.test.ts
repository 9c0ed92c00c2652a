/** Threads as links, with a stand-in window: the URL opens the thread, the thread moves the URL. */
import { writable } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { ThreadLink, hashOf, threadFromHash, type WindowLike } from '../../src/client/threadLink';

function fakeWindow(hash = '') {
  const listeners = new Map<string, Set<() => void>>();
  const pushed: string[] = [];
  const replaced: string[] = [];
  const win: WindowLike & { go(hash: string): void } = {
    location: { hash, pathname: '/app/', search: '' },
    history: {
      pushState: (_d, _u, url) => {
        pushed.push(url);
        win.location.hash = url.startsWith('#') ? url : '';
      },
      replaceState: (_d, _u, url) => {
        replaced.push(url);
        win.location.hash = url.startsWith('#') ? url : '';
      },
    },
    addEventListener: (t, l) => void (listeners.get(t) ?? listeners.set(t, new Set()).get(t)!).add(l),
    removeEventListener: (t, l) => void listeners.get(t)?.delete(l),
    /** The user pressed back/forward to an entry with this hash. */
    go(h) {
      win.location.hash = h;
      for (const l of listeners.get('popstate') ?? []) l();
    },
  };
  return { win, pushed, replaced };
}

/** A controller stand-in: `known` threads open; others do not exist. */
function fakeController(known: string[]) {
  const open = writable<string | null>(null);
  const calls: string[] = [];
  return {
    calls,
    stores: { openThread: { subscribe: open.subscribe } },
    open,
    openThread: async (id: string) => {
      calls.push(`open ${id}`);
      const ok = known.includes(id);
      open.set(ok ? id : null);
      return ok;
    },
    newThread: () => {
      calls.push('new');
      open.set(null);
    },
  };
}

describe('threads as links', () => {
  it('reads and writes #/thread/<id>, encoding what needs it', () => {
    expect(threadFromHash('#/thread/run-1')).toBe('run-1');
    expect(threadFromHash('#/thread/a%2Fb')).toBe('a/b');
    expect(threadFromHash('#/elsewhere')).toBeNull();
    expect(threadFromHash('#/thread/%E0%A4%A')).toBeNull();
    expect(hashOf('a/b')).toBe('#/thread/a%2Fb');
    expect(hashOf(null)).toBe('');
  });

  it('opens the thread of the URL at once, without pushing a new entry', async () => {
    const { win, pushed } = fakeWindow('#/thread/t1');
    const c = fakeController(['t1']);
    await new ThreadLink(c as never, win).start();
    expect(c.calls).toEqual(['open t1']);
    expect(pushed).toEqual([]);
  });

  it('a thread opened in the page is pushed, and back/forward open the thread of the entry', async () => {
    const { win, pushed } = fakeWindow('');
    const c = fakeController(['t1', 't2']);
    await new ThreadLink(c as never, win).start();
    c.open.set('t1');
    c.open.set('t2');
    expect(pushed).toEqual(['#/thread/t1', '#/thread/t2']);
    win.go('#/thread/t1');
    await Promise.resolve();
    expect(c.calls).toEqual(['open t1']);
    win.go('');
    await Promise.resolve();
    expect(c.calls).toEqual(['open t1', 'new']);
    expect(pushed).toHaveLength(2);
  });

  it('a thread that does not exist leaves the URL without it (replaced, not pushed)', async () => {
    const { win, pushed, replaced } = fakeWindow('#/thread/ghost');
    const c = fakeController([]);
    await new ThreadLink(c as never, win).start();
    expect(c.calls).toEqual(['open ghost']);
    expect(replaced).toEqual(['/app/']);
    expect(pushed).toEqual([]);
  });
});
