#!/usr/bin/env node
/**
 * Starts the LangGraph dev server (`langgraphjs dev`) on Tabgraph's graphs: `npm run server`.
 *
 * - Installs this folder's own dependencies on first use (`npm ci --prefix server`): the server
 *   pins peer ranges the app does not share, so it lives in its own package.
 * - Listens on 127.0.0.1, port `PORT` (default 2024); the config is the repo root's
 *   `langgraph.json`, or `TABGRAPH_LANGGRAPH_CONFIG` (tests point it at a fixture; not
 *   `LANGGRAPH_CONFIG`, which the server reads as per-graph assistant config JSON).
 * - No browser, no file watching, no analytics.
 * - The CLI spawns the server, which spawns its own children, so the CLI runs in a process group
 *   of its own and SIGINT/SIGTERM/SIGHUP to this script go to that whole group: stopping this
 *   script's PID stops the server and frees the port before this script exits.
 *
 * Plain Node ESM with no dependencies, so it can run before anything is installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const serverDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(serverDir, '..');
const isWindows = process.platform === 'win32';
/** How long the server may take to stop after a signal before it is killed outright. */
const STOP_GRACE_MS = 10_000;

function fail(message) {
  console.error(`[server] ${message}`);
  process.exit(1);
}

function parsePort(raw) {
  if (raw === undefined || raw === '') return 2024;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`PORT must be a port number 1-65535, got "${raw}".`);
  return port;
}

/** Resolves when nothing listens on host:port (checked by binding it briefly). */
function assertPortFree(port) {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', (err) =>
      fail(
        err.code === 'EADDRINUSE'
          ? `Port ${port} on ${HOST} is already in use. Stop whatever uses it, or pick another: PORT=<port> npm run server`
          : `Cannot listen on ${HOST}:${port}: ${err.message}`,
      ),
    );
    probe.listen(port, HOST, () => probe.close(() => resolveFree()));
  });
}

function cliEntry() {
  const pkgPath = join(serverDir, 'node_modules', '@langchain', 'langgraph-cli', 'package.json');
  if (!existsSync(pkgPath)) return undefined;
  const { bin } = JSON.parse(readFileSync(pkgPath, 'utf8'));
  return join(dirname(pkgPath), typeof bin === 'string' ? bin : bin.langgraphjs);
}

function installDependencies() {
  console.log('[server] First run: installing the LangGraph server (npm ci --prefix server) ...');
  const result = spawnSync(isWindows ? 'npm.cmd' : 'npm', ['ci', '--prefix', serverDir, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    shell: isWindows,
  });
  if (result.status !== 0) fail('Installing the server dependencies failed (see above). Retry: npm ci --prefix server');
}

const port = parsePort(process.env.PORT);
const config = resolve(process.env.TABGRAPH_LANGGRAPH_CONFIG || join(repoRoot, 'langgraph.json'));
if (!existsSync(config)) fail(`No LangGraph config at ${config} (set TABGRAPH_LANGGRAPH_CONFIG to use another).`);

let cli = cliEntry();
if (!cli) {
  installDependencies();
  cli = cliEntry();
  if (!cli) fail('The LangGraph CLI is still missing after npm ci --prefix server.');
}
await assertPortFree(port);

const url = `http://${HOST}:${port}`;
const child = spawn(
  process.execPath,
  [cli, 'dev', '--config', config, '--host', HOST, '--port', String(port), '--no-browser', '--no-reload'],
  {
    cwd: repoRoot,
    env: { ...process.env, LANGGRAPH_CLI_NO_ANALYTICS: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group, so one signal reaches the CLI and every server process under it.
    detached: !isWindows,
  },
);

/** Sends `signal` to the CLI and everything it started. */
function signalTree(signal) {
  if (child.pid === undefined) return;
  try {
    if (isWindows) spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** True while any process of the CLI's group is alive (on Windows: the CLI itself). */
function treeAlive() {
  if (child.pid === undefined) return false;
  try {
    process.kill(isWindows ? child.pid : -child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until the whole group has exited, killing it outright after `graceMs`. */
async function waitForTree(graceMs) {
  const deadline = Date.now() + graceMs;
  while (treeAlive()) {
    if (Date.now() > deadline) {
      signalTree('SIGKILL');
      await sleep(100);
      return;
    }
    await sleep(50);
  }
}

let stopping = false;
let childExit;
const exited = new Promise((r) => child.once('exit', (code, signal) => r((childExit = { code, signal }))));

async function stop(reason, signal = 'SIGTERM') {
  if (stopping) {
    signalTree('SIGKILL'); // a second Ctrl+C: no more waiting
    return;
  }
  stopping = true;
  console.log(`\n[server] ${reason}: stopping the LangGraph server ...`);
  signalTree(signal);
  await waitForTree(STOP_GRACE_MS);
  await Promise.race([exited, sleep(1_000)]);
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal, signal));
// `npm run server` runs this under `sh -c`; a SIGTERM to npm's PID reaches that shell, which
// (dash) dies without passing it on. So under npm, losing our parent means: stop.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop('npm exited'), 500).unref();
}
// If this script dies some other way, do not leave a server behind.
process.on('exit', () => {
  if (treeAlive()) signalTree('SIGKILL');
});

child.once('error', (err) => fail(`Could not start the LangGraph CLI: ${err.message}`));
void exited.then(async ({ code, signal }) => {
  if (stopping) return;
  // The CLI went away by itself (a bad config, a crash): take its children with it.
  signalTree('SIGTERM');
  await waitForTree(STOP_GRACE_MS);
  console.error(`[server] The LangGraph server exited (${signal ?? `code ${code}`}).`);
  process.exit(code || 1);
});

// Announce the URL once the API answers.
while (!stopping && !childExit) {
  try {
    const res = await fetch(`${url}/ok`, { signal: AbortSignal.timeout(2_000) });
    const body = res.ok ? await res.json() : undefined;
    if (body?.ok === true) {
      console.log(`\n[server] Tabgraph's LangGraph server is ready: ${url}  (config: ${config})\n`);
      break;
    }
  } catch {
    // not listening yet
  }
  await sleep(250);
}
