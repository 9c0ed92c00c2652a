import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

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
        const ids = item.type === 'chunk' ? (item.moduleIds ?? Object.keys(item.modules ?? {})) : [];
        if (ids.some((id) => id.includes('@mlc-ai/web-llm'))) continue;
        files.push(fileName);
      }
      files.sort();
      const precache = ['./', ...files.filter((f) => f !== 'sw.js')];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(new URL('../src/sw/sw.js', import.meta.url), 'utf8');
      const source = template
        .replace("'__TABGRAPH_VERSION__'", JSON.stringify(version))
        .replace('__TABGRAPH_PRECACHE__', JSON.stringify(precache));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
