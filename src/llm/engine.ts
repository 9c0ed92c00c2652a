/**
 * The engine graph code calls. Graph modules are written once and run wherever LangGraph runs
 * them (this tab's worker, a LangGraph server), so they never hold an engine of their own: they
 * ask {@link currentEngine} at each call, and whoever hosts them says which engine that is.
 */
import { DemoEngine } from '../engines/demo';
import { engineFromEnv } from '../engines/openai';
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

/**
 * The engine to call now: the run's (from `config`), the host's choice, or else, where nothing
 * hosts the graph with an engine of its own (the LangGraph server), the OpenAI-compatible endpoint
 * the environment names (`TABGRAPH_LLM_BASE_URL`, `TABGRAPH_LLM_MODEL`), or the demo engine.
 */
export function currentEngine(config?: { configurable?: Record<string, unknown> }): ChatEngine {
  const own = config?.configurable?.[ENGINE_CONFIG_KEY];
  if (isEngine(own)) return own;
  if (provider) return provider();
  return (fallback ??= fallbackEngine(environment()));
}

/** The process environment where there is one (Node, the server); a browser has none. */
function environment(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * The engine for graphs nobody hosts with one: an OpenAI-compatible endpoint when `env` names one,
 * else the demo engine, paced by `TABGRAPH_DEMO_TOKENS_PER_SECOND` (0, unthrottled, by default).
 */
export function fallbackEngine(env: Record<string, string | undefined>): ChatEngine {
  const endpoint = engineFromEnv(env);
  if (endpoint) return endpoint;
  const tps = Number(env.TABGRAPH_DEMO_TOKENS_PER_SECOND ?? 0);
  return new DemoEngine({ tokensPerSecond: Number.isFinite(tps) && tps >= 0 ? tps : 0 });
}
