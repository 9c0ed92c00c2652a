/**
 * PGlite in the built app: the build ships the prebuilt data directory made by the PGlite version
 * it bundles (and precaches it), ships no initdb, and carries PGlite once, in the nested worker.
 * On a fresh profile a schema run validates its DDL having fetched the data directory and never
 * initdb's wasm (PGlite fetches it at every start unless handed a stand-in, as the app does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDist, DIST, launch, openPage, runToEnd, tableNames } from './appPage';
import { serveStatic, type StaticServer } from './server';

const ASSETS = resolve(DIST, 'assets');
const PGLITE_PKG = resolve(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json');
const version = (JSON.parse(readFileSync(PGLITE_PKG, 'utf8')) as { version: string }).version;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  checkDist();
  server = await serveStatic(DIST, '/pg/');
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('PGlite in the build', () => {
  const assets = readdirSync(ASSETS);
  const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8');
  const precache = JSON.parse(/const PRECACHE = (\[.*?\]);/.exec(sw)?.[1] ?? 'null') as string[];
  const dataDirs = assets.filter((f) => f.startsWith('pglite-') && f.endsWith('.tgz'));

  it('ships one data directory, named for the PGlite version it bundles, and precaches it', () => {
    expect(dataDirs).toHaveLength(1);
    expect(dataDirs[0]).toMatch(new RegExp(`^pglite-${version.replaceAll('.', '\\.')}-datadir-[\\w-]+\\.tgz$`));
    const bytes = readFileSync(resolve(ASSETS, dataDirs[0]));
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip
    expect(precache).toContain(`assets/${dataDirs[0]}`);
  });

  it('ships no initdb, and PGlite only in the nested worker', () => {
    expect(assets.filter((f) => f.includes('initdb'))).toEqual([]);
    expect(precache.filter((f) => f.includes('initdb'))).toEqual([]);
    // A message of PGlite's own start-up code, in every copy of it.
    const withPglite = assets.filter(
      (f) =>
        f.endsWith('.js') && readFileSync(resolve(ASSETS, f), 'utf8').includes('pglite: loading data from tarball'),
    );
    expect(withPglite).toHaveLength(1);
    expect(withPglite[0]).toMatch(/^pgliteHost-[\w-]+\.js$/);
  });

  it('validates DDL on a fresh profile from the data directory, never fetching initdb', async () => {
    // Service worker blocked: every fetch, the nested worker's included, reaches the server.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const { page, pageErrors } = await openPage(context, server.url);
    const from = server.requests.length;
    expect(await runToEnd(page, 'a shop with customers, orders and products')).toBe('completed');
    expect((await tableNames(page)).length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('validation').getAttribute('data-ok')).toBe('true');
    await context.close();
    const requested = server.requests.slice(from);
    expect(requested.filter((p) => p.endsWith('.tgz'))).toEqual([`/pg/assets/${dataDirs[0]}`]);
    expect(requested.filter((p) => p.includes('initdb'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
