import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import type { StreamMode } from '../../src/protocol';
import { STREAM_MODES } from '../../src/protocol';
import { demoEntry } from '../support/graphs';
import { buildDemoGraph } from '../../src/graphs/demo/graph';
import { normalizeChunk } from '../../src/worker/relay';
import { fixedEngineManager, ScriptedEngine } from '../support/engines';
import { ended, harnessPerTest, scrub, type Harness } from '../support/harness';

const ANSWER = 'Tabgraph streams every token of this answer.';
const openHarness = harnessPerTest();

function start(engine = new ScriptedEngine(() => ANSWER)) {
  return openHarness({ graphs: [demoEntry], engines: fixedEngineManager(engine) });
}

async function runDemo(hh: Harness, streamModes: StreamMode[], subgraphs: boolean) {
  const runId = hh.client.run({ graph: 'demo', input: { topic: 'streaming' }, streamModes, subgraphs });
  hh.stores.begin(runId, 'demo', streamModes, subgraphs);
  const end = await hh.waitFor(ended(runId));
  return { runId, end, events: hh.events.filter((e) => e.runId === runId) };
}

/** What LangGraph itself yields for the same graph and input, normalized the way the relay does. */
async function inProcess(streamModes: StreamMode[], subgraphs: boolean) {
  const graph = buildDemoGraph({ engine: () => new ScriptedEngine(() => ANSWER) });
  const out: unknown[] = [];
  for await (const raw of await graph.stream(
    { topic: 'streaming' },
    {
      streamMode: streamModes,
      subgraphs,
    },
  ))
    out.push(normalizeChunk(raw, subgraphs));
  return out;
}

describe('spine: host and client over a MessageChannel', () => {
  it('runs the demo graph: started first, completed last, seq strictly increasing, batched', async () => {
    const hh = start();
    const { runId, end, events } = await runDemo(hh, ['values', 'updates', 'custom'], true);
    expect(end.type).toBe('run.completed');
    expect(events[0].type).toBe('run.started');
    expect(events.at(-1)?.type).toBe('run.completed');
    const seqs = hh.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(hh.batches).toBeLessThan(hh.events.length);
    const run = hh.stores.current();
    expect(run.status).toBe('completed');
    expect(run.tokens.map((t) => t.content).join('')).toBe(ANSWER);
    expect(Object.keys(run.updatesByNode)).toEqual(expect.arrayContaining(['plan', 'write', 'review']));
    // The engine's usage report reaches the page and the engine store.
    const usage = hh.events.find((e) => e.type === 'engine.usage');
    expect(usage?.type === 'engine.usage' && usage.completionTokens).toBe(ANSWER.split(' ').length);
    // ...carrying the id of the run whose model call it measures.
    expect(usage?.runId).toBe(runId);
    expect(get(hh.stores.engine).usage?.completionTokens).toBe(ANSWER.split(' ').length);
  });

  for (const mode of STREAM_MODES) {
    it(`oracle: mode "${mode}" reaches the client exactly as LangGraph yields it`, async () => {
      const hh = start();
      const { events } = await runDemo(hh, [mode], false);
      const relayed = events
        .filter((e) => e.type === 'stream')
        .map((e) => ({ mode: e.mode, ns: e.ns, chunk: e.chunk }));
      expect(scrub(relayed)).toEqual(scrub(await inProcess([mode], false)));
    });
  }

  it('oracle: every mode at once, with subgraph namespaces', async () => {
    const hh = start();
    const modes = [...STREAM_MODES];
    const { events } = await runDemo(hh, modes, true);
    const relayed = events.filter((e) => e.type === 'stream').map((e) => ({ mode: e.mode, ns: e.ns, chunk: e.chunk }));
    const expected = await inProcess(modes, true);
    expect(scrub(relayed)).toEqual(scrub(expected));
    expect(relayed.some((c) => c.ns.length === 1 && c.ns[0].startsWith('review:'))).toBe(true);
  });

  it('relays dispatchCustomEvent events interleaved with stream chunks in true order', async () => {
    const hh = start();
    const { events } = await runDemo(hh, ['custom', 'updates'], true);
    const seq = events
      .filter((e) => e.type === 'custom' || e.type === 'stream')
      .map((e) => (e.type === 'custom' ? `ev:${e.name}` : `${e.mode}:${Object.keys(e.chunk as object)[0]}`))
      .filter((x) => !x.startsWith('ev:custom_token') && !x.startsWith('ev:token_update'));
    // plan: progress event, writer chunk, step_complete, then its update; review's node does the same inside the subgraph.
    expect(seq.slice(0, 4)).toEqual(['ev:progress_update', 'custom:planned', 'ev:step_complete', 'updates:plan']);
    const reviewStart = seq.indexOf('ev:progress_update', 1);
    expect(seq.slice(reviewStart, reviewStart + 4)).toEqual([
      'ev:progress_update',
      'custom:reviewed',
      'ev:step_complete',
      'updates:check',
    ]);
    const inSub = events.find((e) => e.type === 'custom' && e.name === 'step_complete' && e.ns.length === 1);
    expect(inSub && 'ns' in inSub && inSub.ns[0]).toMatch(/^review:/);
  });

  it('cancel: one cancelled event, nothing after it for that run, and the next run works', async () => {
    const hh = start(new ScriptedEngine(() => 'slow '.repeat(200), 5));
    const runId = hh.client.run({ graph: 'demo', input: { topic: 'x' }, streamModes: ['values'], subgraphs: false });
    hh.stores.begin(runId, 'demo', ['values'], false);
    await hh.waitFor((e) => e.runId === runId && e.type === 'custom' && e.name === 'custom_token');
    hh.client.cancel(runId);
    await hh.waitFor(ended(runId));
    await new Promise((r) => setTimeout(r, 100));
    const mine = hh.events.filter((e) => e.runId === runId);
    expect(mine.filter((e) => e.type === 'run.cancelled')).toHaveLength(1);
    expect(mine.at(-1)?.type).toBe('run.cancelled');
    expect(hh.stores.current().status).toBe('cancelled');
    const second = await runDemo(hh, ['values'], false);
    expect(second.end.type).toBe('run.completed');
  });

  it('a node error gives one failed event with name, message and stack', async () => {
    const broken = new ScriptedEngine(() => {
      throw new TypeError('engine exploded');
    });
    const hh = start(broken);
    const { end, events } = await runDemo(hh, ['values'], false);
    expect(end.type).toBe('run.failed');
    expect(events.filter((e) => e.type === 'run.failed')).toHaveLength(1);
    if (end.type !== 'run.failed') throw new Error('unreachable');
    expect(end.error.name).toBe('TypeError');
    expect(end.error.message).toContain('engine exploded');
    expect(end.error.stack).toContain('engine exploded');
    expect(hh.stores.current().error?.message).toContain('engine exploded');
  });
});

