/**
 * For browser tests of Svelte components: mounting them into the page, taking them down after
 * each test, and waiting for Svelte and the browser to catch up.
 */
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach } from 'vitest';

declare global {
  interface Window {
    /** Set by the hostile markup in the UI tests, should any of it ever run. */
    __pwned?: unknown;
  }
}

/**
 * For a test file: `place` mounts a component into a fresh `<div>` in the body and flushes it,
 * `unmountAll` takes down every component placed so far. After each test, whatever is still
 * mounted is taken down and the body emptied; then `alsoAfterEach` runs.
 */
export function mountPerTest(alsoAfterEach?: () => void) {
  const mounted: ReturnType<typeof mount>[] = [];
  const unmountAll = () => {
    for (const component of mounted.splice(0)) void unmount(component);
  };
  afterEach(() => {
    unmountAll();
    document.body.innerHTML = '';
    alsoAfterEach?.();
  });
  /** Mounts `component` with `props` in a new `<div>` (`width` px wide, if given) and returns that. */
  function place(component: Parameters<typeof mount>[0], props: Record<string, unknown>, width = 0): HTMLElement {
    const target = document.createElement('div');
    if (width) target.style.width = `${width}px`;
    document.body.append(target);
    mounted.push(mount(component, { target, props }));
    flushSync();
    return target;
  }
  return { place, unmountAll };
}

/** Lets Svelte and pending promises and timers catch up, `rounds` times over, then flushes. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
}

/** Resolves after `n` animation frames. */
export const frames = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
    step(n);
  });
