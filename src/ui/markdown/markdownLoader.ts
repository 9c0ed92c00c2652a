/**
 * Loads the markdown renderer (marked + DOMPurify, ~25 kB gzip) on first use, as its own chunk:
 * with it the page bundle would exceed the 60 kB gzip budget before any answer is shown.
 */
type Renderer = typeof import('./sanitize');

let loaded: Renderer | null = null;
let loading: Promise<Renderer> | null = null;

/** The renderer if it has loaded, else null (and the load is started). */
export function markdownRenderer(): Renderer | null {
  if (!loaded) void loadMarkdownRenderer();
  return loaded;
}

/** Resolves with the renderer, loading it once. */
export function loadMarkdownRenderer(): Promise<Renderer> {
  loading ??= import('./sanitize').then((m) => (loaded = m));
  return loading;
}
