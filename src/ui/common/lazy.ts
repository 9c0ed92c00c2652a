/**
 * A loader for a chunk the page needs only sometimes (a layout library, a view): the import runs
 * once and is shared; a failed fetch (offline, a new deploy) is tried again on the next call.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = null;
      throw err;
    }));
}
