import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/client';
import type { WorkerEvent } from '../../src/protocol';
import { demoEntry } from '../support/graphs';
import { fixedEngineManager, ScriptedEngine } from '../support/engines';
import { ended, harnessPerTest } from '../support/harness';
import { mulberry32 } from '../support/random';
import { casesTried } from '../support/tally';

const { tally } = casesTried('fuzz');
const openHarness = harnessPerTest();

const TYPES = [
  'run',
  'resume',
  'cancel',
  'describe',
  'engine.select',
  'engine.list',
  'ping',
  'bench.baseline',
  'nope',
  7,
  null,
];
const VALUES: unknown[] = [
  undefined,
  null,
  0,
  -1,
  NaN,
  '',
  'x',
  'values',
  ['values'],
  ['bogus'],
  [],
  {},
  { kind: 'demo' },
  { kind: 'webllm', modelBaseUrl: 'javascript:alert(1)' },
  true,
  'x'.repeat(1_000_000),
];

function randomCommand(rand: () => number): Record<string, unknown> {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const msg: Record<string, unknown> = { type: pick(TYPES) };
  for (const key of ['runId', 'requestId', 'graph', 'input', 'streamModes', 'subgraphs', 'selection', 'threadId']) {
    if (rand() < 0.6) msg[key] = pick(VALUES);
  }
  return msg;
}

describe('fuzzed protocol messages', () => {
  it('page -> worker: 300 random commands each get an answer or are ignored safely, and the host keeps working', async () => {
    const h = openHarness({ graphs: [demoEntry], engines: fixedEngineManager(new ScriptedEngine()) });
    const rand = mulberry32(20261124);
    for (let i = 0; i < 300; i++) {
      const msg = randomCommand(rand);
      // A fuzzed command that happens to be a valid run must not leave a run active for the next one.
      if (msg.type === 'run' || msg.type === 'resume') msg.runId = `fuzz-${i}`;
      h.client.send(msg as never);
      tally(`command:${String(msg.type)}`);
    }
    h.client.send('not even an object' as never);
    tally('command:string');
    await new Promise((r) => setTimeout(r, 300));
    const errors = h.events.filter((e) => e.type === 'error' || e.type === 'run.rejected');
    expect(errors.length).toBeGreaterThan(200);
    for (const e of errors) if (e.type === 'error') expect(e.error.message.length).toBeGreaterThan(5);
    // Still alive: a ping is answered and a real run completes.
    const pong = await h.client.request({ type: 'ping' });
    expect(pong.type).toBe('ack');
    await h
      .waitFor((e) => e.type === 'run.completed' || e.type === 'run.failed' || e.type === 'run.cancelled', 100)
      .catch(() => null);
    const runId = h.client.run({
      graph: 'demo',
      input: { topic: 'after fuzz' },
      streamModes: ['values'],
      subgraphs: false,
    });
    h.stores.begin(runId, 'demo', ['values'], false);
    const end = await h.waitFor(ended(runId));
    expect(['run.completed', 'run.rejected']).toContain(end.type);
  });

  it('worker -> page: 300 random batches never throw; bad events become error events, good ones pass', async () => {
    const ch = new MessageChannel();
    const client = connect(ch.port2 as never);
    const got: WorkerEvent[] = [];
    client.subscribe((b) => got.push(...b));
    const rand = mulberry32(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    let sent = 0;
    let valid = 0;
    for (let i = 0; i < 300; i++) {
      let good = 0;
      const events = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
        const ok = rand() < 0.3;
        if (ok) good++;
        return ok
          ? { type: 'run.completed', runId: 'r', seq: i + 1, ts: 1 }
          : {
              type: pick(['stream', 'custom', 'run.failed', 'wat', 3]),
              runId: pick(VALUES),
              seq: pick(VALUES),
              ts: 1,
              mode: pick(VALUES),
            };
      });
      sent += events.length;
      if (rand() < 0.1) ch.port1.postMessage(pick(VALUES));
      else {
        valid += good;
        ch.port1.postMessage({ kind: 'batch', events });
      }
      tally('event-batch');
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(got.filter((e) => e.type === 'run.completed')).toHaveLength(valid);
    expect(got.filter((e) => e.type === 'error').length).toBeGreaterThan(0);
    expect(got.length).toBeLessThanOrEqual(sent + 300);
    client.close();
    ch.port1.close();
  });
});
