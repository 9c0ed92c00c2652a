import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
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

/** Files of `public/` (copied to dist/ as they are, never part of the bundle), as dist paths. */
function publicFiles(dir: string): string[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, `${e.parentPath}${sep}${e.name}`).split(sep).join('/'));
}

/**
 * Emits `sw.js` beside `index.html` with the build's asset list (and `public/`: the web app manifest
 * and icons) and a version derived from it. Source maps and the WebLLM chunk (fetched only when
 * WebLLM is chosen) are left out of the precache.
 */
export function serviceWorker(): Plugin {
  let publicDir = '';
  return {
    name: 'tabgraph-service-worker',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const publicOnes = publicFiles(publicDir);
      const files = [...publicOnes];
      for (const [fileName, item] of Object.entries(bundle)) {
        if (fileName.endsWith('.map')) continue;
        if (isWebLLM(item)) continue;
        files.push(fileName);
      }
      files.sort();
      // index.html may be emitted after this hook runs; the shell needs it either way.
      const precache = ['./', ...new Set(['index.html', ...files.filter((f) => f !== 'sw.js')])];
      // Bundle files carry a content hash in their names; public files do not, so their bytes count.
      const hash = createHash('sha256').update(precache.join('\n'));
      for (const f of publicOnes) hash.update(readFileSync(`${publicDir}/${f}`));
      const version = hash.digest('hex').slice(0, 12);
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
