/**
 * `npm run server` for e2e tests: starts `node server/start.mjs` on a free port (never 2024, which
 * something outside the project holds on these machines), waits for `GET /ok`, and stops it by
 * the script's own PID (the script takes the whole server process group down with it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const HOST = '127.0.0.1';

/** A port nothing listens on right now: bind port 0, read it, let it go. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** How the script exited. */
export interface ScriptExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LangGraphServer {
  url: string;
  port: number;
  /** Everything the script printed so far. */
  output(): string;
  /** True once the script has exited. */
  exited(): boolean;
  /**
   * Stops the server (SIGTERM to the script's PID, unless the script has exited already), waits
   * until the script has exited, and says how it did.
   */
  stop(): Promise<ScriptExit>;
}

/**
 * Starts the server. `config` overrides the root `langgraph.json` (TABGRAPH_LANGGRAPH_CONFIG);
 * by default it is unset, so the server serves the app's own registry.
 */
export async function startLangGraphServer(options: { config?: string } = {}): Promise<LangGraphServer> {
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  if (options.config) env.TABGRAPH_LANGGRAPH_CONFIG = options.config;
  else delete env.TABGRAPH_LANGGRAPH_CONFIG;
  const child: ChildProcess = spawn(process.execPath, ['server/start.mjs'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let hasExited = false;
  const exit = new Promise<ScriptExit>((r) =>
    child.once('exit', (code, signal) => {
      hasExited = true;
      r({ code, signal });
    }),
  );

  for (;;) {
    if (hasExited) throw new Error(`server/start.mjs exited before the server answered:\n${output}`);
    try {
      const res = await fetch(`${url}/ok`);
      if (res.ok && ((await res.json()) as { ok?: boolean }).ok === true) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    port,
    output: () => output,
    exited: () => hasExited,
    stop() {
      if (!hasExited) child.kill('SIGTERM');
      return exit;
    },
  };
}
