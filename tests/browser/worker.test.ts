import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerLike } from '../../src/client/session';
import { pageOver, type TestPage } from '../support/page';
import { STREAM_MODES, type StreamMode, type WorkerEvent } from '../../src/protocol';
import { createEngineManager } from '../../src/engines/manager';
import { buildDemoGraph } from '../../src/graphs/demo/graph';
import { normalizeChunk } from '../../src/worker/relay';
import { scrub } from '../support/harness';
import { MemorySaver } from '@langchain/langgraph/web';

const createWorker = () =>
  new Worker(new URL('../../src/worker/main.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;

let session: TestPage | null = null;
afterEach(() => {
  session?.dispose();
  session = null;
});

function collect(s: TestPage): WorkerEvent[] {
  const events: WorkerEvent[] = [];
  s.onEvents((batch) => events.push(...batch));
  return events;
}

function until(s: TestPage, pred: () => boolean, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    const check = () => {
      if (pred()) {
        clearTimeout(timer);
        off();
        resolve();
      }
    };
    const off = s.onEvents(check);
    check();
  });
}

/** The demo engine runs unthrottled in the worker and in-process, so both produce the same tokens. */
async function inPage(modes: StreamMode[], subgraphs: boolean) {
  const engines = createEngineManager();
  await engines.select({ kind: 'demo', demo: { tokensPerSecond: 0 } }, () => {});
  // The worker saves checkpoints (every run is a thread), so the reference does too.
  const graph = buildDemoGraph({ engine: () => engines.current() }, new MemorySaver());
  const configurable = { thread_id: `run-${crypto.randomUUID()}` };
  const out: unknown[] = [];
  const input = { topic: 'tabs' };
  for await (const raw of await graph.stream(input, { streamMode: modes, subgraphs, configurable } as never))
    out.push(normalizeChunk(raw, subgraphs));
  return out;
}

describe('the real module Worker in Chromium', () => {
  it('streams every mode of the demo graph into the stores, equal in order to LangGraph in-process', async () => {
    session = pageOver({ createWorker });
    const events = collect(session);
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    const modes = [...STREAM_MODES];
    const runId = session.start({ graph: 'demo', input: { topic: 'tabs' }, streamModes: modes, subgraphs: true });
    await until(session, () => session!.stores.current().status !== 'running');
    const run = session.stores.current();
    expect(run.status).toBe('completed');
    expect(run.tokens.length).toBe(1);
    expect(run.tokens[0].content.length).toBeGreaterThan(10);
    const relayed = events
      .filter((e) => e.runId === runId && e.type === 'stream')
      .map((e) => (e.type === 'stream' ? { mode: e.mode, ns: e.ns, chunk: e.chunk } : null));
    expect(scrub(relayed)).toEqual(scrub(await inPage(modes, true)));
  });

  it('cancels a run mid-stream and runs again', async () => {
    session = pageOver({ createWorker });
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 200 } });
    session.start({ graph: 'demo', input: { topic: 'cancel me' }, streamModes: ['values'], subgraphs: false });
    await until(session, () => session!.stores.current().stats.tokens > 2);
    session.stop();
    await until(session, () => session!.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('cancelled');
    session.start({ graph: 'demo', input: { topic: 'again' }, streamModes: ['values'], subgraphs: false });
    await until(session, () => session!.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('completed');
  });

  it('garbage sent to the real worker is answered with a clear error event', async () => {
    session = pageOver({ createWorker });
    const events = collect(session);
    // Garbage in the page -> worker direction is answered by the worker with an error event.
    (session.session as unknown as { client: { send(c: unknown): void } }).client.send({ type: 42 });
    await until(session, () => events.some((e) => e.type === 'error'));
    const err = events.find((e) => e.type === 'error');
    expect(err?.type === 'error' && err.error.message).toContain('unknown command type');
  });
});
