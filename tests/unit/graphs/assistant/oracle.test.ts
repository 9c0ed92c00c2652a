/**
 * The oracle for the assistant: what reaches the page's client over the protocol equals what
 * LangGraph yields in-process for the same graph, input and engine (every mode, subgraphs on).
 */
import { MemorySaver } from '@langchain/langgraph-checkpoint';
import { beforeAll, describe, expect, it } from 'vitest';
import { DemoEngine } from '../../../../src/engines/demo';
import { graph } from '../../../../src/graphs/assistant/graph';
import { sharedDdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { ENGINE_CONFIG_KEY } from '../../../../src/llm/engine';
import { STREAM_MODES, type WorkerEvent } from '../../../../src/protocol';
import { graphEntry } from '../../../../src/worker/registry';
import { normalizeChunk } from '../../../../src/worker/relay';
import { PacingHandler } from '../../../support/pacing';
import { fixedEngineManager } from '../../../support/engines';
import { ended, harnessPerTest, scrub } from '../../../support/harness';

const assistantEntry = graphEntry('assistant', () => import('../../../../src/graphs/assistant/graph'));

beforeAll(() => sharedDdlValidator().validate([]), 120_000);

const openHarness = harnessPerTest();

async function overProtocol(question: string, checkpointer?: MemorySaver) {
  const h = openHarness({
    graphs: [assistantEntry],
    engines: fixedEngineManager(new DemoEngine({ tokensPerSecond: 0 })),
    ...(checkpointer ? { checkpointer } : {}),
  });
  const modes = [...STREAM_MODES];
  const runId = h.client.run({ graph: 'assistant', input: { question }, streamModes: modes, subgraphs: true });
  h.stores.begin(runId, 'assistant', modes, true);
  const end = await h.waitFor(ended(runId), 60_000);
  return { end, events: h.events.filter((e) => e.runId === runId), stores: h.stores };
}

/**
 * The same run in-process, with a handler that paces the nodes that dispatch events (one
 * macrotask each, as the relay's fallback does): LangGraph's messages handler gives a tool's
 * message its id only after the `tools` event carrying that message was yielded (one object,
 * changed later). Without the same pacing the reference would read the message later, id
 * included.
 */
async function inProcess(question: string, checkpointer?: MemorySaver) {
  const out: unknown[] = [];
  const relay = new PacingHandler();
  // With a checkpointer, the way the worker runs it: a copy of the graph that keeps threads.
  const g = checkpointer ? Object.assign(graph.withConfig({}), { checkpointer }) : graph;
  const stream = await g.stream({ question }, {
    streamMode: [...STREAM_MODES],
    subgraphs: true,
    callbacks: [relay],
    configurable: {
      [ENGINE_CONFIG_KEY]: new DemoEngine({ tokensPerSecond: 0 }),
      ...(checkpointer ? { thread_id: `run-${crypto.randomUUID()}` } : {}),
    },
  } as never);
  for await (const raw of stream) out.push(normalizeChunk(raw, true));
  relay.close();
  return out;
}

const streamed = (events: WorkerEvent[]) =>
  events
    .filter((e) => e.type === 'stream')
    .map((e) => (e.type === 'stream' ? { mode: e.mode, ns: e.ns, chunk: e.chunk } : null));

describe('the assistant over the protocol', () => {
  for (const question of ['What is 12 * (3 + 4)?', 'Describe the posts table']) {
    it(`oracle: every mode, with subgraphs, equals LangGraph in-process (${question})`, async () => {
      const { end, events } = await overProtocol(question);
      expect(end.type).toBe('run.completed');
      const relayed = streamed(events);
      expect(relayed.some((c) => c?.mode === 'tools')).toBe(true);
      expect(relayed.some((c) => c?.mode === 'messages')).toBe(true);
      expect(scrub(relayed)).toEqual(scrub(await inProcess(question)));
    });
  }

  it('oracle with a checkpointer: checkpoints and tools chunks are there, and equal LangGraph in-process', async () => {
    const question = 'What is 12 * (3 + 4)?';
    const { end, events } = await overProtocol(question, new MemorySaver());
    expect(end.type).toBe('run.completed');
    const relayed = streamed(events);
    const count = (mode: string) => relayed.filter((c) => c?.mode === mode).length;
    // A step of the outer graph and of the agent subgraph saves a checkpoint each; two tools ran.
    expect(count('checkpoints')).toBeGreaterThan(4);
    expect(count('tools')).toBe(4);
    expect(scrub(relayed)).toEqual(scrub(await inProcess(question, new MemorySaver())));
  });

  it("the page's stores get the model's tokens and the tools' seed events", async () => {
    const { events, stores } = await overProtocol('What is 12 * (3 + 4)?');
    const custom = events.filter((e) => e.type === 'custom');
    const tools = custom
      .filter((e) => e.type === 'custom' && e.name.startsWith('tool_'))
      .map((e) => (e.type === 'custom' ? [e.name, e.node, (e.data as { toolName: string }).toolName] : null));
    expect(tools).toEqual([
      ['tool_start', 'tools', 'calculator'],
      ['tool_success', 'tools', 'calculator'],
      ['tool_start', 'tools', 'calculator'],
      ['tool_success', 'tools', 'calculator'],
    ]);
    const run = stores.current();
    expect(run.status).toBe('completed');
    // One token stream per model call, under the node that made it, holding the model's raw JSON.
    expect(run.tokens.map((t) => [t.agentName, t.node])).toEqual([
      ['assistant', 'agent'],
      ['assistant', 'agent'],
      ['assistant', 'agent'],
    ]);
    expect(JSON.parse(run.tokens[0].content)).toEqual({
      tool_calls: [{ name: 'calculator', args: { operation: 'add', a: 3, b: 4 } }],
    });
    expect(JSON.parse(run.tokens[2].content).content).toContain('= 84');
    expect(run.tools.map((t) => [t.toolName, t.status])).toEqual([
      ['calculator', 'success'],
      ['calculator', 'success'],
    ]);
  });
});
