/**
 * Static analysis of the production build: which chunks the page loads at start, which the worker
 * loads, which are lazy, and their gzip sizes. Reads `dist/index.html` and follows the chunks'
 * own import statements (no Vite manifest needed).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { round } from './stats.mjs';

const STATIC_IMPORT = /(?:\bimport|\bfrom)\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]\s*\)/g;
/** `new Worker(new URL("x.js", import.meta.url))`, however Vite nests it. */
const WORKER_URL = /new Worker\((?:new URL\()+\s*["'`]([^"'`]+?\.js)["'`]/g;
/** Strings that only WebLLM's own code contains. */
const WEBLLM_MARKERS = ['MLCEngine', 'prebuiltAppConfig', 'tvmjs'];

/**
 * @param {string} dist the build directory
 */
export async function analyzeBuild(dist) {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  if (entries.length === 0) throw new Error('dist/index.html has no module script');
  const rel = (/** @type {string} */ href) => posix.normalize(href.replace(/^\.?\//, ''));

  /** @type {Map<string, string>} */
  const texts = new Map();
  const text = async (/** @type {string} */ file) => {
    if (!texts.has(file)) texts.set(file, await readFile(join(dist, file), 'utf8'));
    return /** @type {string} */ (texts.get(file));
  };
  const resolveIn = (/** @type {string} */ from, /** @type {string} */ spec) =>
    posix.normalize(posix.join(posix.dirname(from), spec));

  /** Follows static imports from `roots`; collects dynamic imports and worker URLs on the way. */
  async function closure(/** @type {string[]} */ roots) {
    const seen = new Set();
    const lazy = new Set();
    const workers = new Set();
    const todo = [...roots];
    while (todo.length) {
      const file = /** @type {string} */ (todo.pop());
      if (seen.has(file)) continue;
      seen.add(file);
      const src = await text(file);
      for (const m of src.matchAll(STATIC_IMPORT)) todo.push(resolveIn(file, m[1]));
      for (const m of src.matchAll(DYNAMIC_IMPORT)) lazy.add(resolveIn(file, m[1]));
      for (const m of src.matchAll(WORKER_URL)) workers.add(resolveIn(file, m[1]));
    }
    for (const f of seen) lazy.delete(f);
    return { files: [...seen], lazy: [...lazy], workers: [...workers] };
  }

  const gz = async (/** @type {string[]} */ files) => {
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const buf = Buffer.from(await text(f));
      raw += buf.length;
      gzip += gzipSync(buf, { level: 9 }).length;
    }
    return { files, raw_bytes: raw, gzip_bytes: gzip, gzip_kB: round(gzip / 1000, 1) };
  };

  const page = await closure([...entries, ...preloads].map(rel));
  const pageLazy = await closure(page.lazy);
  const worker = await closure(page.workers);
  const workerLazy = await closure(worker.lazy);

  // The WebLLM chunk: the largest JS chunk (outside the worker entry) carrying WebLLM's markers.
  const allJs = (await readdir(join(dist, 'assets'))).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
  const candidates = [];
  for (const f of allJs) {
    if (page.files.includes(f) || worker.files.includes(f)) continue;
    const src = await text(f);
    const hits = WEBLLM_MARKERS.filter((m) => src.includes(m)).length;
    if (hits >= 2) candidates.push({ f, size: src.length });
  }
  candidates.sort((a, b) => b.size - a.size);
  const webllmFile = candidates[0]?.f ?? null;

  return {
    page_initial: await gz(page.files),
    page_lazy: await gz(pageLazy.files.filter((f) => !page.files.includes(f))),
    worker_initial: await gz(worker.files),
    worker_lazy: await gz(workerLazy.files.filter((f) => !worker.files.includes(f))),
    webllm_chunk: webllmFile ? await gz([webllmFile]) : null,
  };
}
