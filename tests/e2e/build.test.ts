/** What `vite build` leaves in dist/: the service worker's precache list and its version. */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../dist');

describe('the built service worker', () => {
  const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8');
  const precache = JSON.parse(/const PRECACHE = (\[.*?\]);/.exec(sw)?.[1] ?? 'null') as string[];
  const version = /const VERSION = "([0-9a-f]+)";/.exec(sw)?.[1];

  it('has its placeholders filled in: a version and a list of files that exist', () => {
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(precache[0]).toBe('./');
    for (const file of precache.slice(1)) expect(() => readFileSync(resolve(DIST, file))).not.toThrow();
  });

  it('precaches the app shell and PGlite, but not the WebLLM chunk or source maps', () => {
    const assets = readdirSync(resolve(DIST, 'assets'));
    const webllm = assets.filter(
      (f) =>
        f.endsWith('.js') && readFileSync(resolve(DIST, 'assets', f), 'utf8').includes('WebWorkerMLCEngineHandler'),
    );
    expect(webllm).toHaveLength(1);
    expect(precache).not.toContain(`assets/${webllm[0]}`);
    expect(precache.some((f) => f.endsWith('.map'))).toBe(false);
    expect(precache.some((f) => /pglite-.*\.wasm$/.test(f))).toBe(true);
    expect(precache).toContain('index.html');
  });
});
