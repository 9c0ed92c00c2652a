/**
 * Lends values to `globalThis` for one test file and takes them back. The unit project runs with
 * `isolate: false` (files share a worker's globals), so a file that needs globals, such as a
 * third-party suite written against Jest-style `describe`/`it`/`expect`, must leave none behind.
 */

/** Vitest's own per-test state (`expect.getState()`), replaced for every test. */
const RUNNER_STATE = Symbol.for('$$jest-matchers-object');

/**
 * The global names and their values now, to compare with later (see {@link globalsChanged}).
 * Values are read, not described, and read twice: Node defines some globals (`AbortController`,
 * `fetch`...) as lazy getters that turn into plain values, or add others, on first use.
 */
export function snapshotGlobals(): Map<string | symbol, unknown> {
  const take = () => new Map(Reflect.ownKeys(globalThis).map((key) => [key, read(key)] as const));
  take();
  const snapshot = take();
  snapshot.delete(RUNNER_STATE);
  return snapshot;
}

function read(key: string | symbol): unknown {
  try {
    return Reflect.get(globalThis, key);
  } catch (err) {
    return err; // a getter that throws; the same one throws again next time
  }
}

/** Names added, removed or given another value since `before` was taken. */
export function globalsChanged(before: Map<string | symbol, unknown>): string[] {
  const changed: string[] = [];
  const keys = new Set(Reflect.ownKeys(globalThis));
  keys.delete(RUNNER_STATE);
  for (const key of keys) {
    if (!before.has(key)) changed.push(`added ${String(key)}`);
    else if (!Object.is(read(key), before.get(key))) changed.push(`changed ${String(key)}`);
  }
  for (const key of before.keys()) if (!keys.has(key)) changed.push(`removed ${String(key)}`);
  return changed;
}

/**
 * Sets `values` on `globalThis` and returns a function that restores what was there before
 * (deleting names that did not exist). Restoring twice is harmless.
 */
export function lendGlobals(values: Record<string, unknown>): () => void {
  const previous = Object.keys(values).map((key) => [key, Object.getOwnPropertyDescriptor(globalThis, key)] as const);
  Object.assign(globalThis, values);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const [key, descriptor] of previous) {
      if (descriptor) Object.defineProperty(globalThis, key, descriptor);
      else delete (globalThis as Record<string, unknown>)[key];
    }
  };
}
