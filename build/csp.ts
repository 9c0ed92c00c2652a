import type { Plugin } from 'vite';

/**
 * Where the page may send requests besides its own origin: a LangGraph server on this machine
 * (`npm run server`, any port), for "Run on: LangGraph server" and `?api=`. A server elsewhere is
 * added at build time: `TABGRAPH_CONNECT_SRC="https://agents.example.org" npm run build`.
 */
export const SERVER_CONNECT_SRC = ['http://127.0.0.1:*', 'http://localhost:*'];

/** The page's `connect-src`: its origin, local LangGraph servers, and any origins given at build time. */
export function connectSrc(extra = process.env.TABGRAPH_CONNECT_SRC ?? ''): string {
  const more = extra.split(/[\s,]+/).filter(Boolean);
  for (const o of more)
    if (!/^https?:\/\/[^\s;,']+$/.test(o)) throw new Error(`TABGRAPH_CONNECT_SRC: "${o}" is not an http(s) origin`);
  return ["connect-src 'self'", ...SERVER_CONNECT_SRC, ...more].join(' ');
}

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
  connectSrc(),
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
