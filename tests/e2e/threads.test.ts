/**
 * Nothing lost: threads survive a reload (IndexedDB) and reopen into the same views; a run cut
 * off by a reload reads "interrupted"; human approval pauses before the schema is applied; a run
 * exported as NDJSON and imported again renders the same output. Built app, served from a sub-path.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import {
  servedApp,
  axeSerious,
  clickAndWaitRun,
  openPage,
  ready,
  runToEnd,
  SHOTS,
  status,
  tableNames,
  waitNotRunning,
} from './appPage';

const app = servedApp('/threads/app/');

async function fresh(width = 1440, colorScheme: 'light' | 'dark' = 'light') {
  const context = await app.browser.newContext({ viewport: { width, height: 900 }, colorScheme });
  const { page, pageErrors } = await openPage(context, app.url);
  return { context, page, pageErrors };
}

const threadList = (page: Page) => page.getByRole('navigation', { name: 'Threads' });
const threadRow = (page: Page, text: string) => threadList(page).getByTestId('thread').filter({ hasText: text });

describe('threads', () => {
  it('a run is listed after a reload, and opening it shows its tables, DDL and messages', async () => {
    const { context, page, pageErrors } = await fresh();
    expect(await runToEnd(page, 'a library with books, members and loans')).toBe('completed');
    const tables = await tableNames(page);
    expect(tables.length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => threadRow(page, 'a library with books').count()).toBe(1);

    // A fresh visit (without the thread's link: a reload with it reopens it, see studio.test.ts).
    await page.goto(app.url);
    await ready(page);
    const row = threadRow(page, 'a library with books');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('thread-status').textContent()).toBe('completed');
    expect(await row.locator('time').textContent()).toBe('just now');
    // A fresh page shows no schema until the thread is opened (by keyboard: focus, Enter).
    expect(await page.getByTestId('schema-table').count()).toBe(0);
    await row.getByRole('button', { name: /^a library with books/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tableNames(page)).toEqual(tables);
    expect(await page.getByTestId('ddl').textContent()).toMatch(/CREATE TABLE/i);
    expect(await status(page).textContent()).toBe('completed');
    expect(await page.getByTestId('thread-messages').count()).toBe(1);
    expect(await row.getByRole('button', { name: /^a library with books/ }).getAttribute('aria-current')).toBe('true');
    await page.screenshot({ path: resolve(SHOTS, 'threads-reopened-1440.png'), fullPage: true });

    // Continue this thread: the next run goes to the same thread, which stays one entry.
    await page.getByRole('textbox', { name: 'Requirements' }).fill('a library with books, members, loans and fines');
    expect(await clickAndWaitRun(page, page.getByRole('button', { name: 'Continue this thread' }))).toBe('completed');
    await expect.poll(() => threadList(page).getByTestId('thread').count()).toBe(1);

    // Delete asks first; Cancel keeps the thread, confirming removes it.
    await threadList(page)
      .getByRole('button', { name: /^Delete a library/ })
      .click();
    await threadList(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await threadList(page).getByTestId('thread').count()).toBe(1);
    await threadList(page)
      .getByRole('button', { name: /^Delete a library/ })
      .click();
    await threadList(page).getByRole('button', { name: 'Delete thread' }).click();
    await expect.poll(() => threadList(page).getByTestId('thread').count()).toBe(0);
    await page.reload();
    await ready(page);
    await page.waitForTimeout(500);
    expect(await threadList(page).getByTestId('thread').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a run cut off by a reload shows as interrupted', async () => {
    const { context, page, pageErrors } = await fresh();
    await ready(page, 40);
    await page.getByRole('textbox', { name: 'Requirements' }).fill('a shop with products and orders');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('token-stream').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.reload();
    await ready(page);
    const row = threadRow(page, 'a shop with products');
    await expect.poll(() => row.getByTestId('thread-status').textContent(), { timeout: 20_000 }).toBe('interrupted');
    await row.getByRole('button', { name: /^a shop with products/ }).click();
    await expect.poll(() => status(page).textContent()).toBe('interrupted');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('asks before applying: pending operations, reject with a reason, then approve', async () => {
    const { context, page, pageErrors } = await fresh();
    await page.getByRole('checkbox', { name: 'Ask before applying schema changes' }).check();
    expect(await runToEnd(page, 'a blog with users, posts and comments')).toBe('interrupted');
    const panel = page.getByRole('region', { name: 'Pending schema changes' });
    await expect.poll(() => panel.count()).toBe(1);
    const ops = await panel.getByTestId('pending-op').count();
    expect(ops).toBeGreaterThan(0);
    expect(await panel.getByTestId('pending-op').first().textContent()).toMatch(
      /^\d+(add|remove|replace)\/(tables|enums)\//,
    );
    // Nothing applied yet.
    expect(await page.getByTestId('schema-table').count()).toBe(0);
    expect(await axeSerious(page)).toEqual([]);
    await page.screenshot({ path: resolve(SHOTS, 'approval-pending-1440.png'), fullPage: true });
    const row = threadRow(page, 'a blog with users');
    await expect.poll(() => row.getByTestId('thread-status').textContent()).toBe('interrupted');

    await panel.getByRole('textbox', { name: 'Reason' }).fill('Please add created_at to every table');
    expect(await clickAndWaitRun(page, panel.getByRole('button', { name: 'Reject' }))).toBe('interrupted');
    await expect.poll(() => panel.count()).toBe(1);
    expect(await panel.textContent()).toContain('design attempt 2');
    expect(await panel.getByTestId('pending-op').count()).toBeGreaterThan(0);

    expect(await clickAndWaitRun(page, panel.getByRole('button', { name: 'Approve' }))).toBe('completed');
    expect(await panel.count()).toBe(0);
    expect((await tableNames(page)).length).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('validation').getAttribute('data-ok')).toBe('true');
    await expect.poll(() => row.getByTestId('thread-status').textContent()).toBe('completed');
    expect(await page.getByTestId('errors').textContent()).toBe('');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

describe('accessibility and layout of the thread, tab and recording panels', () => {
  for (const [width, theme] of [
    [390, 'dark'],
    [1440, 'light'],
  ] as const)
    it(`has no serious axe violations and no overflow at ${width} px (${theme})`, async () => {
      const { context, page, pageErrors } = await fresh(width, theme);
      expect(await runToEnd(page, 'a blog with users, posts and comments')).toBe('completed');
      await expect.poll(() => threadList(page).getByTestId('thread').count()).toBe(1);
      // The delete confirmation is part of the page too.
      await threadList(page)
        .getByRole('button', { name: /^Delete a blog/ })
        .click();
      expect(await axeSerious(page)).toEqual([]);
      const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
      expect(m.sw).toBeLessThanOrEqual(m.w);
      await threadList(page).getByRole('button', { name: 'Cancel' }).click();
      await threadList(page)
        .getByRole('button', { name: /^a blog/ })
        .click();
      expect(await axeSerious(page)).toEqual([]);
      await page.screenshot({ path: resolve(SHOTS, `threads-panels-${width}-${theme}.png`), fullPage: true });
      expect(pageErrors).toEqual([]);
      await context.close();
    });
});

describe('record and replay', () => {
  it('an exported run imports back into the same output and tables; a corrupt file changes nothing', async () => {
    const { context, page, pageErrors } = await fresh();
    expect(await runToEnd(page, 'a todo app with users, projects and tasks')).toBe('completed');
    const liveText = await page.getByTestId('token-stream').allTextContents();
    const liveTables = await tableNames(page);
    const liveDdl = await page.getByTestId('ddl').textContent();
    const runId = await page.evaluate(
      () =>
        (
          globalThis as unknown as { __tabgraph: { stores: { current(): { runId: string } } } }
        ).__tabgraph.stores.current().runId,
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export run' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`tabgraph-${runId}.ndjson`);
    const file = resolve(SHOTS, '..', 'recording.ndjson');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text.split('\n')[0])).toMatchObject({ format: 'tabgraph-recording', runId });

    // Something else on screen first, so the import visibly replaces it.
    expect(await runToEnd(page, 'a chat app with users and messages')).toBe('completed');
    expect(await tableNames(page)).not.toEqual(liveTables);

    await page.getByRole('combobox', { name: 'Replay speed' }).selectOption('4');
    await page.getByLabel('Import recording').setInputFiles(file);
    const lastT = JSON.parse(text.trim().split('\n').at(-1)!).t as number;
    await expect
      .poll(() => page.getByTestId('replay-status').textContent(), { timeout: 10_000 + lastT / 4 })
      .toContain(`Replayed run ${runId}`);
    expect(await waitNotRunning(page)).toBe('completed');
    expect(await page.getByTestId('token-stream').allTextContents()).toEqual(liveText);
    expect(await tableNames(page)).toEqual(liveTables);
    expect(await page.getByTestId('ddl').textContent()).toBe(liveDdl);
    expect(await page.getByTestId('errors').textContent()).toBe('');

    // A truncated file: an alert, and the page as it was.
    const before = await page.locator('.col.main').textContent();
    const corrupt = resolve(SHOTS, '..', 'corrupt.ndjson');
    writeFileSync(corrupt, text.split('\n').slice(0, 3).join('\n') + '\n');
    await page.getByLabel('Import recording').setInputFiles(corrupt);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('truncated');
    expect(await alert.textContent()).toContain('Could not import corrupt.ndjson');
    await page.screenshot({ path: resolve(SHOTS, 'import-corrupt-1440.png'), fullPage: true });
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.locator('.col.main').textContent()).toBe(before);
    expect(await tableNames(page)).toEqual(liveTables);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
