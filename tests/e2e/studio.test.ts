/**
 * Studio in a tab: the history of a thread's checkpoints, running again from one of them (a new
 * branch), editing the state first, breakpoints, and threads as links. The built app in
 * Chromium, on the demo graph (plan -> write -> review) with the demo engine at full speed.
 */
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { servedApp, clickAndWaitRun, openPage, status, waitNotRunning } from './appPage';

const app = servedApp('/studio/');

async function fresh() {
  const context = await app.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const { page, pageErrors } = await openPage(context, app.url);
  return { context, page, pageErrors };
}

/** Picks the demo graph, writes a topic and runs it to the end. */
async function runDemo(page: Page, topic: string): Promise<string | null> {
  await page.locator('select#graph').selectOption('demo');
  await page.getByRole('textbox', { name: 'Topic' }).fill(topic);
  return clickAndWaitRun(page, page.getByRole('button', { name: 'Run', exact: true }));
}

const history = (page: Page) => page.getByRole('region', { name: 'History' });
const checkpoints = (page: Page) => history(page).getByTestId('checkpoint');
/** Each checkpoint as "step writer next [branch]", newest first. */
const entries = (page: Page) =>
  checkpoints(page).evaluateAll((els) =>
    els.map((e) =>
      [
        e.getAttribute('data-step'),
        e.querySelector('.writer')?.textContent?.trim(),
        e.querySelector('.next')?.textContent?.trim(),
        `b${e.getAttribute('data-branch')}`,
      ].join(' '),
    ),
  );
const answer = (page: Page) => page.getByTestId('token-stream').last().textContent();

describe('studio in a tab', () => {
  it('lists every step of a run, newest first; a fork from a middle checkpoint completes and both branches remain', async () => {
    const { context, page, pageErrors } = await fresh();
    expect(await runDemo(page, 'alpha')).toBe('completed');
    // plan -> write -> review: the input, the start, then one checkpoint per node.
    const firstLine = [
      '3 review end b1',
      '2 write → review b1',
      '1 plan → write b1',
      '0 __start__ → plan b1',
      '-1 input → __start__ b1',
    ];
    await expect.poll(() => entries(page)).toEqual(firstLine);

    // Choosing "step 1" shows its state and what plan changed from its parent.
    await checkpoints(page).filter({ hasText: 'Step 1' }).click();
    const detail = history(page).getByTestId('checkpoint-detail');
    await expect.poll(() => detail.textContent()).toContain('State at step 1');
    const changes = await detail.getByTestId('changes').textContent();
    expect(changes).toContain('notes');
    expect(changes).toContain('plan for alpha');

    // Run again from after plan: LangGraph copies that checkpoint as a fork, then write and review
    // run again, on a branch of their own; the first line stays as it was.
    expect(await clickAndWaitRun(page, detail.getByRole('button', { name: 'Run again from here' }))).toBe('completed');
    await expect
      .poll(() => entries(page))
      .toEqual(['4 review end b2', '3 write → review b2', '2 fork → write b2', ...firstLine]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('an edited state reaches the next node', async () => {
    const { context, page, pageErrors } = await fresh();
    expect(await runDemo(page, 'original topic')).toBe('completed');
    expect(await answer(page)).toContain('original topic');
    await checkpoints(page).filter({ hasText: 'Step 1' }).click();
    const detail = history(page).getByTestId('checkpoint-detail');
    await detail.getByRole('button', { name: 'Edit state…' }).click();
    const editor = detail.getByRole('textbox', { name: 'State (JSON)' });
    const state = JSON.parse(await editor.inputValue()) as { topic: string };
    expect(state.topic).toBe('original topic');
    await editor.fill(JSON.stringify({ ...state, topic: 'an edited topic' }));
    await detail.getByLabel('Write it as node').selectOption('plan');
    expect(await clickAndWaitRun(page, detail.getByRole('button', { name: 'Apply and continue' }))).toBe('completed');
    // `write` read the edited topic: the demo engine answers with what it was given.
    expect(await answer(page)).toContain('an edited topic');
    // The edit is a checkpoint of its own, after step 1, on a new branch.
    await expect.poll(() => entries(page)).toContain('2 state edit → write b2');

    // A key the state does not have is refused before anything is sent.
    await checkpoints(page).filter({ hasText: 'Step 1' }).first().click();
    await detail.getByRole('button', { name: 'Edit state…' }).click();
    await editor.fill('{"nope": 1}');
    await detail.getByRole('button', { name: 'Apply and continue' }).click();
    expect(await detail.locator('#state-edit-hint').textContent()).toContain('Not keys of this graph');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a breakpoint pauses before its node, shows it, and continues or steps', async () => {
    const { context, page, pageErrors } = await fresh();
    await page.locator('select#graph').selectOption('demo');
    await page.getByRole('checkbox', { name: 'Pause before write' }).check();
    expect(await runDemo(page, 'paused')).toBe('interrupted');
    const bar = page.getByTestId('paused');
    expect(await bar.getByTestId('paused-next').textContent()).toBe('write');
    // Step: write runs, and the run pauses again before review.
    expect(await clickAndWaitRun(page, bar.getByRole('button', { name: 'Step one node' }))).toBe('interrupted');
    expect(await page.getByTestId('paused').getByTestId('paused-next').textContent()).toBe('review');
    expect(await answer(page)).toContain('paused');
    expect(
      await clickAndWaitRun(page, page.getByTestId('paused').getByRole('button', { name: 'Continue', exact: true })),
    ).toBe('completed');
    expect(await page.getByTestId('paused').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('the open thread is in the URL: a reload reopens it at once; back returns to the previous thread', async () => {
    const { context, page, pageErrors } = await fresh();
    expect(await runDemo(page, 'first thread')).toBe('completed');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/thread\/run-/);
    const first = await page.evaluate(() => location.hash);
    expect(await runDemo(page, 'second thread')).toBe('completed');
    await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(first);
    const second = await page.evaluate(() => location.hash);

    await page.reload();
    // No click: the thread of the URL is shown with its last state.
    await expect.poll(() => status(page).textContent()).toBe('completed');
    await expect.poll(() => page.getByTestId('thread-messages').textContent()).toContain('second thread');
    expect(await page.evaluate(() => location.hash)).toBe(second);

    await page.goBack();
    await expect.poll(() => page.getByTestId('thread-messages').textContent()).toContain('first thread');
    expect(await page.evaluate(() => location.hash)).toBe(first);
    await page.goForward();
    await expect.poll(() => page.getByTestId('thread-messages').textContent()).toContain('second thread');

    // The same link in a new tab shows the same thread.
    const other = await context.newPage();
    await other.goto(`${app.url}${second}`);
    await expect.poll(() => other.getByTestId('thread-messages').textContent()).toContain('second thread');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('a thread id that does not exist gets a clear message and an empty page', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${app.url}#/thread/no-such-thread`);
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('There is no thread "no-such-thread"');
    expect(await status(page).textContent()).toBe('idle');
    expect(await page.getByTestId('thread-messages').count()).toBe(0);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(pageErrors).toEqual([]);
    await waitNotRunning(page);
    await context.close();
  });
});
