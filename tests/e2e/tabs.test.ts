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

  it('a tab that opens while another runs a thread shows it running elsewhere, catches up when it ends, and a run of it waits its turn', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const threads = (p: typeof a.page) => p.getByRole('navigation', { name: 'Threads' });
    const row = (p: typeof a.page, text: string) => threads(p).getByTestId('thread').filter({ hasText: text });
    const a = await openPage(context, app.url);
    await ready(a.page, 20);
    await a.page.getByRole('textbox', { name: 'Requirements' }).fill('a zoo with animals and keepers');
    await a.page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => a.page.getByTestId('token-stream').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // B opens during A's run: it follows nothing, and lists A's thread as running elsewhere.
    const b = await openPage(context, app.url);
    const zooInB = row(b.page, 'a zoo with animals');
    await expect.poll(() => zooInB.getByTestId('thread-status').textContent()).toBe('running elsewhere');
    expect(await b.page.getByTestId('following').textContent()).not.toContain('Following');
    await zooInB.getByRole('button', { name: /^a zoo with animals/ }).click();
    await expect.poll(() => b.page.getByTestId('open-elsewhere').count()).toBe(1);
    expect(await status(b.page).textContent()).toBe('idle');
    await b.page.screenshot({ path: resolve(SHOTS, 'tabs-running-elsewhere-1280.png'), fullPage: true });

    // A stops: B's list and its open view catch up with how the run ended.
    await a.page.getByRole('button', { name: 'Stop' }).click();
    expect(await waitNotRunning(a.page)).toBe('cancelled');
    await expect.poll(() => zooInB.getByTestId('thread-status').textContent()).toBe('cancelled');
    await expect.poll(() => status(b.page).textContent()).toBe('cancelled');
    expect(await b.page.getByTestId('open-elsewhere').count()).toBe(0);
    await b.page.close();

    // A runs the thread again; C opens meanwhile and continues it: C's run waits for A's.
    await a.page.getByRole('textbox', { name: 'Requirements' }).fill('a zoo with animals, keepers and enclosures');
    await a.page.getByRole('button', { name: 'Continue this thread' }).click();
    await expect.poll(() => status(a.page).textContent()).toBe('running');
    const c = await openPage(context, app.url);
    const zooInC = row(c.page, 'a zoo with animals');
    await expect.poll(() => zooInC.getByTestId('thread-status').textContent()).toBe('running elsewhere');
    await zooInC.getByRole('button', { name: /^a zoo with animals/ }).click();
    await expect.poll(() => c.page.getByTestId('open-elsewhere').count()).toBe(1);
    await c.page.getByRole('textbox', { name: 'Requirements' }).fill('a zoo with animals, keepers and feeding times');
    await c.page.getByRole('button', { name: 'Continue this thread' }).click();
    const waiting = c.page.getByTestId('run-waiting');
    await expect.poll(() => waiting.count()).toBe(1);
    expect(await waiting.textContent()).toContain('Another tab is running this thread');
    expect(await status(c.page).textContent()).toBe('running');
    expect(await status(a.page).textContent()).toBe('running');

    // A's run ends (stopped); then C's runs, on the same thread, to the end.
    await a.page.getByRole('button', { name: 'Stop' }).click();
    expect(await waitNotRunning(a.page)).toBe('cancelled');
    expect(await waitNotRunning(c.page)).toBe('completed');
    expect(await waiting.count()).toBe(0);
    expect((await tableNames(c.page)).length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => zooInC.getByTestId('thread-status').textContent()).toBe('completed');
    expect(await threads(c.page).getByTestId('thread').count()).toBe(1);
    await expect
      .poll(() => row(a.page, 'a zoo with animals').getByTestId('thread-status').textContent())
      .toBe('completed');
    expect(a.pageErrors).toEqual([]);
    expect(b.pageErrors).toEqual([]);
    expect(c.pageErrors).toEqual([]);
    await context.close();
  });
});
