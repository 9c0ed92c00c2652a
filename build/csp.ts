import type { Plugin } from 'vite';

/**
 * The Content-Security-Policy of the built page. Scripts only from the app's own origin, never
 * inline; WebAssembly allowed (PGlite, WebLLM); workers only from the origin; styles may be set
 * inline because Svelte writes style attributes. Model downloads happen in the worker, whose
 * policy comes from the server's headers (see README: Deploying).
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Adds the policy to index.html at build time (the dev server's hot reload needs more). */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'tabgraph-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CSP }, injectTo: 'head-prepend' },
    ],
  };
}
