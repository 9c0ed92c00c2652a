import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch/web';
import type { RunnableConfig } from '@langchain/core/runnables';
import { Annotation, END, START, StateGraph, messagesStateReducer } from '@langchain/langgraph/web';
import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import { z } from 'zod';
import { currentEngine } from '../../llm/engine';
import { requireText } from '../input';
import { streamLLMResponse } from '../../llm/streamLLMResponse';
import type { GraphContext, GraphMeta } from '../types';

/** The demo graph's input: a topic to write about. */
export const DemoInput = z.object({
  topic: z.string().min(1, 'Name a topic to write about.').describe('What to write about.'),
});

const DemoState = Annotation.Root({
  topic: Annotation<string>(),
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  notes: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});
type DemoStateT = typeof DemoState.State;

/** Node names of the demo graph, in execution order. */
export const DEMO_NODES = ['plan', 'write', 'review'] as const;

/**
 * A small built-in graph that exercises every stream: state updates, LLM tokens through the
 * engine, `config.writer` chunks, custom events, and a subgraph (`review`) for namespaces.
 */
export function buildDemoGraph(ctx: GraphContext = { engine: currentEngine }, checkpointer?: BaseCheckpointSaver) {
  const review = new StateGraph(DemoState)
    .addNode('check', async (state: DemoStateT, config: RunnableConfig) => {
      await dispatchCustomEvent(
        'progress_update',
        { step: 'review', progress: 0.5, message: 'Checking the answer' },
        config,
      );
      const last = state.messages.at(-1);
      const words = typeof last?.content === 'string' ? last.content.split(/\s+/).filter(Boolean).length : 0;
      (config as { writer?: (c: unknown) => void }).writer?.({ reviewed: true, words });
      await dispatchCustomEvent('step_complete', { step: 'review', result: `${words} words` }, config);
      return { notes: [`reviewed ${words} words`] };
    })
    .addEdge(START, 'check')
    .addEdge('check', END)
    .compile();

  return new StateGraph(DemoState, { input: DemoInput })
    .addNode('plan', async (state: DemoStateT, config: RunnableConfig) => {
      await dispatchCustomEvent('progress_update', { step: 'plan', progress: 0, message: 'Planning' }, config);
      (config as { writer?: (c: unknown) => void }).writer?.({ planned: state.topic });
      await dispatchCustomEvent('step_complete', { step: 'plan', result: 'planned' }, config);
      return {
        notes: [`plan for ${state.topic}`],
        messages: [new HumanMessage({ content: state.topic, id: 'demo-user' })],
      };
    })
    .addNode('write', async (state: DemoStateT, config: RunnableConfig) => {
      const result = await streamLLMResponse(
        ctx.engine(config),
        {
          messages: [
            { role: 'system', content: 'You are a helpful assistant. Answer briefly.' },
            { role: 'user', content: state.topic },
          ],
          signal: config.signal,
        },
        { agentName: 'writer', config },
      );
      return { messages: [new AIMessage({ content: result.content, id: result.id })] };
    })
    .addNode('review', review)
    .addEdge(START, 'plan')
    .addEdge('plan', 'write')
    .addEdge('write', 'review')
    .addEdge('review', END)
    .compile({ checkpointer });
}

/** The graph `langgraph.json` names: no checkpointer of its own, its host attaches one. */
export const graph = buildDemoGraph();

/** What Tabgraph shows about this graph. */
export const tabgraph: GraphMeta = {
  title: 'Demo: plan, write, review',
  description:
    'A small graph that exercises every stream: state, LLM tokens, writer chunks, custom events and a subgraph.',
  example: { topic: 'streaming in LangGraph' },
  prepareInput: requireText('topic', 'The demo graph needs a non-empty topic.'),
};
