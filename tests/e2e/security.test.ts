/**
 * The built app's Content-Security-Policy: inline script is refused, WebAssembly and the worker
 * still run, and hostile model output rendered by the app runs nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { chromiumArgs, chromiumPath } from '../../chromium.config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../build/csp';
import { serveStatic, type StaticServer } from './server';

const DIST = resolve(import.meta.dirname, '../../dist');
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(resolve(DIST, 'index.html'))) throw new Error('dist/ is missing: run `vite build` first');
  server = await serveStatic(DIST, '/csp/');
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('Content-Security-Policy of the built app', () => {
  it('declares a policy without inline script that allows WebAssembly', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toBe(PAGE_CSP);
    const scriptSrc = csp!.split(';').find((d) => d.trim().startsWith('script-src'))!;
    expect(scriptSrc).toContain("'wasm-unsafe-eval'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    await context.close();
  });

  it('refuses an inline script injected at run time, and the app still runs the agent with PGlite', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => 'selectEngine' in ((globalThis as { __tabgraph?: object }).__tabgraph ?? {}));
    const blocked = await page.evaluate(
      () =>
        new Promise<{ ran: boolean; violation: string }>((resolve) => {
          let violation = '';
          document.addEventListener('securitypolicyviolation', (e) => (violation = e.violatedDirective), {
            once: true,
          });
          const s = document.createElement('script');
          s.textContent = 'window.__inlineRan = true';
          document.body.append(s);
          setTimeout(
            () => resolve({ ran: Boolean((window as { __inlineRan?: boolean }).__inlineRan), violation }),
            200,
          );
        }),
    );
    expect(blocked.ran).toBe(false);
    expect(blocked.violation).toMatch(/^script-src/);

    await page.evaluate(() =>
      (globalThis as unknown as { __tabgraph: { selectEngine(s: unknown): Promise<unknown> } }).__tabgraph.selectEngine(
        {
          kind: 'demo',
          demo: { tokensPerSecond: 0 },
        },
      ),
    );
    await page.getByRole('textbox', { name: 'Requirements' }).fill('a blog with users and posts');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="run-status"]')?.textContent?.includes('completed'),
      null,
      {
        timeout: 90_000,
      },
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
