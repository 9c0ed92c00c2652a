/**
 * Two tabs of the app in one browser (same origin): a run in tab A streams live into tab B,
 * which says whose run it follows; closing A leaves B working on its own.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servedApp, openPage, ready, runToEnd, SHOTS, status, tableNames, waitNotRunning } from './appPage';

const app = servedApp('/tabs/');

describe('tabs follow each other', () => {
  it('tab B follows tab A run live, then works alone after A closes', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const a = await openPage(context, app.url);
    const b = await openPage(context, app.url);
    const userOf = (p: typeof a.page) =>
      p.evaluate(() => document.body.textContent?.match(/You are (tab-[\w-]+)\./)?.[1] ?? '');
    const userA = await userOf(a.page);
    expect(userA).toMatch(/^tab-/);
    // A heard B arrive.
    await expect
      .poll(() => a.page.getByTestId('collab-updates').textContent())
      .toContain(`${await userOf(b.page)} opened the app`);

    // Paced tokens, so that B is seen following while A is still running.
    await ready(a.page, 300);
    await a.page.getByRole('textbox', { name: 'Requirements' }).fill('a blog with users, posts and comments');
    await a.page.getByRole('button', { name: 'Run', exact: true }).click();
    const following = b.page.getByTestId('following');
    await expect.poll(() => following.textContent()).toBe(`Following ${userA}'s run`);
    await expect.poll(() => b.page.getByTestId('token-stream').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await status(b.page).textContent()).toBe('running');
    expect(await status(a.page).textContent()).toBe('running');
    expect(await waitNotRunning(a.page)).toBe('completed');
    await expect.poll(() => status(b.page).textContent(), { timeout: 30_000 }).toBe('completed');
    // The same tokens and the same schema, without B running anything.
    expect(await b.page.getByTestId('token-stream').allTextContents()).toEqual(
      await a.page.getByTestId('token-stream').allTextContents(),
    );
    const tablesA = await tableNames(a.page);
    expect(tablesA.length).toBeGreaterThanOrEqual(3);
    expect(await tableNames(b.page)).toEqual(tablesA);
    expect(await a.page.getByTestId('following').textContent()).not.toContain('Following');
    expect(await b.page.getByTestId('collab-updates').textContent()).toContain(`${userA} finished a run`);
    // B's thread list picked up A's saved thread (one IndexedDB per origin).
    await expect
      .poll(() => b.page.getByRole('navigation', { name: 'Threads' }).getByTestId('thread').count())
      .toBeGreaterThan(0);
    await b.page.screenshot({ path: resolve(SHOTS, 'tabs-following-1280.png'), fullPage: true });

    await a.page.close();
    await expect.poll(() => b.page.getByTestId('collab-updates').textContent()).toContain(`${userA} closed the app`);
    expect(await runToEnd(b.page, 'a library with books and loans')).toBe('completed');
    expect(await b.page.getByTestId('following').textContent()).not.toContain('Following');
    expect((await tableNames(b.page)).length).toBeGreaterThanOrEqual(2);
    expect(a.pageErrors).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    await context.close();
  });
});
