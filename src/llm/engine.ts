/**
 * The engine graph code calls. Graph modules are written once and run wherever LangGraph runs
 * them (this tab's worker, a LangGraph server), so they never hold an engine of their own: they
 * ask {@link currentEngine} at each call, and whoever hosts them says which engine that is.
 */
import { DemoEngine } from '../engines/demo';
import type { ChatEngine } from '../engines/types';

type Provider = () => ChatEngine;

/**
 * Where a host puts the engine of one run: `config.configurable[ENGINE_CONFIG_KEY]`. Nodes that
 * pass their config to {@link currentEngine} get that run's engine even when several hosts share
 * a process (tests); `__` keys stay out of LangGraph's checkpoint metadata.
 */
export const ENGINE_CONFIG_KEY = '__tabgraph_engine';

const isEngine = (v: unknown): v is ChatEngine =>
  typeof v === 'object' && v !== null && typeof (v as ChatEngine).stream === 'function';

let provider: Provider | null = null;
let fallback: ChatEngine | null = null;

/**
 * Sets what {@link currentEngine} returns (the worker: its engine manager's current engine).
 * Returns a function that restores the previous provider.
 */
export function setEngineProvider(next: Provider | null): () => void {
  const previous = provider;
  provider = next;
  return () => {
    provider = previous;
  };
}

/** The engine to call now: the run's (from `config`), the host's choice, or else the demo engine. */
export function currentEngine(config?: { configurable?: Record<string, unknown> }): ChatEngine {
  const own = config?.configurable?.[ENGINE_CONFIG_KEY];
  if (isEngine(own)) return own;
  if (provider) return provider();
  return (fallback ??= new DemoEngine({ tokensPerSecond: 0 }));
}
