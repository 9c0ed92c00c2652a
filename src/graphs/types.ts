/**
 * What graph modules and the worker agree on. A graph module (named in `langgraph.json`) exports
 * its graph, a compiled graph or a function returning one given a config, as the LangGraph CLI
 * accepts, and may export `tabgraph`, a {@link GraphMeta} that tells Tabgraph more about it.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import type { ChatEngine } from '../engines/types';
import type { BreakpointPreset } from '../protocol';

/** What a graph's nodes may use from their host. */
export interface GraphContext {
  /** The engine to call now, for the node whose config is given; looked up on every call. */
  engine(config?: RunnableConfig): ChatEngine;
}

/** What a graph module may say about itself, in an export named `tabgraph`. All optional. */
export interface GraphMeta {
  title?: string;
  description?: string;
  /** An input that runs; the page starts its form or JSON editor from it. */
  example?: Record<string, unknown>;
  /** Breakpoint sets the page offers as switches. */
  breakpoints?: BreakpointPreset[];
  /**
   * Checks beyond the input schema, after it: returns the input to run, or throws an Error
   * named `InputError` whose message says what to change.
   */
  prepareInput?(input: Record<string, unknown>): Record<string, unknown>;
}

/** One node of a graph as `getGraphAsync` draws it. */
export interface DrawableNode {
  id: string;
  name?: string;
  data?: unknown;
}

/** The part of a compiled LangGraph graph that the worker uses. */
export interface RunnableGraph {
  stream(input: unknown, options: Partial<RunnableConfig> & Record<string, unknown>): Promise<AsyncIterable<unknown>>;
  getGraphAsync(config?: RunnableConfig): Promise<{
    nodes: Record<string, DrawableNode>;
    edges: { source: string; target: string; conditional?: boolean; data?: unknown }[];
  }>;
  getState(config: RunnableConfig): Promise<{ values: unknown; next: string[] }>;
  updateState(config: RunnableConfig, values: Record<string, unknown>, asNode?: string): Promise<RunnableConfig>;
  /** The saver the host attaches, as the LangGraph server does. */
  checkpointer?: unknown;
  /** A copy with more config (a copy is what gets the host's checkpointer, not the module's graph). */
  withConfig?(config: RunnableConfig): RunnableGraph;
  interruptBefore?: string[] | 'all';
  interruptAfter?: string[] | 'all';
}

/** True for an object that can be run and drawn like a compiled LangGraph graph. */
export function isRunnableGraph(value: unknown): value is RunnableGraph {
  const g = value as Partial<RunnableGraph> | null;
  return (
    typeof g === 'object' &&
    g !== null &&
    typeof g.stream === 'function' &&
    typeof g.getGraphAsync === 'function' &&
    typeof g.getState === 'function'
  );
}
