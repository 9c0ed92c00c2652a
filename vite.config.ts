import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { serviceWorker } from './build/serviceWorker.ts';
import { contentSecurityPolicy } from './build/csp.ts';
import { pgliteDataDir } from './build/pgliteData.ts';
import { graphRegistry } from './build/graphRegistry.ts';

/** The app is a static site: a relative base lets `dist/` be served from any path. */
export default defineConfig({
  base: './',
  plugins: [svelte(), graphRegistry(), serviceWorker(), contentSecurityPolicy(), pgliteDataDir()],
  // Worker bundles get the registry's graphs (`langgraph.json`) and PGlite's prebuilt data
  // directory through the same plugins.
  worker: { format: 'es', plugins: () => [graphRegistry(), pgliteDataDir()] },
  optimizeDeps: {
    // Found late by the dependency scan otherwise, which reloads browser tests mid-run.
    include: ['@langchain/langgraph-checkpoint'],
    // PGlite and WebLLM load their own wasm/data files relative to their modules.
    exclude: ['@electric-sql/pglite', '@mlc-ai/web-llm'],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
});
