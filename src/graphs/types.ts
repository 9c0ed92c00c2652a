import type { RunnableConfig } from '@langchain/core/runnables';
import type { BaseCheckpointSaver } from '@langchain/langgraph/web';
import type { GraphId } from '../protocol';
import type { ChatEngine } from '../engines/types';

/** What a graph's nodes may use from the worker. */
export interface GraphContext {
  /** The engine selected now; looked up on every call so a newly loaded model is used. */
  engine(): ChatEngine;
}

/** The part of a compiled LangGraph graph that the host uses. */
export interface RunnableGraph {
  stream(input: unknown, options: Partial<RunnableConfig> & Record<string, unknown>): Promise<AsyncIterable<unknown>>;
  getGraphAsync(config?: RunnableConfig): Promise<{
    nodes: Record<string, { id: string; name?: string; data?: unknown }>;
    edges: { source: string; target: string; conditional?: boolean }[];
  }>;
  getState(config: RunnableConfig): Promise<{ values: unknown; next: string[] }>;
  updateState(config: RunnableConfig, values: Record<string, unknown>, asNode?: string): Promise<RunnableConfig>;
}

/** A graph the worker can run: how to build it and how to check its input. */
export interface GraphDefinition {
  id: GraphId;
  /** Builds the compiled graph; called once per worker and cached. The checkpointer, when given, enables threads. */
  build(ctx: GraphContext, checkpointer?: BaseCheckpointSaver): RunnableGraph;
  /** Checks and normalises the run input; throws an Error named `InputError` with a clear message. */
  parseInput(input: unknown): Record<string, unknown>;
}
