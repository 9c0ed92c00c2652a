import { describe, expect, it } from 'vitest';
import { MemorySaver } from '@langchain/langgraph/web';
import type { Endpoint, WorkerEvent } from '../../src/protocol';
import { schemaEntry } from '../support/graphs';
import { DemoEngine } from '../../src/engines/demo';
import { demoEntry } from '../support/graphs';
import { fixedEngineManager, ScriptedEngine } from '../support/engines';
import { ended, harnessPerTest } from '../support/harness';
import { mulberry32 } from '../support/random';
import { casesTried } from '../support/tally';

const { tally } = casesTried('fault');
const openHarness = harnessPerTest();

/** Counts the listeners the host keeps on its endpoint, to catch leaks. */
function countingEndpoint(port: MessagePort): Endpoint & { listeners: () => number } {
  let n = 0;
  return {
    postMessage: (m: unknown) => port.postMessage(m),
    addEventListener: (t: 'message', l: (ev: MessageEvent) => void) => {
      n++;
      port.addEventListener(t, l);
    },
    removeEventListener: (t: 'message', l: (ev: MessageEvent) => void) => {
      n--;
      port.removeEventListener(t, l);
    },
    start: () => port.start(),
    listeners: () => n,
  };
}

describe('faults: the app recovers and loses nothing', () => {
  it('the engine throws mid-stream: a clear failure, the partial text stays, a retry works', async () => {
    let calls = 0;
    const flaky = new ScriptedEngine(() => 'partial answer that breaks here and never ends', 1);
    const original = flaky.stream.bind(flaky);
    flaky.stream = async function* (req) {
      calls++;
      let n = 0;
      for await (const chunk of original(req)) {
        if (calls === 1 && ++n === 4)
          throw Object.assign(new Error('GPU device was lost'), { name: 'DeviceLostError' });
        yield chunk;
      }
    };
    const h = openHarness({ graphs: [demoEntry], engines: fixedEngineManager(flaky) });
    const first = h.client.run({ graph: 'demo', input: { topic: 't' }, streamModes: ['values'], subgraphs: false });
    h.stores.begin(first, 'demo', ['values'], false);
    const end = await h.waitFor(ended(first));
    expect(end.type).toBe('run.failed');
    const run = h.stores.current();
    expect(run.error).toMatchObject({ name: 'DeviceLostError', message: 'GPU device was lost' });
    expect(run.tokens[0].content).toBe('partial answer that ');
    const retry = h.client.run({ graph: 'demo', input: { topic: 't' }, streamModes: ['values'], subgraphs: false });
    h.stores.begin(retry, 'demo', ['values'], false);
    expect((await h.waitFor(ended(retry))).type).toBe('run.completed');
    expect(h.stores.current().tokens[0].content).toBe('partial answer that breaks here and never ends');
    tally('engine-throws');
  });

  it('cancel at 200 seeded points across a run: at least 150 land in the run, each of those ends cancelled with nothing after, next run works', async () => {
    const channel = new MessageChannel();
    const endpoint = countingEndpoint(channel.port1);
    const { serve } = await import('../../src/worker/host');
    const { connect } = await import('../../src/client/client');
    const host = serve(endpoint, {
      graphs: [schemaEntry],
      engines: fixedEngineManager(new DemoEngine({ tokensPerSecond: 0 })),
      checkpointer: new MemorySaver(),
    });
    const client = connect(channel.port2 as never);
    const events: WorkerEvent[] = [];
    client.subscribe((b) => events.push(...b));
    const listenersAtStart = endpoint.listeners();
    const rand = mulberry32(424242);
    const waitFor = (pred: (e: WorkerEvent) => boolean, from: number) =>
      new Promise<WorkerEvent>((resolve) => {
        const check = () => {
          const hit = events.slice(from).find(pred);
          if (hit) {
            off();
            resolve(hit);
          }
        };
        const off = client.subscribe(check);
        check();
      });
    try {
      // One whole run first: cancel points are drawn across its full length (measured in events).
      const ref = client.run({
        graph: 'schema',
        input: { requirements: 'a blog with users, posts and comments' },
        streamModes: ['updates'],
        subgraphs: true,
      });
      await waitFor(ended(ref), 0);
      const refEvents = events.filter((e) => e.runId === ref && !ended(ref)(e));
      /** What the run was doing at an event: the cancel is tallied under it. */
      const kindOf = (e: WorkerEvent): string => {
        if (e.type !== 'custom') return 'other';
        if (e.name === 'custom_token') return 'token';
        if (e.name.startsWith('tool_') || e.name === 'schema_progress') return 'tool';
        if (e.name === 'node_progress' || e.ns.some((n) => n.startsWith('validate'))) return 'validation';
        if (e.name === 'node_start' || e.name === 'node_complete') return 'node';
        return 'other';
      };
      for (const k of ['token', 'tool', 'validation', 'node'])
        expect(refEvents.filter((e) => kindOf(e) === k).length).toBeGreaterThan(0);
      /** Per kind of moment: cancels sent, and those that landed on the active run (all cancelled). */
      const outcome: Record<string, { sent: number; cancelled: number }> = {};
      for (let i = 0; i < 200; i++) {
        const from = events.length;
        // The cancel point: a seeded position across the reference run's events (the same input
        // gives the same events), so the moments are spread as the run spends its events.
        const point = 1 + Math.floor(rand() * refEvents.length);
        const kind = kindOf(refEvents[point - 1]);
        const runId = client.run({
          graph: 'schema',
          input: { requirements: 'a blog with users, posts and comments' },
          streamModes: ['updates'],
          subgraphs: true,
        });
        // Cancel in the very callback that sees the point, not a turn later.
        await new Promise<void>((resolve) => {
          const check = () => {
            const mine = events.slice(from).filter((e) => e.runId === runId);
            if (mine.length >= point || mine.some(ended(runId))) {
              off();
              client.cancel(runId);
              resolve();
            }
          };
          const off = client.subscribe(check);
          check();
        });
        tally(`cancel-at:${kind}`);
        await waitFor(ended(runId), from);
        // A ping is answered after the cancel was handled (one port, one ordered emitter): by its
        // reply, the host's answer to the cancel and anything the run sent after its end are here.
        await client.request({ type: 'ping' });
        const mine = events.slice(from).filter((e) => e.runId === runId);
        const terminal = mine.filter((e) => ended(runId)(e));
        expect(terminal).toHaveLength(1);
        expect(mine.at(-1)).toBe(terminal[0]);
        // The host answers a cancel for a run that is no longer active with UnknownRunError; a
        // run that had already ended is no cancel test. Every other cancel landed on the active
        // run, and that run must end cancelled.
        const tooLate = events
          .slice(from)
          .some((e) => e.type === 'error' && e.context === 'cancel' && e.error.message.includes(`"${runId}"`));
        const o = (outcome[kind] ??= { sent: 0, cancelled: 0 });
        o.sent++;
        if (tooLate) {
          expect(terminal[0].type).toBe('run.completed');
        } else {
          expect(terminal[0].type).toBe('run.cancelled');
          o.cancelled++;
        }
      }
      const truly = Object.values(outcome).reduce((n, o) => n + o.cancelled, 0);
      console.log(
        `cancels: 200 tried, ${truly} landed on an active run and cancelled it; by moment: ${JSON.stringify(outcome)}`,
      );
      expect(truly).toBeGreaterThanOrEqual(150);
      expect(endpoint.listeners()).toBe(listenersAtStart);
      const last = client.run({
        graph: 'schema',
        input: { requirements: 'a shop with products' },
        streamModes: ['updates'],
        subgraphs: false,
      });
      expect((await waitFor(ended(last), 0)).type).toBe('run.completed');
      expect(Object.values(outcome).reduce((n, o) => n + o.sent, 0)).toBe(200);
    } finally {
      host.close();
      client.close();
      channel.port1.close();
      channel.port2.close();
    }
  }, 240_000);

  it('100 runs back to back: no growth in listeners and bounded retained memory', async () => {
    const h = openHarness({ graphs: [demoEntry], engines: fixedEngineManager(new ScriptedEngine()) });
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    let before = 0;
    for (let i = 0; i < 100; i++) {
      if (i === 10) before = heap();
      const runId = h.client.run({
        graph: 'demo',
        input: { topic: `run ${i}` },
        streamModes: ['values', 'custom'],
        subgraphs: true,
      });
      h.stores.begin(runId, 'demo', ['values', 'custom'], true);
      expect((await h.waitFor(ended(runId))).type).toBe('run.completed');
      h.events.length = 0; // the harness keeps every event; the app's stores do not
      tally('back-to-back-run');
    }
    const growthMb = (heap() - before) / 1024 / 1024;
    expect(growthMb).toBeLessThan(gc ? 20 : 60);
  }, 120_000);
});
