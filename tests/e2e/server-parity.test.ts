/**
 * Same result both ways: the built page runs the schema graph in the tab (demo engine) and on a
 * LangGraph server started with `npm run server` (`?api=`; the server's graphs fall back to the
 * same deterministic demo engine), and the final stores and the ordered custom events are equal.
 * What differs by nature is left out: message ids, timestamps, durations, and subgraph task ids.
 */
import type { BrowserContext, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious, clickAndWaitRun, ready, runToEnd, servedApp, tableNames } from './appPage';
import { freePort, startLangGraphServer, type LangGraphServer } from './langgraphServer';

const app = servedApp('/');
let server: LangGraphServer;

beforeAll(async () => {
  server = await startLangGraphServer();
}, 240_000); // a first run installs server/ (npm ci) before starting

afterAll(async () => {
  await server?.stop();
}, 30_000);

const REQUIREMENTS = 'a blog with users, posts and comments';

type Json = unknown;

/** Drops what differs between any two runs: ids of messages, times and durations. */
function scrub(value: Json, top = true): Json {
  if (Array.isArray(value)) return value.map((v) => scrub(v, false));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'timestamp' || k === 'durationMs' || (top && k === 'id')) continue;
    out[k] = scrub(v, false);
  }
  return out;
}

/** `validate:<task id>` -> `validate`: task ids are made per run. */
const nsNames = (ns: string[]) => ns.map((s) => s.split(':')[0]);

/** Starts recording the page's own events (before Run is pressed). */
const recordEvents = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as {
      __events: unknown[];
      __tabgraph: { onEvents(l: (b: unknown[]) => void): void };
    };
    g.__events = [];
    g.__tabgraph.onEvents((batch) => g.__events.push(...batch));
  });

/** The final stores and the run's custom events, as plain data. */
async function outcome(page: Page) {
  const { run, custom } = await page.evaluate(() => {
    const g = globalThis as unknown as {
      __events: { type: string; name?: string; ns?: string[]; data?: unknown }[];
      __tabgraph: { stores: { current(): Record<string, unknown> } };
    };
    return {
      run: JSON.parse(JSON.stringify(g.__tabgraph.stores.current())) as Record<string, Json>,
      custom: g.__events.filter((e) => e.type === 'custom').map((e) => ({ name: e.name!, ns: e.ns!, data: e.data })),
    };
  });
  const values = run.values as Record<string, Json>;
  const pick = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, values[k]]));
  const tokens = custom.filter((e) => e.name === 'custom_token');
  return {
    tables: await tableNames(page),
    stores: {
      status: run.status,
      values: pick([
        'requirements',
        'analysis',
        'schema',
        'operations',
        'ddl',
        'validation',
        'summary',
        'status',
        'attempts',
      ]),
      nodeOrder: run.nodeOrder,
      nodes: Object.fromEntries(
        Object.entries(run.nodes as Record<string, { status: string; steps: Json }>).map(([k, n]) => [
          k,
          { status: n.status, steps: n.steps },
        ]),
      ),
      tools: (run.tools as Record<string, Json>[]).map((t) => scrub({ ...t, startedAt: 0, endedAt: 0 })),
      tokens: (run.tokens as { agentName: string; content: string; count: number }[]).map((t) => ({
        agentName: t.agentName,
        content: t.content,
        count: t.count,
      })),
      tokenUpdate: run.tokenUpdate,
      progress: run.progress,
      schemaProgress: run.schemaProgress,
      stepsCompleted: scrub(run.stepsCompleted, false),
      messages: (run.messages as { type: string; content: string; node?: string; ns: string[] }[]).map((m) => ({
        type: m.type,
        content: m.content,
        node: m.node,
        ns: nsNames(m.ns),
      })),
    },
    // Tokens compared as their joined text; every other custom event by name, graph and payload.
    tokenText: tokens.map((e) => (e.data as { content: string }).content).join(''),
    customEvents: custom
      .filter((e) => e.name !== 'custom_token')
      .map((e) => ({ name: e.name, ns: nsNames(e.ns), data: scrub(e.data) })),
  };
}

