/// <reference lib="webworker" />
/**
 * The worker's entry point: serves the protocol on the worker's global scope, with the graphs of
 * `langgraph.json`. Heavy parts (graph modules, WebLLM, PGlite) load lazily, when first needed.
 */
import { GRAPH_ENTRIES } from 'virtual:tabgraph/graphs';
import type { Endpoint } from '../protocol';
import { createEngineManager } from '../engines/manager';
import { serve, type Host } from './host';
import { createCheckpointer } from './persistence';
import { createThreadBook } from './threads';

const checkpointer = createCheckpointer();

// Deleting the model a run is using is refused while the run goes on.
const host: Host = serve(self as unknown as Endpoint, {
  graphs: GRAPH_ENTRIES,
  engines: createEngineManager({ runActive: () => host.running() }),
  checkpointer,
  threads: globalThis.indexedDB ? createThreadBook(checkpointer) : undefined,
  persistent: Boolean(globalThis.indexedDB),
});