describe('spine: bad input', () => {
  it('an unknown command gets a clear error event', async () => {
    const hh = start();
    hh.client.send({ type: 'launch-missiles' } as never);
    const e = await hh.waitFor((x) => x.type === 'error');
    expect(e.type === 'error' && e.error.message).toContain('unknown command type "launch-missiles"');
  });

  it('a malformed run command is rejected, not left hanging', async () => {
    const hh = start();
    hh.client.send({
      type: 'run',
      runId: 'r-bad',
      graph: 'demo',
      input: {},
      streamModes: ['nope'],
      subgraphs: false,
    } as never);
    const e = await hh.waitFor((x) => x.runId === 'r-bad');
    expect(e.type).toBe('run.rejected');
    expect(e.type === 'run.rejected' && e.error.message).toContain('unknown stream mode "nope"');
  });

  it('a run while another is active is refused with run.rejected', async () => {
    const hh = start(new ScriptedEngine(() => 'slow '.repeat(100), 5));
    const first = hh.client.run({ graph: 'demo', input: { topic: 'a' }, streamModes: ['values'], subgraphs: false });
    await hh.waitFor((e) => e.runId === first && e.type === 'run.started');
    const second = hh.client.run({ graph: 'demo', input: { topic: 'b' }, streamModes: ['values'], subgraphs: false });
    const e = await hh.waitFor((x) => x.runId === second);
    expect(e.type).toBe('run.rejected');
    expect(e.type === 'run.rejected' && e.error.name).toBe('RunActiveError');
    hh.client.cancel(first);
    await hh.waitFor(ended(first));
  });

  it('cancel of an unknown run gets an error event', async () => {
    const hh = start();
    hh.client.cancel('run-nobody');
    const e = await hh.waitFor((x) => x.type === 'error');
    expect(e.type === 'error' && e.error.name).toBe('UnknownRunError');
  });

  it('invalid graph input is rejected before a run starts', async () => {
    const hh = start();
    const runId = hh.client.run({ graph: 'demo', input: { topic: '   ' }, streamModes: ['values'], subgraphs: false });
    const e = await hh.waitFor((x) => x.runId === runId);
    expect(e.type).toBe('run.rejected');
    expect(e.type === 'run.rejected' && e.error.name).toBe('InputError');
  });

  it('a graph that throws on its first step fails cleanly', async () => {
    const hh = start();
    const runId = hh.client.run({ graph: 'schema', input: {}, streamModes: ['values'], subgraphs: false });
    const e = await hh.waitFor((x) => x.runId === runId);
    expect(e.type).toBe('run.rejected');
    expect(e.type === 'run.rejected' && e.error.name).toBe('UnknownGraphError');
  });
});