async function runSchema(page: Page) {
  await recordEvents(page);
  expect(await runToEnd(page, REQUIREMENTS)).toBe('completed');
  return outcome(page);
}

const connectionState = (page: Page) => page.getByTestId('connection-status').getAttribute('data-state');

/** A page of the app in `context`, connected to the server (`?api=`), its page errors added to `errors`. */
async function openOnServer(context: BrowserContext, errors: string[] = []): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${app.url}?api=${encodeURIComponent(server.url)}`);
  await expect.poll(() => connectionState(page), { timeout: 30_000 }).toBe('server');
  return page;
}

describe('the schema graph in the tab and on a LangGraph server', () => {
  it('ends with the same stores and the same custom events, in the same order', async () => {
    const context = await app.browser.newContext();
    const errors: string[] = [];

    const tab = await context.newPage();
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(app.url);
    await ready(tab);
    const inTab = await runSchema(tab);

    const remote = await openOnServer(context, errors);
    await expect(remote.getByTestId('connection-status').textContent()).resolves.toContain(
      `Connected to ${server.url} (LangGraph server 1.5.1)`,
    );
    // The engine is chosen where the graphs run: there is none to choose on the page.
    expect(await remote.getByRole('heading', { name: 'Engine' }).count()).toBe(0);
    const onServer = await runSchema(remote);

    // The run did happen on the server: its thread is there, under the page's title.
    const threads = (await (
      await fetch(`${server.url}/threads/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { metadata: Record<string, unknown>; status: string }[];
    expect(threads.map((t) => [t.metadata.graph_id, t.metadata.tabgraph_title, t.status])).toContainEqual([
      'schema',
      REQUIREMENTS,
      'idle',
    ]);

    // What is compared is a whole, validated run (written by hand from the demo engine's design).
    expect(inTab.tables).toEqual(['users', 'posts', 'comments']);
    expect(inTab.stores).toMatchObject({
      status: 'completed',
      values: { status: 'succeeded', attempts: 1, validation: { ok: true, errors: [] } },
      nodeOrder: ['analyze', 'design', 'apply', 'validate', 'validate:generate_ddl', 'validate:run_ddl', 'summarize'],
    });
    expect((inTab.stores.values.ddl as string[]).length).toBeGreaterThan(3);
    const names = new Set(inTab.customEvents.map((e) => e.name));
    for (const n of ['node_start', 'node_complete', 'progress_update', 'step_complete', 'token_update'])
      expect(names).toContain(n);
    for (const n of ['tool_start', 'tool_success', 'schema_progress', 'node_progress']) expect(names).toContain(n);

    expect(onServer.tables).toEqual(inTab.tables);
    expect(onServer.stores).toEqual(inTab.stores);
    expect(inTab.tokenText.length).toBeGreaterThan(100);
    expect(onServer.tokenText).toBe(inTab.tokenText);
    expect(onServer.customEvents.map((e) => e.name)).toEqual(inTab.customEvents.map((e) => e.name));
    expect(onServer.customEvents).toEqual(inTab.customEvents);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('an unreachable server gets a clear message, and the page still runs in the tab', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await page.goto(`${app.url}?api=${encodeURIComponent(nowhere)}`);
    await expect
      .poll(() => page.getByTestId('connection-problem').textContent(), { timeout: 30_000 })
      .toBe(
        `Could not connect: Nothing answers at ${nowhere}: is the server running (npm run server), and is the URL right?`,
      );
    expect(await connectionState(page)).toBe('tab');
    // The Run-on panel shows the problem beside the URL it could not reach.
    expect(await page.getByRole('textbox', { name: 'LangGraph server URL' }).inputValue()).toBe(nowhere);
    expect(await axeSerious(page)).toEqual([]);
    await ready(page);
    expect(await runToEnd(page, 'a library with books and loans')).toBe('completed');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on the server: approval (reject, then approve), the thread list and state, Stop', async () => {
    const context = await app.browser.newContext();
    const errors: string[] = [];
    const page = await openOnServer(context, errors);

    await page.getByRole('checkbox', { name: 'Ask before applying schema changes' }).check();
    expect(await runToEnd(page, 'a school with students and courses')).toBe('interrupted');
    const panel = page.getByRole('region', { name: 'Pending schema changes' });
    await expect.poll(() => panel.count()).toBe(1);
    expect(await panel.getByTestId('pending-op').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('schema-table').count()).toBe(0);
    // The server keeps threads of earlier runs (in .langgraph_api/): find this one by its id.
    const threadId = await page.evaluate(
      () =>
        (
          globalThis as unknown as { __tabgraph: { stores: { current(): { threadId?: string } } } }
        ).__tabgraph.stores.current().threadId,
    );
    const row = page.getByRole('navigation', { name: 'Threads' }).locator(`[data-thread="${threadId}"]`);
    await expect.poll(() => row.getByTestId('thread-status').textContent()).toBe('interrupted');

    await panel.getByRole('textbox', { name: 'Reason' }).fill('Please add created_at to every table');
    expect(await clickAndWaitRun(page, panel.getByRole('button', { name: 'Reject' }))).toBe('interrupted');
    expect(await panel.textContent()).toContain('design attempt 2');
    expect(await clickAndWaitRun(page, panel.getByRole('button', { name: 'Approve' }))).toBe('completed');
    const tables = await tableNames(page);
    expect(tables).toEqual(expect.arrayContaining(['students', 'courses']));
    expect(await page.getByTestId('validation').getAttribute('data-ok')).toBe('true');
    await expect.poll(() => row.getByTestId('thread-status').textContent()).toBe('completed');

    // A new thread, then the saved one again: its state comes from the server.
    await page.getByRole('button', { name: 'New thread' }).click();
    await expect.poll(() => page.getByTestId('schema-table').count()).toBe(0);
    await row.getByRole('button', { name: /^a school/ }).click();
    await expect.poll(() => tableNames(page)).toEqual(tables);

    // A link to the thread opens it on the server (`?api=` with `#/thread/<id>`).
    const link = page.url();
    expect(link).toMatch(/#\/thread\/[0-9a-f-]{36}$/);
    const linked = await context.newPage();
    await linked.goto(link);
    await expect.poll(() => tableNames(linked), { timeout: 30_000 }).toEqual(tables);
    await linked.close();

    // Stop: the server run is cancelled and the page says so.
    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByRole('checkbox', { name: 'Ask before applying schema changes' }).uncheck();
    await page.getByRole('textbox', { name: 'Requirements' }).fill('a zoo with animals and keepers');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('running');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('cancelled');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a server that stops mid-run fails the run with a clear message; switching to the tab runs again', async () => {
    const context = await app.browser.newContext();
    const page = await openOnServer(context);
    await recordEvents(page);
    await page.getByRole('textbox', { name: 'Requirements' }).fill('a shop with customers, orders and products');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const tokens = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { __events: { name?: string }[] }).__events.filter((e) => e.name === 'custom_token')
            .length,
      );
    await expect.poll(tokens, { timeout: 60_000 }).toBeGreaterThan(0);
    await server.stop();

    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toBe('failed');
    const error = await page.evaluate(
      () =>
        (
          globalThis as unknown as { __tabgraph: { stores: { current(): { error: { message: string } | null } } } }
        ).__tabgraph.stores.current().error?.message,
    );
    expect(error).toContain(`The connection to the LangGraph server at ${server.url} was lost during the run`);
    await expect
      .poll(() => page.getByTestId('connection-problem').textContent(), { timeout: 10_000 })
      .toContain('The server stopped answering');

    await page.getByRole('radio', { name: 'This tab' }).check();
    await expect.poll(() => connectionState(page)).toBe('tab');
    await ready(page);
    expect(await runToEnd(page, 'a library with books and loans')).toBe('completed');
    await context.close();
  });
});
