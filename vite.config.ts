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
    // The worker's graphs and the lazily loaded views are not reached by the scan of index.html.
    include: [
      '@langchain/langgraph-checkpoint',
      '@langchain/langgraph/web',
      '@langchain/langgraph/prebuilt',
      '@langchain/langgraph/zod/schema',
      '@langchain/core/callbacks/base',
      '@langchain/core/callbacks/dispatch/web',
      '@langchain/core/callbacks/manager',
      '@langchain/core/language_models/chat_models',
      '@langchain/core/messages',
      '@langchain/core/outputs',
      '@langchain/core/runnables',
      '@langchain/core/tools',
      '@langchain/core/utils/function_calling',
      'zod',
      'compromise/two',
      '@dagrejs/dagre',
      'microdiff',
      'dompurify',
      'marked',
      '@langchain/langgraph-sdk/client',
      '@langchain/svelte > @langchain/langgraph-sdk',
      '@langchain/svelte > @langchain/langgraph-sdk/client',
      '@langchain/svelte > @langchain/langgraph-sdk/stream',
    ],
    // PGlite and WebLLM load their own wasm/data files relative to their modules.
    exclude: ['@electric-sql/pglite', '@mlc-ai/web-llm'],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
});
