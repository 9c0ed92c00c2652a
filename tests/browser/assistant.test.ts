/**
 * The assistant graph in the real module Worker (it loads graphs from langgraph.json), on the
 * demo engine: the prebuilt ReAct agent, the chat-model adapter and PGlite in its nested worker.
 */
import { MemorySaver } from '@langchain/langgraph/web';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineManager } from '../../src/engines/manager';
import { buildAssistantGraph } from '../../src/graphs/assistant/graph';
import { ENGINE_CONFIG_KEY } from '../../src/llm/engine';
import { STREAM_MODES } from '../../src/protocol';
import { normalizeChunk } from '../../src/worker/relay';
import { PacingHandler } from '../support/pacing';
import { scrub } from '../support/harness';
import { pageOver, type TestPage } from '../support/page';
import { collect, appWorker, untilEvents } from '../support/workerPage';

/** The app's worker, with a threads database of this file's own. */
const createWorker = appWorker('tabgraph-test-assistant');

/** The assistant's runs (a ReAct agent over PGlite) take longer than the demo graph's. */
const RUN_TIMEOUT_MS = 50_000;

let session: TestPage | null = null;
afterEach(() => {
  session?.dispose();
  session = null;
});

/**
 * LangGraph in the page for the same input: the demo engine unthrottled, a saver (the worker
 * keeps every run as a thread) and a handler that paces the nodes dispatching events, one
 * macrotask each.
 */
async function inPage(question: string) {
  const engines = createEngineManager();
  await engines.select({ kind: 'demo', demo: { tokensPerSecond: 0 } }, () => {});
  const graph = buildAssistantGraph({ checkpointer: new MemorySaver() });
  const relay = new PacingHandler();
  const configurable = { thread_id: `run-${crypto.randomUUID()}`, [ENGINE_CONFIG_KEY]: engines.current() };
  const out: unknown[] = [];
  const stream = await graph.stream({ question }, {
    streamMode: [...STREAM_MODES],
    subgraphs: true,
    callbacks: [relay],
    configurable,
  } as never);
  for await (const raw of stream) out.push(normalizeChunk(raw, true));
  relay.close();
  return out;
}

describe('the assistant in the real module Worker', () => {
  it('is listed by langgraph.json, draws its ReAct subgraph and offers a form', async () => {
    session = pageOver({ createWorker });
    const info = await session.session.describe('assistant');
    expect(info.available).toBe(true);
    expect(info.title).toBe('Assistant: tools on the in-tab LLM');
    const ids = info.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['ask', 'agent:agent', 'agent:tools']));
    const properties = (info.inputSchema as { properties: Record<string, { type: string }> }).properties;
    expect(Object.keys(properties)).toEqual(['question', 'database']);
    expect(properties.question.type).toBe('string');
  });

  it('streams every mode with subgraphs, equal in order to LangGraph in the page; tool calls and answer reach the stores', async () => {
    session = pageOver({ createWorker });
    const events = collect(session);
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    const question = 'What is 12 * (3 + 4)?';
    const runId = session.start({
      graph: 'assistant',
      input: { question },
      streamModes: [...STREAM_MODES],
      subgraphs: true,
    });
    await untilEvents(session, () => session!.stores.current().status !== 'running', RUN_TIMEOUT_MS);
    const run = session.stores.current();
    expect(run.status).toBe('completed');

    const relayed = events
      .filter((e) => e.runId === runId && e.type === 'stream')
      .map((e) => (e.type === 'stream' ? { mode: e.mode, ns: e.ns, chunk: e.chunk } : null));
    const tools = relayed
      .filter((c) => c?.mode === 'tools')
      .map((c) => c!.chunk as { event: string; name: string; input?: string; output?: { content: string } });
    expect(tools.map((t) => [t.event, t.name, t.input ? JSON.parse(t.input) : t.output?.content])).toEqual([
      ['on_tool_start', 'calculator', { operation: 'add', a: 3, b: 4 }],
      ['on_tool_end', 'calculator', '7'],
      ['on_tool_start', 'calculator', { operation: 'multiply', a: 12, b: 7 }],
      ['on_tool_end', 'calculator', '84'],
    ]);
    const values = run.values as { messages: { content: string }[] };
    expect(values.messages.at(-1)!.content).toBe('12 × (3 + 4) = 84. Step by step: 3 + 4 = 7; 12 × 7 = 84.');
    expect(run.tools.map((t) => [t.toolName, t.status])).toEqual([
      ['calculator', 'success'],
      ['calculator', 'success'],
    ]);

    expect(scrub(relayed)).toEqual(scrub(await inPage(question)));
  });

  it('answers a database question with PGlite in its nested worker', async () => {
    session = pageOver({ createWorker });
    const events = collect(session);
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    const runId = session.start({
      graph: 'assistant',
      input: { question: 'Describe the comments table' },
      // The tools run inside the agent subgraph: their events need subgraphs on.
      streamModes: ['tools', 'values'],
      subgraphs: true,
    });
    await untilEvents(session, () => session!.stores.current().status !== 'running', RUN_TIMEOUT_MS);
    expect(session.stores.current().status).toBe('completed');
    const tools = events
      .filter((e) => e.runId === runId && e.type === 'stream' && e.mode === 'tools')
      .map((e) => (e.type === 'stream' ? (e.chunk as { event: string; name: string }) : null))
      .filter((t) => t?.event === 'on_tool_end')
      .map((t) => t!.name);
    expect(tools).toEqual(['list_tables', 'describe_table']);
    const values = session.stores.current().values as { messages: { content: string }[] };
    expect(values.messages.at(-1)!.content).toBe(
      'comments has 5 columns: id integer (identity), post_id integer not null, author_id integer not null, ' +
        'body text not null, created_at timestamp with time zone not null. Constraints: PRIMARY KEY (id); ' +
        'FOREIGN KEY (author_id) REFERENCES users(id); FOREIGN KEY (post_id) REFERENCES posts(id) ON DELETE CASCADE.',
    );
  });

  it('cancels a run mid-answer, and runs again', async () => {
    session = pageOver({ createWorker });
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 100 } });
    session.start({ graph: 'assistant', input: { question: 'Hello?' }, streamModes: ['messages'], subgraphs: true });
    await untilEvents(session, () => session!.stores.current().stats.tokens > 3, RUN_TIMEOUT_MS);
    session.stop();
    await untilEvents(session, () => session!.stores.current().status !== 'running', RUN_TIMEOUT_MS);
    expect(session.stores.current().status).toBe('cancelled');
    await session.selectEngine({ kind: 'demo', demo: { tokensPerSecond: 0 } });
    session.start({
      graph: 'assistant',
      input: { question: 'What is 2 + 2?' },
      streamModes: ['values'],
      subgraphs: false,
    });
    await untilEvents(session, () => session!.stores.current().status !== 'running', RUN_TIMEOUT_MS);
    expect(session.stores.current().status).toBe('completed');
    const values = session.stores.current().values as { messages: { content: string }[] };
    expect(values.messages.at(-1)!.content).toBe('2 + 2 = 4.');
  });
});
