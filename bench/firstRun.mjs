/**
 * The first run on a fresh browser profile. Each measure launches Chromium on a brand-new, empty
 * user data dir (`launchPersistentContext`): no HTTP cache, no service worker, no Cache API, no
 * compiled wasm, as for someone opening the app for the first time.
 *
 * - PGlite ready: a page of the app's origin starts the build's nested PGlite worker
 *   (`assets/pgliteHost-*.js`) and times `new Worker` to its ready message: it has fetched PGlite
 *   and the prebuilt data directory, started Postgres on it and checked the version.
 * - First run: the app itself, demo engine unthrottled; from the click on Run to the validation
 *   step's `step_complete` event (the DDL validated by Postgres) at the page's stores, and to the
 *   run's end. The service worker registers and precaches the shell meanwhile, as on a first visit.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../chromium.config.js';
import { selectDemo } from './probes.mjs';
import { round } from './stats.mjs';

const REQUIREMENTS = 'a blog with users, posts and comments';

/** Runs `fn` in a browser on a fresh profile, then closes it and deletes the profile. */
async function withFreshProfile(/** @type {(c: import('playwright').BrowserContext) => Promise<any>} */ fn) {
  const dir = mkdtempSync(join(tmpdir(), 'tabgraph-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath, args: chromiumArgs });
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In the page: starts the nested PGlite worker and times it to ready, then runs one statement. */
async function pgliteReadyProbe(/** @type {string} */ src) {
  const t0 = performance.now();
  const worker = new Worker(src, { type: 'module', name: 'pglite' });
  const next = () =>
    new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => resolve({ ready: false, ok: false, error: { message: e.message } });
    });
  const ready = await next();
  const readyMs = performance.now() - t0;
  let firstStatementMs = null;
  if (ready.ready) {
    const t1 = performance.now();
    worker.postMessage({ id: 1, op: 'exec', sql: 'BEGIN; CREATE TABLE "t" ("id" integer PRIMARY KEY); ROLLBACK' });
    const reply = await next();
    if (reply.ok) firstStatementMs = performance.now() - t1;
  }
  worker.terminate();
  return { ok: ready.ready === true, error: ready.error?.message ?? null, readyMs, firstStatementMs };
}

/** In the page: clicks Run and times it to the validated DDL and to the run's end. */
async function firstRunProbe() {
  const s = window.__tabgraph;
  const run = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Run');
  if (!run || run.disabled) return { error: 'no enabled Run button' };
  const out = { validatedAt: null, endAt: null, endType: null, validation: null };
  let off;
  const ended = new Promise((resolve) => {
    off = s.onEvents((events) => {
      const t = performance.now();
      for (const ev of events) {
        if (ev.type === 'custom' && ev.name === 'step_complete' && ev.data?.step === 'validate' && !out.validatedAt) {
          out.validatedAt = t;
          // `details` holds {ok, durationMs} (the seed's `result` is a sentence); older builds put them in `result`.
          out.validation = ev.data.details ?? ev.data.result;
        } else if (['run.completed', 'run.failed', 'run.cancelled', 'run.rejected'].includes(ev.type)) {
          out.endAt = t;
          out.endType = ev.type;
          resolve(undefined);
        }
      }
    });
  });
  const t0 = performance.now();
  run.click();
  await Promise.race([ended, new Promise((r) => setTimeout(r, 120_000))]);
  off();
  return {
    endType: out.endType,
    validationOk: out.validation?.ok ?? null,
    validationMs: out.validation?.durationMs ?? null,
    toValidatedMs: out.validatedAt === null ? null : out.validatedAt - t0,
    toEndMs: out.endAt === null ? null : out.endAt - t0,
  };
}

/**
 * One round: PGlite ready on one fresh profile, the first run on another.
 * @param {string} url the served app, ending in `/`
 * @param {string} dist the build directory (to find the PGlite worker's chunk)
 */
export async function firstRunRound(url, dist) {
  const host = readdirSync(join(dist, 'assets')).find((f) => /^pgliteHost-[\w-]+\.js$/.test(f));
  if (!host) throw new Error(`no pgliteHost-*.js in ${dist}/assets`);
  const pglite = await withFreshProfile(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    // A blank page of the app's origin, answered here: the app itself would start its own worker.
    await context.route(`${url}bench-blank.html`, (r) =>
      r.fulfill({ contentType: 'text/html', body: '<!doctype html>' }),
    );
    await page.goto(`${url}bench-blank.html`);
    return page.evaluate(pgliteReadyProbe, `${url}assets/${host}`);
  });
  if (!pglite.ok) throw new Error(`PGlite did not start: ${pglite.error}`);
  const first = await withFreshProfile(async (context) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => 'selectEngine' in (window.__tabgraph ?? {}));
    await page.evaluate(selectDemo, { tokensPerSecond: 0, minTokens: 0 });
    await page.getByRole('textbox', { name: 'Requirements' }).fill(REQUIREMENTS);
    return { ...(await page.evaluate(firstRunProbe)), pageErrors };
  });
  if (first.endType !== 'run.completed' || first.validationOk !== true)
    throw new Error(`the first run did not validate: ${JSON.stringify(first)}`);
  return {
    pglite_ready_ms: round(pglite.readyMs, 0),
    pglite_first_statement_ms: round(pglite.firstStatementMs, 0),
    run_to_validated_ms: round(first.toValidatedMs, 0),
    run_to_end_ms: round(first.toEndMs, 0),
    validation_step_ms: first.validationMs,
    page_errors: first.pageErrors,
  };
}
