/**
 * Where the page's runs happen: this tab's worker, or a LangGraph server at a URL. Connecting
 * first asks the server who it is (`GET /info`), so a wrong URL, a server that is down, a CORS
 * refusal or this page's own Content-Security-Policy is named before anything switches; the page
 * keeps running where it was. Plain TypeScript with a `svelte/store` state; the server client
 * itself is loaded only on connect.
 */
import { writable, type Readable } from 'svelte/store';
import type { GraphId, GraphInfo } from '../../protocol';
import type { Transport } from '../transport';

/** What the Run-on control shows. */
export type ConnectionState =
  /** Runs happen in this tab; `problem` says why the last connect failed. */
  | { kind: 'tab'; url?: string; problem?: string }
  | { kind: 'connecting'; url: string }
  /** Runs happen on the server; `problem` says why it stopped answering, if it did. */
  | { kind: 'server'; url: string; version: string; problem?: string };

export interface ConnectionOptions {
  /** Switches the page's runs to `transport` (the controller's `useTransport`). */
  useTransport(transport: Transport): void;
  /** A fresh transport for this tab (a worker session). */
  createTab(): Transport;
  /** Defaults to loading `ServerTransport` (and the SDK) on demand. */
  createServer?: (url: string, hooks: ServerHooks) => Promise<Transport>;
  fetch?: typeof fetch;
  /** Where the page reports Content-Security-Policy violations (the document). */
  cspEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** How long the server may take to answer `GET /info`, in ms. */
  timeoutMs?: number;
}

/** What a server transport reports back to the connection. */
export interface ServerHooks {
  onConnectionLost(reason: string): void;
  /** The page's own description of a graph (title, example, input form), from a tab worker. */
  describeLocally(graph: GraphId): Promise<GraphInfo>;
}

/** A server URL as typed, checked and without a trailing slash. */
export function normalizeServerUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new Error(`"${raw}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`A LangGraph server URL starts with http:// or https://, not ${url.protocol}//.`);
  return url.href.replace(/\/+$/, '');
}

/**
 * Asks the server at `url` for `GET /info` and returns its version. Throws an Error whose message
 * says plainly what went wrong.
 */
