/**
 * The built app in real Chromium, served from a sub-path by a plain static server: a full run of
 * the schema agent on the demo engine, Stop mid-run and a re-run, an axe audit in both themes,
 * and no horizontal overflow at phone and desktop widths. Screenshots go to test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../chromium.config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from './server';
import { axeSerious } from './appPage';

const DIST = resolve(import.meta.dirname, '../../dist');
const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(resolve(DIST, 'index.html')))
    throw new Error('dist/ is missing: run `vite build` before the e2e tests');
  mkdirSync(SHOTS, { recursive: true });
  server = await serveStatic(DIST, '/demo/');
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app in a fresh context; page errors fail the test that caused them. */
async function openApp(width: number, options: { colorScheme?: 'light' | 'dark' } = {}) {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => 'selectEngine' in ((globalThis as { __tabgraph?: object }).__tabgraph ?? {}));
  // The demo engine at full speed: tests need the streams, not the pacing.
  await page.evaluate(() =>
    (globalThis as unknown as { __tabgraph: { selectEngine(s: unknown): Promise<unknown> } }).__tabgraph.selectEngine({
      kind: 'demo',
      demo: { tokensPerSecond: 0 },
    }),
  );
  return { page, context, pageErrors };
}

const status = (page: Page) => page.getByTestId('run-status');

async function runToEnd(page: Page, requirements: string) {
  await page.getByRole('textbox', { name: 'Requirements' }).fill(requirements);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => status(page).textContent(), { timeout: 90_000 }).not.toBe('running');
}

async function noHorizontalOverflow(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

describe('Tabgraph, built and served from /demo/', () => {
  it('runs the schema agent end to end on the demo engine', async () => {
    const { page, context, pageErrors } = await openApp(1440);
    // The structure comes from the worker once it has loaded the graph (seconds on a busy machine).
    await expect
      .poll(() => page.locator('[data-testid=graph-picture] [data-node]').count(), { timeout: 30_000 })
      .toBeGreaterThan(3);
    await expect.poll(() => page.getByTestId('demo-note').textContent()).toContain('demo without an LLM');
    await runToEnd(page, 'a blog with users, posts and comments');
    expect(await status(page).textContent()).toBe('completed');

    // Tokens streamed into the output.
    const output = await page.getByTestId('token-stream').first().textContent();
    expect(output?.length ?? 0).toBeGreaterThan(50);
    // A progress bar reached 100.
    const values = await page
      .getByRole('progressbar')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuenow')));
    expect(values).toContain('100');
    // Every node of the picture and of the timeline is done.
    const lights = await page
      .locator('[data-testid=graph-picture] [data-node]')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-node')}=${e.getAttribute('data-status')}`));
    expect(lights.length).toBeGreaterThan(3);
    for (const l of lights) expect(l).toMatch(/=done$/);
    const timeline = await page
      .getByTestId('timeline-node')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(timeline.length).toBeGreaterThan(0);
    expect(timeline.every((s) => s === 'done')).toBe(true);
    // The schema: tables, ER diagram, validated DDL.
    expect(await page.getByTestId('schema-table').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId('er-diagram').count()).toBe(1);
    expect(await page.getByTestId('validation').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('ddl').textContent()).toMatch(/CREATE TABLE/i);
    expect(await page.getByTestId('inspector-count').textContent()).toMatch(/showing last \d+ of \d+/);
    expect(await page.getByTestId('errors').textContent()).toBe('');
    await page.screenshot({ path: resolve(SHOTS, 'run-1440-light.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('stops mid-run into a consistent page, and a re-run completes', async () => {
    const { page, context, pageErrors } = await openApp(1440);
    // Slow tokens so that Stop lands mid-run.
    await page.evaluate(() =>
      (globalThis as unknown as { __tabgraph: { selectEngine(s: unknown): Promise<unknown> } }).__tabgraph.selectEngine(
        {
          kind: 'demo',
          demo: { tokensPerSecond: 50 },
        },
      ),
    );
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('token-stream').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const stop = page.getByRole('button', { name: 'Stop' });
    expect(await stop.isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await stop.click();
    await expect.poll(() => status(page).textContent(), { timeout: 15_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    expect(await stop.isDisabled()).toBe(true);
    const lights = await page
      .locator('[data-testid=graph-picture] [data-node]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(lights).not.toContain('running');

    await page.evaluate(() =>
      (globalThis as unknown as { __tabgraph: { selectEngine(s: unknown): Promise<unknown> } }).__tabgraph.selectEngine(
        {
          kind: 'demo',
          demo: { tokensPerSecond: 0 },
        },
      ),
    );
    await runToEnd(page, 'a library with books, members and loans');
    expect(await status(page).textContent()).toBe('completed');
    expect(await page.getByTestId('schema-table').count()).toBeGreaterThanOrEqual(2);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  for (const theme of ['light', 'dark'] as const)
    it(`has no serious or critical axe violations in the ${theme} theme`, async () => {
      const { page, context } = await openApp(1440, { colorScheme: theme });
      await runToEnd(page, 'a blog with users, posts and comments');
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      expect(await axeSerious(page)).toEqual([]);
      // The toggle flips the theme and keeps the choice across a reload.
      await page.getByRole('button', { name: 'Toggle theme' }).click();
      const flipped = theme === 'light' ? 'dark' : 'light';
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(flipped);
      await page.reload();
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(flipped);
      await page.screenshot({ path: resolve(SHOTS, `idle-1440-${flipped}.png`), fullPage: true });
      await context.close();
    });

  for (const width of [390, 1440])
    it(`fits ${width} px without horizontal overflow, before and after a run`, async () => {
      const { page, context } = await openApp(width, { colorScheme: width === 390 ? 'dark' : 'light' });
      let m = await noHorizontalOverflow(page);
      expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
      await runToEnd(page, 'a blog with users, posts and comments');
      m = await noHorizontalOverflow(page);
      expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
      if (width === 390) expect(await axeSerious(page)).toEqual([]);
      await page.screenshot({ path: resolve(SHOTS, `run-${width}.png`), fullPage: true });
      if (width === 390) {
        // Phone-sized slices of the page: the full-page image is too tall to inspect.
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        for (let y = 0, i = 0; y < height; y += 1200, i++)
          await page.screenshot({
            path: resolve(SHOTS, `run-390-part${i}.png`),
            fullPage: true,
            clip: { x: 0, y, width: 390, height: Math.min(1200, height - y) },
          });
      }
      await context.close();
    });

  it('is keyboard operable: Ctrl+Enter in the requirements runs', async () => {
    const { page, context } = await openApp(1440);
    const box = page.getByRole('textbox', { name: 'Requirements' });
    await box.fill('a todo app with users and tasks');
    await box.press('Control+Enter');
    await expect.poll(() => status(page).textContent(), { timeout: 90_000 }).toBe('completed');
    // Every control has an accessible name (axe checks it too; this is the quick version).
    for (const name of ['Engine', 'Graph', 'Filter events', 'Requirements'])
      expect(await page.getByLabel(name, { exact: true }).count()).toBeGreaterThan(0);
    await context.close();
  });
});
