import { afterEach, describe, expect, it } from 'vitest';
import { pageOver, type TestPage } from '../support/page';
import { STREAM_MODES, type StreamMode } from '../../src/protocol';
import { createEngineManager } from '../../src/engines/manager';
import { buildDemoGraph } from '../../src/graphs/demo/graph';
import { normalizeChunk } from '../../src/worker/relay';
import { scrub } from '../support/harness';
import { collect, appWorker, untilEvents } from '../support/workerPage';
import { MemorySaver } from '@langchain/langgraph/web';

/** The app's worker, with a threads database of this file's own. */
const createWorker = appWorker('tabgraph-test-worker');

let session: TestPage | null = null;
afterEach(() => {
  session?.dispose();
  session = null;
});

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
    await untilEvents(session, () => session!.stores.current().status !== 'running');
    const run = session.stores.current();
    expect(run.status).toBe('completed');
    expect(run.tokens.length).toBe(1);
    expect(run.tokens[0].content.length).toBeGreaterThan(10);
    const relayed = events
      .filter((e) => e.runId === runId && e.type === 'stream')
      .map((e) => (e.type === 'stream' ? { mode: e.mode, ns: e.ns, chunk: e.chunk } : null));
    expect(scrub(relayed)).toEqual(scrub(await inPage(modes, true)));
  });

  it('hands on each token and its messages chunk in the order the graph made them, every one, in order', async () => {
    session = pageOver({ createWorker });
    const events = collect(session);
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0, minTokens: 3000 } });
    const runId = session.start({
      graph: 'demo',
      input: { topic: 'order' },
      streamModes: ['values', 'updates', 'messages', 'custom'],
      subgraphs: true,
    });
    await untilEvents(session, () => session!.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('completed');
    const mine = events.filter((e) => e.runId === runId);
    // streamLLMResponse dispatches `custom_token` and then reports the same token to the chat-model
    // callbacks (messages mode): the two must alternate, token by token, with the same text.
    const writer = mine.flatMap((e) => {
      if (e.type === 'custom' && e.name === 'custom_token') return [['token', (e.data as { content: string }).content]];
      if (e.type === 'stream' && e.mode === 'messages') {
        const [msg, meta] = e.chunk as [{ content: string }, { langgraph_node?: string }];
        if (meta.langgraph_node === 'write') return [['chunk', msg.content]];
      }
      return [];
    });
    expect(writer.length).toBeGreaterThanOrEqual(6000);
    for (let i = 0; i < writer.length; i += 2) {
      expect(writer[i][0]).toBe('token');
      expect(writer[i + 1]).toEqual(['chunk', writer[i][1]]);
    }
    // Every token reached the stores, in order.
    const run = session.stores.current();
    expect(run.stats.tokens).toBe(writer.length / 2);
    expect(run.tokens[0].content).toBe(
      writer
        .filter((w) => w[0] === 'token')
        .map((w) => w[1])
        .join(''),
    );
    // The plan node's events come between its own chunks, as it made them: progress, writer
    // chunk, step_complete, then its update.
    const plan = mine
      .flatMap((e) => {
        if (e.type === 'custom') return e.name === 'custom_token' || e.name === 'token_update' ? [] : [`ev:${e.name}`];
        return e.type === 'stream' ? [`${e.mode}:${Object.keys(e.chunk as object)[0]}`] : [];
      })
      .filter((x) => !x.startsWith('values') && !x.startsWith('messages'));
    expect(plan.slice(0, 4)).toEqual(['ev:progress_update', 'custom:planned', 'ev:step_complete', 'updates:plan']);
  });

  it('cancels a run mid-stream and runs again', async () => {
    session = pageOver({ createWorker });
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 200 } });
    session.start({ graph: 'demo', input: { topic: 'cancel me' }, streamModes: ['values'], subgraphs: false });
    await untilEvents(session, () => session!.stores.current().stats.tokens > 2);
    session.stop();
    await untilEvents(session, () => session!.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('cancelled');
    session.start({ graph: 'demo', input: { topic: 'again' }, streamModes: ['values'], subgraphs: false });
    await untilEvents(session, () => session!.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('completed');
  });

  it('garbage sent to the real worker is answered with a clear error event', async () => {
    session = pageOver({ createWorker });
    const events = collect(session);
    // Garbage in the page -> worker direction is answered by the worker with an error event.
    (session.session as unknown as { client: { send(c: unknown): void } }).client.send({ type: 42 });
    await untilEvents(session, () => events.some((e) => e.type === 'error'));
    const err = events.find((e) => e.type === 'error');
    expect(err?.type === 'error' && err.error.message).toContain('unknown command type');
  });
});
