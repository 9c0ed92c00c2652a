/**
 * A tool-using agent written the standard LangGraph way, on the in-tab LLM: LangGraph's prebuilt
 * ReAct agent (a model node and a `ToolNode` in a loop) over {@link EngineChatModel}, with a
 * calculator and tools that read a PostgreSQL schema in PGlite. An outer graph turns the form's
 * question into the conversation's next human message, so the page can draw a simple form.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { Annotation, END, START, StateGraph, messagesStateReducer } from '@langchain/langgraph/web';
import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import { z } from 'zod';
import { EngineChatModel } from '../../llm/chatModel';
import { requireText } from '../input';
import type { GraphMeta } from '../types';
import { respondAsAssistant } from './demo/respond';
import { ASSISTANT_PROMPT } from './prompts';
import { calculator } from './tools/calculator';
import type { SchemaDatabase } from './tools/database';
import { createSchemaTools } from './tools/schemaTools';

/** The assistant's input: a question, and optionally the database to ask about. */
export const AssistantInput = z.object({
  question: z
    .string()
    .min(1, 'Ask a question.')
    .max(2000)
    .describe('Arithmetic ("What is 12 * (3 + 4)?") or a question about the database ("Which tables are there?").'),
  database: z
    .string()
    .max(50_000)
    .optional()
    .describe('The database, as PostgreSQL DDL (e.g. what the schema agent designed). Empty: a sample blog.'),
});

const messages = () => Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] });
const database = () => Annotation<string>({ reducer: (_, next) => next, default: () => '' });

/** The agent's state: the conversation, and the DDL its schema tools read (`runtime.state`). */
const AgentState = Annotation.Root({ messages: messages(), database: database() });

const AssistantState = Annotation.Root({
  question: Annotation<string>({ reducer: (_, next) => next, default: () => '' }),
  messages: messages(),
  database: database(),
});

export interface AssistantOptions {
  /** The chat model; by default the host's engine through {@link EngineChatModel}. */
  model?: BaseChatModel;
  /** Where the schema tools run their queries (tests pass their own). */
  database?: SchemaDatabase;
  checkpointer?: BaseCheckpointSaver;
}

/** The model the assistant uses by default: the run's engine, scripted on the demo engine. */
export function assistantModel(): EngineChatModel {
  return new EngineChatModel({ demo: respondAsAssistant, agentName: 'assistant', maxTokens: 512 });
}

/** Builds the assistant: `ask` (question to message), then `agent` (the ReAct loop, a subgraph). */
export function buildAssistantGraph(options: AssistantOptions = {}) {
  const agent = createReactAgent({
    llm: options.model ?? assistantModel(),
    tools: [calculator, ...createSchemaTools(options.database)],
    prompt: ASSISTANT_PROMPT,
    stateSchema: AgentState,
  });
  return new StateGraph(AssistantState, { input: AssistantInput })
    .addNode('ask', (state: typeof AssistantState.State) => ({ messages: [new HumanMessage(state.question)] }))
    .addNode('agent', agent)
    .addEdge(START, 'ask')
    .addEdge('ask', 'agent')
    .addEdge('agent', END)
    .compile({ checkpointer: options.checkpointer });
}

/** The graph `langgraph.json` names: no checkpointer of its own, its host attaches one. */
export const graph = buildAssistantGraph();

/** What Tabgraph shows about this graph. */
export const tabgraph: GraphMeta = {
  title: 'Assistant: tools on the in-tab LLM',
  description:
    'A LangGraph ReAct agent on the in-tab model: it calls a calculator and reads a PostgreSQL schema in PGlite ' +
    '(list tables, describe a table, run a read-only query). Follow-up questions continue the thread.',
  example: { question: 'What is 12 * (3 + 4)?' },
  prepareInput: requireText('question', 'Ask the assistant a question.'),
};
