/**
 * Installable: the built app, served from a sub-path, links a web app manifest that is served as
 * `application/manifest+json` with the expected fields and icons that load; Chromium reports no
 * installability errors and installs it; and the installed app, launched with the network off,
 * renders and runs the schema agent on the demo engine from its service worker's cache.
 *
 * A persistent profile (a fresh user data dir): Chromium never installs from an incognito context,
 * which is what `browser.newContext()` gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../chromium.config.js';
import { checkDist, DIST, expectNetworkOff, ready, runToEnd, tableNames } from './appPage';
import { serveStatic, type StaticServer } from './server';

let server: StaticServer;
let profile: string;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  checkDist();
  server = await serveStatic(DIST, '/tools/tabgraph/');
  profile = mkdtempSync(join(tmpdir(), 'tabgraph-install-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    colorScheme: 'light',
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(server.url);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** The width and height a PNG declares in its IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

describe('installable app', () => {
  it('links a manifest served as application/manifest+json, with the expected fields and icons', async () => {
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('./manifest.webmanifest');
    const manifestUrl = new URL(href!, server.url).href;
    const response = await context.request.get(manifestUrl);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/manifest+json');
    const manifest = await response.json();
    expect(manifest).toMatchObject({
      name: 'Tabgraph',
      short_name: 'Tabgraph',
      start_url: './',
      scope: './',
      display: 'standalone',
      // The page background (--bg) of the light theme, as the page's own theme-color says.
      theme_color: '#f6f7f9',
      background_color: '#f6f7f9',
    });
    expect(
      await page.locator('meta[name="theme-color"][media="(prefers-color-scheme: light)"]').getAttribute('content'),
    ).toBe('#f6f7f9');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim())).toBe(
      '#f6f7f9',
    );

    const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
    const png = icons.filter((i) => i.type === 'image/png');
    expect(png.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    for (const icon of icons) {
      // Icon URLs are relative to the manifest, so they stay inside the sub-path.
      const url = new URL(icon.src, manifestUrl);
      expect(url.pathname.startsWith('/tools/tabgraph/')).toBe(true);
      const r = await context.request.get(url.href);
      expect(r.status(), icon.src).toBe(200);
      expect(r.headers()['content-type']).toBe(icon.type);
      if (icon.type === 'image/png') expect(pngSize(await r.body())).toBe(icon.sizes);
    }
  });

  it('is installable, and the installed app starts and runs offline', async () => {
    // The first load registers the service worker; the reload is the first page it controls.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null)).toBe('activated');

    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.url).toBe(`${server.url}manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    // The page's Content-Security-Policy let the manifest and icons load (default-src 'self').
    expect(consoleErrors.filter((e) => e.includes('Content Security Policy'))).toEqual([]);
    // The app's id is its start_url: the sub-path, not the origin's root.
    const { appId } = await cdp.send('Page.getAppId');
    expect(appId).toBe(server.url);

    const browserCdp = await context.browser()!.newBrowserCDPSession();
    await browserCdp.send('PWA.install', { manifestId: appId!, installUrlOrBundleUrl: server.url });

    await context.setOffline(true);
    const served = server.requests.length;
    await expectNetworkOff(page, server);
    // Launching the installed app opens its start_url in a new page.
    const [app] = await Promise.all([
      context.waitForEvent('page'),
      browserCdp.send('PWA.launch', { manifestId: appId! }),
    ]);
    const pageErrors: string[] = [];
    app.on('pageerror', (e) => pageErrors.push(e.message));
    await app.waitForLoadState();
    expect(app.url()).toBe(server.url);
    await ready(app);
    await expectNetworkOff(app, server);
    expect(await runToEnd(app, 'a library with books, authors and loans')).toBe('completed');
    expect((await tableNames(app)).length).toBeGreaterThanOrEqual(3);
    expect(await app.getByTestId('validation').getAttribute('data-ok')).toBe('true');
    // All of it came from the service worker's cache (the browser's own sw.js update check aside).
    expect(server.requests.slice(served).filter((p) => !p.endsWith('/sw.js'))).toEqual([]);
    expect(pageErrors).toEqual([]);

    await context.setOffline(false);
    await browserCdp.send('PWA.uninstall', { manifestId: appId! });
  });
});
