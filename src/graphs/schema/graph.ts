/**
 * The schema design agent:
 * analyze -> design -> apply -> validate (subgraph: generate_ddl -> run_ddl) -> summarize,
 * looping back from apply or validate to design with the error, at most `maxAttempts` times.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { END, MemorySaver, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph/web';
import { currentEngine } from '../../llm/engine';
import type { GraphContext, GraphMeta } from '../types';
import { sharedDdlValidator, type DdlValidator } from './pglite/pglite';
import { instrumentNode } from './events';
import { SchemaInput, parseSchemaInput } from './input';
import { analyzeNode, applyNode, designNode, summarizeNode } from './nodes';
import { SchemaState, type SchemaStateType } from './state';
import { buildValidateGraph } from './validate';

/** Top-level node names, in the order a successful run visits them. */
export const SCHEMA_NODE_NAMES = ['analyze', 'design', 'apply', 'validate', 'summarize'] as const;
export type SchemaNodeName = (typeof SCHEMA_NODE_NAMES)[number];

/** Design attempts before the run gives up. */
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface SchemaGraphOptions {
  /** Where the nodes get their engine; by default the host's ({@link currentEngine}). */
  context?: GraphContext;
  /** Defaults to the worker-wide PGlite validator. */
  validator?: DdlValidator;
  maxAttempts?: number;
  /**
   * Needed for getState/updateState and interrupts; runs must then pass `configurable.thread_id`.
   * Defaults to an in-memory saver; pass `false` for none.
   */
  checkpointer?: BaseCheckpointSaver | false;
}

/** Builds and compiles the schema design graph. */
export function buildSchemaGraph(options: SchemaGraphOptions = {}) {
  const ctx = options.context ?? { engine: currentEngine };
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const validateGraph = buildValidateGraph(options.validator ?? sharedDdlValidator());

  // Called from a node (not added as the node itself) so that `validate` is instrumented like
  // every other node; passing the node's config keeps the subgraph's namespace and callbacks.
  const validate = async (state: SchemaStateType, config: RunnableConfig) => {
    const out = await validateGraph.invoke({ schema: state.schema }, config);
    return { ddl: out.ddl, validation: out.validation, lastError: out.lastError };
  };

  /** After a failed step: another design attempt while any are left, else the (failing) summary. */
  const retryOr = (next: SchemaNodeName) => (state: SchemaStateType) =>
    state.lastError === null ? next : state.attempts < maxAttempts ? 'design' : 'summarize';

  const checkpointer = options.checkpointer === false ? undefined : (options.checkpointer ?? new MemorySaver());
  return new StateGraph(SchemaState, { input: SchemaInput })
    .addNode('analyze', instrumentNode('analyze', analyzeNode(ctx)))
    .addNode('design', instrumentNode('design', designNode(ctx, maxAttempts)))
    .addNode('apply', instrumentNode('apply', applyNode))
    .addNode('validate', instrumentNode('validate', validate), { subgraphs: [validateGraph] })
    .addNode('summarize', instrumentNode('summarize', summarizeNode))
    .addEdge(START, 'analyze')
    .addEdge('analyze', 'design')
    .addEdge('design', 'apply')
    .addConditionalEdges('apply', retryOr('validate'), ['validate', 'design', 'summarize'])
    .addConditionalEdges('validate', retryOr('summarize'), ['summarize', 'design'])
    .addEdge('summarize', END)
    .compile({ checkpointer, name: 'schema' });
}

/** The graph `langgraph.json` names: no checkpointer of its own, its host attaches one. */
export const graph = buildSchemaGraph({ checkpointer: false });

/** What Tabgraph shows about this graph. */
export const tabgraph: GraphMeta = {
  title: 'Schema designer',
  description:
    'Designs a PostgreSQL schema from your requirements: the model proposes JSON Patch operations, a tool applies them, and PGlite validates the DDL.',
  example: { requirements: 'a blog with users, posts and comments' },
  breakpoints: [{ label: 'Ask before applying schema changes', before: ['apply'] }],
  // The limit follows the model in use (its context window), so it is checked when a run starts.
  prepareInput: (input) => parseSchemaInput(input, currentEngine()),
};
