import { describe, expect, it, vi } from 'vitest';
import { createSessionStores } from '../../src/client/stores';
import { parseNdjson, replay, RunRecorder, toNdjson } from '../../src/client/recording/ndjson';
import { demoEntry } from '../support/graphs';
import { fixedEngineManager, ScriptedEngine } from '../support/engines';
import { harnessPerTest } from '../support/harness';
import { comparable } from '../support/compare';

const openHarness = harnessPerTest();

async function recordDemoRun() {
  const h = openHarness({ graphs: [demoEntry], engines: fixedEngineManager(new ScriptedEngine(undefined, 2)) });
  const recorder = new RunRecorder();
  h.client.subscribe((batch) => recorder.push(batch));
  const modes = ['values', 'updates', 'messages', 'custom'] as const;
  const runId = h.client.run({
    graph: 'demo',
    input: { topic: 'record me' },
    streamModes: [...modes],
    subgraphs: true,
  });
  h.stores.begin(runId, 'demo', [...modes], true);
  await h.waitFor((e) => e.runId === runId && e.type === 'run.completed');
  return { live: h.stores.current(), rec: recorder.recording()! };
}

describe('record and replay', () => {
  it('export then import then replay gives the same store state as the live run', async () => {
    const { live, rec } = await recordDemoRun();
    expect(rec.batches.length).toBeGreaterThan(1);
    const file = toNdjson(rec);
    const imported = parseNdjson(file);
    const stores = createSessionStores();
    await replay(imported, stores, Infinity);
    expect(comparable(stores.current())).toEqual(comparable(live));
    expect(stores.current().tokens[0].content).toBe(live.tokens[0].content);
  });

  it('replays at the recorded pace (scaled by speed): each batch waits for its recorded time', async () => {
    const { rec } = await recordDemoRun();
    const stores = createSessionStores();
    // A fake clock: the replay may only apply a batch once its time (halved at 2x) has come.
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      const applied: number[] = [];
      const target = {
        begin: stores.begin,
        apply: (events: Parameters<typeof stores.apply>[0]) => {
          applied.push(performance.now());
          stores.apply(events);
        },
      };
      const done = replay(rec, target, 2);
      await vi.runAllTimersAsync();
      await done;
      expect(applied).toHaveLength(rec.batches.length);
      rec.batches.forEach((b, i) => expect(applied[i]).toBeGreaterThanOrEqual(Math.floor(b.t / 2) - 1));
    } finally {
      vi.useRealTimers();
    }
    expect(stores.current().status).toBe('completed');
  });

  it.each([
    ['', 'empty'],
    ['{"format":"other"}', 'not a Tabgraph recording header'],
    ['not json', 'Line 1 is not a JSON object'],
    [
      '{"format":"tabgraph-recording","version":1,"runId":"r","graph":"demo","streamModes":["values"],"subgraphs":false}\n{"t":0,"events":[{"type":"bogus","seq":1,"ts":1,"runId":"r"}]}',
      'Line 2: unknown event type "bogus"',
    ],
    [
      '{"format":"tabgraph-recording","version":1,"runId":"r","graph":"demo","streamModes":["values"],"subgraphs":false}\n{"t":0,"events":[{"type":"run.completed","seq":1,"ts":1,"runId":"other"}]}',
      'another run',
    ],
    [
      '{"format":"tabgraph-recording","version":2,"runId":"r","graph":"demo","streamModes":["values"],"subgraphs":false}',
      'unsupported recording version',
    ],
  ])('a corrupt file (%#) is refused with a reason and changes nothing', (text, reason) => {
    const stores = createSessionStores();
    const before = stores.current();
    expect(() => parseNdjson(text)).toThrow(reason);
    expect(stores.current()).toBe(before);
  });

  it('a truncated export is refused', async () => {
    const { rec } = await recordDemoRun();
    const file = toNdjson(rec);
    expect(() => parseNdjson(file.slice(0, Math.floor(file.length / 2)))).toThrow(/Line \d+|truncated/);
  });
});