export async function probeServer(
  url: string,
  opts: Pick<ConnectionOptions, 'fetch' | 'cspEvents' | 'timeoutMs'> = {},
): Promise<{ version: string }> {
  const doFetch = opts.fetch ?? fetch.bind(globalThis);
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const origin = new URL(url).origin;
  let blockedByCsp = false;
  const onViolation = (e: Event) => {
    const blocked = String((e as SecurityPolicyViolationEvent).blockedURI ?? '');
    if (blocked.startsWith(origin)) blockedByCsp = true;
  };
  opts.cspEvents?.addEventListener('securitypolicyviolation', onViolation);
  let res: Response;
  try {
    res = await doFetch(`${url}/info`, { signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
  } catch (err) {
    // The violation event is queued as a task: let it arrive before deciding.
    await new Promise((r) => setTimeout(r, 0));
    if (blockedByCsp)
      throw new Error(
        `This page's Content-Security-Policy (connect-src) does not allow ${origin}. Serve the page with a policy that does (see README: Running on a LangGraph server).`,
        { cause: err },
      );
    if ((err as Error)?.name === 'TimeoutError')
      throw new Error(`No answer from ${url} within ${Math.round(timeoutMs / 1000)} s.`, { cause: err });
    // A request without CORS succeeds when the server is up but refuses this page's origin.
    const answers = await doFetch(`${url}/ok`, { mode: 'no-cors', signal: AbortSignal.timeout(timeoutMs) }).then(
      () => true,
      () => false,
    );
    if (answers)
      throw new Error(
        `The server at ${url} answered but does not allow this page's origin (${globalThis.location?.origin ?? 'unknown'}): its CORS settings refuse it.`,
        { cause: err },
      );
    throw new Error(`Nothing answers at ${url}: is the server running (npm run server), and is the URL right?`, {
      cause: err,
    });
  } finally {
    opts.cspEvents?.removeEventListener('securitypolicyviolation', onViolation);
  }
  if (!res.ok) throw new Error(`${url}/info answered HTTP ${res.status}: is this a LangGraph server?`);
  const body = (await res.json().catch(() => null)) as { version?: unknown } | null;
  if (!body || typeof body.version !== 'string')
    throw new Error(`${url}/info did not describe a LangGraph server (no version).`);
  return { version: body.version };
}

/** Loads the server transport and its SDK client only when a server is used. */
async function defaultServer(url: string, hooks: ServerHooks): Promise<Transport> {
  const { ServerTransport } = await import('./serverTransport');
  return new ServerTransport({
    apiUrl: url,
    onConnectionLost: hooks.onConnectionLost,
    describeLocally: hooks.describeLocally,
  });
}

/** The page's choice of where runs happen. */
export class Connection {
  readonly state: Readable<ConnectionState>;
  private readonly store = writable<ConnectionState>({ kind: 'tab' });
  private current: ConnectionState = { kind: 'tab' };
  /** Bumped by each connect or switch, so a slow answer to an older one is ignored. */
  private attempt = 0;
  private readonly describeLocally: (graph: GraphId) => Promise<GraphInfo>;

  constructor(private readonly options: ConnectionOptions) {
    this.state = { subscribe: this.store.subscribe };
    this.describeLocally = describeInTab(options.createTab);
  }

  /** Connects to the server at `rawUrl`; on failure the page keeps running where it was. */
  async connect(rawUrl: string): Promise<boolean> {
    const attempt = ++this.attempt;
    const previous = this.current;
    let url = rawUrl.trim();
    try {
      url = normalizeServerUrl(rawUrl);
      this.set({ kind: 'connecting', url });
      const { version } = await probeServer(url, this.options);
      const transport = await (this.options.createServer ?? defaultServer)(url, {
        describeLocally: this.describeLocally,
        onConnectionLost: (problem) => {
          const now = this.current;
          if (now.kind === 'server' && now.url === url) this.set({ ...now, problem });
        },
      });
      if (attempt !== this.attempt) {
        transport.dispose();
        return false;
      }
      this.options.useTransport(transport);
      this.set({ kind: 'server', url, version });
      return true;
    } catch (err) {
      if (attempt !== this.attempt) return false;
      const problem = err instanceof Error ? err.message : String(err);
      this.set(previous.kind === 'server' ? { ...previous, problem } : { kind: 'tab', url, problem });
      return false;
    }
  }

  /** Runs happen in this tab again (a fresh worker). */
  useTab(): void {
    this.attempt++;
    const now = this.current;
    if (now.kind === 'server') this.options.useTransport(this.options.createTab());
    // The URL stays in the field for the next connect.
    this.set(now.url ? { kind: 'tab', url: now.url } : { kind: 'tab' });
  }

  private set(state: ConnectionState): void {
    this.current = state;
    this.store.set(state);
  }
}

/**
 * Describes graphs with a short-lived tab worker: the server draws a graph but does not know the
 * page's registry meta (title, example, input schema, approval switches). The worker is started
 * on the first request and closed once every pending one is answered; answers are kept.
 */
export function describeInTab(createTab: () => Transport): (graph: GraphId) => Promise<GraphInfo> {
  const cache = new Map<GraphId, Promise<GraphInfo>>();
  let tab: Transport | null = null;
  let pending = 0;
  return (graph) => {
    const known = cache.get(graph);
    if (known) return known;
    const worker = (tab ??= createTab());
    pending += 1;
    const answer = worker.describe(graph).finally(() => {
      pending -= 1;
      if (pending === 0 && tab === worker) {
        tab = null;
        worker.dispose();
      }
    });
    cache.set(graph, answer);
    answer.catch(() => cache.delete(graph));
    return answer;
  };
}
