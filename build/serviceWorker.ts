import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/**
 * True for the chunk that holds @mlc-ai/web-llm. Worker chunks come from a separate build and
 * reach this bundle as plain assets, so the chunk is recognised by a class only web-llm defines.
 */
function isWebLLM(item: { type: string; source?: unknown; code?: unknown; moduleIds?: readonly string[] }): boolean {
  if (item.moduleIds?.some((id) => id.includes('@mlc-ai/web-llm'))) return true;
  const text = item.type === 'chunk' ? item.code : item.source;
  const str = typeof text === 'string' ? text : text instanceof Uint8Array ? new TextDecoder().decode(text) : '';
  return str.includes('WebWorkerMLCEngineHandler');
}

/**
 * Emits `sw.js` beside `index.html` with the build's asset list and a version derived from it.
 * Source maps and the WebLLM chunk (fetched only when WebLLM is chosen) are left out of the precache.
 */
export function serviceWorker(): Plugin {
  return {
    name: 'tabgraph-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files: string[] = [];
      for (const [fileName, item] of Object.entries(bundle)) {
        if (fileName.endsWith('.map')) continue;
        if (isWebLLM(item)) continue;
        files.push(fileName);
      }
      files.sort();
      // index.html may be emitted after this hook runs; the shell needs it either way.
      const precache = ['./', ...new Set(['index.html', ...files.filter((f) => f !== 'sw.js')])];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(new URL('../src/sw/sw.js', import.meta.url), 'utf8');
      const source = template
        .replace("const VERSION = '__TABGRAPH_VERSION__';", `const VERSION = ${JSON.stringify(version)};`)
        .replace('const PRECACHE = __TABGRAPH_PRECACHE__;', `const PRECACHE = ${JSON.stringify(precache)};`);
      if (source.includes("= '__TABGRAPH_VERSION__'") || source.includes('= __TABGRAPH_PRECACHE__'))
        this.error('src/sw/sw.js no longer has the placeholders build/serviceWorker.ts fills in');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
