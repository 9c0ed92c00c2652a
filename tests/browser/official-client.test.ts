/**
 * LangGraph's official client on the tab's worker: `useStream` and `useChannel` from
 * `@langchain/svelte` (its own StreamController, SDK 1.9.28), given our worker as its custom
 * transport (`WorkerAgentServerAdapter`), run the demo graph in the real module Worker. Messages,
 * values and custom events arrive; `stop()` cancels the run in the worker.
 *
 * Expected values are the demo engine's fixed answer and the demo graph's own events, written by
 * hand from src/graphs/demo/graph.ts.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { useStream } from '@langchain/svelte';
import { Session } from '../../src/client/session';
import { WorkerAgentServerAdapter, workerClient } from '../../src/client/agentProtocol/workerAdapter';
import type { WorkerEvent } from '../../src/protocol';
import { until } from '../support/until';
import { appWorker } from '../support/workerPage';
import OfficialStream from './fixtures/OfficialStream.svelte';

/** The app's worker, with a threads database of this file's own. */
const createWorker = appWorker('tabgraph-test-official-client');

let session: Session | null = null;
let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  session?.dispose();
  session = null;
  document.body.innerHTML = '';
});

interface Handles {
  stream: ReturnType<typeof useStream>;
  custom: { readonly current: unknown[] };
}

/** Mounts the official binding over a fresh worker with the demo engine at `tokensPerSecond`. */
async function officialOverWorker(tokensPerSecond: number, withClient = false) {
  session = new Session({ createWorker });
  await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond } });
  const workerEvents: WorkerEvent[] = [];
  session.subscribe((batch) => workerEvents.push(...batch));
  const adapter = new WorkerAgentServerAdapter(session, { graph: 'demo' });
  let handles: Handles | null = null;
  const target = document.createElement('div');
  document.body.append(target);
  mounted = mount(OfficialStream, {
    target,
    props: {
      adapter,
      ...(withClient ? { client: workerClient(adapter) } : {}),
      onready: (h: Handles) => (handles = h),
    },
  });
  flushSync();
  return { h: handles!, workerEvents };
}

type CustomFrame = { params: { namespace: string[]; data: { name?: string; payload: unknown } } };
const ANSWER = 'This is the offline demo engine, without an LLM. You said: tabs';

describe('the official client (useStream) over the tab worker', () => {
  it('runs the demo graph: messages, values and custom events arrive', async () => {
    const { h, workerEvents } = await officialOverWorker(0);
    await h.stream.submit({ topic: 'tabs' });
    await until(() => workerEvents.some((e) => e.type === 'run.completed'), 30_000);
    await until(() => !h.stream.isLoading, 10_000);
    flushSync();

    // Values: the thread state as the graph left it.
    const values = h.stream.values as { topic: string; notes: string[]; messages: unknown[] };
    expect(values.topic).toBe('tabs');
    expect(values.notes.at(-1)).toBe('reviewed 12 words');
    // Messages: the user's topic and the streamed answer, assembled from token deltas (as
    // LangChain messages: the answer's content is a text block, read with `.text`).
    expect(h.stream.messages.map((m) => [m.type, m.text])).toEqual([
      ['human', 'tabs'],
      ['ai', ANSWER],
    ]);
    expect(h.stream.error).toBeUndefined();
    expect(h.stream.threadId).toBeTruthy();

    // Custom events, in the order the graph dispatched them.
    const frames = h.custom.current as CustomFrame[];
    const named = frames.map((f) => f.params.data).filter((d) => typeof d.name === 'string');
    expect(named.filter((d) => !['custom_token', 'token_update'].includes(d.name!))).toEqual([
      { name: 'progress_update', payload: { step: 'plan', progress: 0, message: 'Planning' } },
      { name: 'step_complete', payload: { step: 'plan', result: 'planned' } },
      { name: 'progress_update', payload: { step: 'review', progress: 0.5, message: 'Checking the answer' } },
      { name: 'step_complete', payload: { step: 'review', result: '12 words' } },
    ]);
    const tokens = named
      .filter((d) => d.name === 'custom_token')
      .map((d) => (d.payload as { content: string }).content);
    expect(tokens.join('')).toBe(ANSWER);
    expect(named.filter((d) => d.name === 'token_update').at(-1)?.payload).toMatchObject({
      content: ANSWER,
      partial: false,
    });
    // config.writer chunks come on the same channel, without a name.
    const writer = frames.map((f) => f.params.data).filter((d) => d.name === undefined);
    expect(writer.map((d) => d.payload)).toEqual([{ planned: 'tabs' }, { reviewed: true, words: 12 }]);
  });

  it('stop() cancels the run in the worker', async () => {
    const { h, workerEvents } = await officialOverWorker(20, true);
    void h.stream.submit({ topic: 'a slow answer' });
    await until(() => workerEvents.some((e) => e.type === 'custom' && e.name === 'custom_token'), 30_000);
    await h.stream.stop();
    await until(() => workerEvents.some((e) => e.type === 'run.cancelled'), 10_000);
    await until(() => !h.stream.isLoading, 10_000);
    const ends = workerEvents.filter((e) => ['run.completed', 'run.cancelled', 'run.failed'].includes(e.type));
    expect(ends.map((e) => e.type)).toEqual(['run.cancelled']);
  });
});
