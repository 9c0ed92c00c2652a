import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { HumanMessage } from '@langchain/core/messages';
import { Annotation, END, START, StateGraph, messagesStateReducer } from '@langchain/langgraph/web';
import type { BaseMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { namedError } from '../../../../src/shared/errors';
import { instrumentNode } from '../../../../src/graphs/schema/events';

const State = Annotation.Root({
  n: Annotation<number>(),
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
});

/** Runs a one-node graph whose node is `fn` behind instrumentNode; returns the events and the outcome. */
async function runNode(fn: (s: typeof State.State) => Promise<Partial<typeof State.State>>) {
  const events: { name: string; data: Record<string, unknown> }[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleCustomEvent: (name, data) => void events.push({ name, data }),
  });
  const graph = new StateGraph(State)
    .addNode('work', instrumentNode('work', fn))
    .addEdge(START, 'work')
    .addEdge('work', END)
    .compile();
  const outcome = await graph.invoke({ n: 1, messages: [new HumanMessage('hi')] }, { callbacks: [handler] }).then(
    () => 'ok',
    (err: Error) => err.message,
  );
  return { events, outcome };
}

describe('instrumentNode', () => {
  it('wraps a node in node_start and node_complete with plain, compact payloads', async () => {
    const { events, outcome } = await runNode(async (s) => ({ n: s.n + 1 }));
    expect(outcome).toBe('ok');
    expect(events.map((e) => e.name)).toEqual(['node_start', 'node_complete']);
    expect(events[0].data).toMatchObject({ node: 'work', input: { n: 1, messages: { count: 1 } } });
    expect(events[1].data).toMatchObject({ node: 'work', output: { n: 2 } });
  });

  it('dispatches execution_error with the stack and rethrows', async () => {
    const { events, outcome } = await runNode(async () => {
      throw new Error('boom');
    });
    expect(outcome).toBe('boom');
    expect(events.map((e) => e.name)).toEqual(['node_start', 'execution_error']);
    expect(events[1].data).toMatchObject({ context: 'work', error: 'boom', stack: expect.stringContaining('boom') });
    expect(new Date(events[1].data.timestamp as string).toISOString()).toBe(events[1].data.timestamp);
  });

  it('does not report a cancellation as an error', async () => {
    const { events, outcome } = await runNode(async () => {
      throw namedError('AbortError', 'cancelled');
    });
    expect(outcome).toBe('cancelled');
    expect(events.map((e) => e.name)).toEqual(['node_start']);
  });
});
