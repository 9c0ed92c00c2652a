import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { StreamMode } from '../protocol';
import type { RunnableGraph } from '../graphs/types';

/** Counts custom events as LangGraph delivers them, doing nothing else. */
class CountingHandler extends BaseCallbackHandler {
  name = 'tabgraph_bench_counter';
  override awaitHandlers = true;
  tokens = 0;
  events = 0;
  override handleCustomEvent(eventName: string): void {
    this.events += 1;
    if (eventName === 'custom_token') this.tokens += 1;
  }
}

/**
 * Runs a graph with the same modes as a relayed run but with no relay at all: no ordering,
 * no plain-data conversion, nothing posted. This is what LangGraph itself sustains in the worker,
 * the limit the relay ratio is measured against.
 */
export async function measureBaseline(
  graph: RunnableGraph,
  input: Record<string, unknown>,
  streamModes: StreamMode[],
  subgraphs: boolean,
): Promise<{ tokens: number; events: number; ms: number }> {
  const counter = new CountingHandler();
  let chunks = 0;
  const t0 = performance.now();
  const stream = await graph.stream(input, {
    streamMode: streamModes,
    subgraphs,
    callbacks: [counter],
    // A graph compiled with the worker's checkpointer needs a thread; a throwaway one.
    configurable: { thread_id: `bench-${crypto.randomUUID()}` },
    recursionLimit: 50,
  } as Partial<RunnableConfig>);
  for await (const _ of stream) chunks += 1;
  return { tokens: counter.tokens, events: counter.events + chunks, ms: performance.now() - t0 };
}
