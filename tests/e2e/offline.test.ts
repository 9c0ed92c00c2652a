/**
 * Works offline: the built app, served from a sub-path, is cached by its service worker; with the
 * network off (a fetch the cache cannot answer fails) a reload still loads the shell, starts the
 * worker, and a schema run on the demo engine completes (PGlite's wasm and data directory from the
 * cache), without one request reaching the server. A rebuilt version's worker deletes the old cache.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDist, DIST, expectNetworkOff, launch, ready, runToEnd, SHOTS, tableNames } from './appPage';
import { serveStatic, type StaticServer } from './server';

let server: StaticServer;
let browser: Browser;
let root: string;

beforeAll(async () => {
  checkDist();
  // A private copy: the test rewrites sw.js to play a rebuilt version.
  root = mkdtempSync(join(tmpdir(), 'tabgraph-offline-'));
  cpSync(DIST, root, { recursive: true });
  server = await serveStatic(root, '/sub/dir/');
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const shellCaches = (page: Page) =>
  page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('tabgraph-shell-')));

describe('offline', () => {
  it('reloads and runs with the network off, from a sub-path; a new version drops the old cache', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    await page.goto(server.url);
    const scope = await page.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then((r) => r.scope),
        new Promise<string>((r) => setTimeout(() => r('none'), 20_000)),
      ]),
    );
    // A service worker that fails to install never becomes ready: say why, not just "timed out".
    expect(scope, `no active service worker; console: ${consoleLines.join(' | ')}`).not.toBe('none');
    expect(new URL(scope).pathname).toBe('/sub/dir/');
    // The first load is not controlled; after a reload the worker serves the page.
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null)).toBe('activated');
    const [v1] = await shellCaches(page);
    expect(await shellCaches(page)).toEqual([v1]);

    await context.setOffline(true);
    const served = server.requests.length;
    await page.reload();
    await ready(page);
    await expectNetworkOff(page, server);
    expect(await runToEnd(page, 'a blog with users, posts and comments')).toBe('completed');
    expect((await tableNames(page)).length).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('validation').getAttribute('data-ok')).toBe('true');
    await page.screenshot({ path: resolve(SHOTS, 'offline-run-1280.png'), fullPage: true });
    // Nothing the page asked for reached the server: shell, worker bundle, PGlite's wasm and data
    // directory all came from the cache. (The browser's own update check of sw.js ignores emulated offline.)
    expect(server.requests.slice(served).filter((p) => !p.endsWith('/sw.js'))).toEqual([]);
    await context.setOffline(false);

    // A rebuilt app: a different sw.js. Once it takes over, only its cache is left.
    const sw = resolve(root, 'sw.js');
    const source = readFileSync(sw, 'utf8');
    const rebuilt = source.replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1next"');
    expect(rebuilt).not.toBe(source);
    writeFileSync(sw, rebuilt);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect.poll(() => shellCaches(page), { timeout: 30_000 }).toEqual([`${v1}next`]);
    await page.reload();
    await ready(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.state ?? null)).toBe('activated');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
