/**
 * Shared pieces of the e2e tests for threads, tabs, offline use and recordings: launching
 * Debian's Chromium (never a downloaded one), opening the app with the demo engine at full speed,
 * running to the end, and an axe audit.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../chromium.config.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { serveStatic, type StaticServer } from './server';

export const DIST = resolve(import.meta.dirname, '../../dist');
export const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const AXE = resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

export function checkDist(): void {
  if (!existsSync(resolve(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `vite build` before the e2e tests');
  mkdirSync(SHOTS, { recursive: true });
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/**
 * For a test file: serves dist/ under `basePath` and launches Chromium before its tests, and
 * closes both after them. Read `url` and `browser` inside tests (they exist once beforeAll ran).
 */
export function servedApp(basePath: string): { readonly url: string; readonly browser: Browser } {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    checkDist();
    server = await serveStatic(DIST, basePath);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() {
      return server!.url;
    },
    get browser() {
      return browser!;
    },
  };
}

type Handle = { __tabgraph: { selectEngine(s: unknown): Promise<unknown> } };

/** Waits for the session handle and selects the demo engine at full speed (or `tokensPerSecond`). */
export async function ready(page: Page, tokensPerSecond = 0): Promise<void> {
  await page.waitForFunction(() => 'selectEngine' in ((globalThis as { __tabgraph?: object }).__tabgraph ?? {}));
  await page.evaluate(
    (tps) =>
      (globalThis as unknown as Handle).__tabgraph.selectEngine({ kind: 'demo', demo: { tokensPerSecond: tps } }),
    tokensPerSecond,
  );
}

/** A page of the app in `context`, with page errors collected. */
export async function openPage(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await ready(page);
  return { page, pageErrors };
}

export const status = (page: Page) => page.getByTestId('run-status');

export async function waitNotRunning(page: Page, timeout = 90_000): Promise<string | null> {
  await expect.poll(() => status(page).textContent(), { timeout }).not.toBe('running');
  return status(page).textContent();
}

/** The id of the run on screen (from the session's stores). */
export const currentRunId = (page: Page) =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as { __tabgraph: { stores: { current(): { runId: string | null } } } }
      ).__tabgraph.stores.current().runId,
  );

/** Clicks `button` (Run, Approve, ...) and waits until a new run has started and ended. */
export async function clickAndWaitRun(page: Page, button: ReturnType<Page['getByRole']>): Promise<string | null> {
  const before = await currentRunId(page);
  await button.click();
  await expect.poll(() => currentRunId(page), { timeout: 10_000 }).not.toBe(before);
  return waitNotRunning(page);
}

/** Fills the requirements, presses Run and waits until the run is no longer running. */
export async function runToEnd(page: Page, requirements: string): Promise<string | null> {
  await page.getByRole('textbox', { name: 'Requirements' }).fill(requirements);
  return clickAndWaitRun(page, page.getByRole('button', { name: 'Run', exact: true }));
}

/**
 * Shows that the network is off for `page`: fetching a URL that no cache holds fails, and the
 * request never reaches `server`. (`navigator.onLine` proves nothing: after a reload under
 * Playwright's emulated offline it can still say true, as with Chromium 150 and Playwright 1.65.)
 */
export async function expectNetworkOff(page: Page, server: StaticServer): Promise<void> {
  const probe = `network-probe-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const outcome = await page.evaluate(
    (url) =>
      fetch(url, { cache: 'no-store' }).then(
        (r) => `HTTP ${r.status}`,
        (e: Error) => e.name,
      ),
    probe,
  );
  expect(outcome).toBe('TypeError');
  expect(server.requests.filter((p) => p.endsWith(probe))).toEqual([]);
}

/** Table names of the schema view, in order. */
export const tableNames = (page: Page) =>
  page.getByTestId('schema-table').evaluateAll((els) => els.map((e) => e.getAttribute('data-table')));

/** Serious and critical axe violations on the page. */
export async function axeSerious(page: Page) {
  // Evaluated over the DevTools protocol: the page's CSP forbids inline scripts, as it should.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(o?: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run({ resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
