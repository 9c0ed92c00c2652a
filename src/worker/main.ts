/// <reference lib="webworker" />
/**
 * The worker's entry point: serves the protocol on the worker's global scope, with the graphs of
 * `langgraph.json`. Heavy parts (graph modules, WebLLM, PGlite) load lazily, when first needed.
 */
import { GRAPH_ENTRIES } from 'virtual:tabgraph/graphs';
import type { Endpoint } from '../protocol';
import { createEngineManager } from '../engines/manager';
import { serve, type Host } from './host';
import { createCheckpointer, DEFAULT_DB_NAME, ThreadHistory } from './persistence';
import { createThreadBook } from './threads';

// The worker's name is its database's: the app names its worker `tabgraph`; a test names its own,
// so that test files never share (or delete) each other's threads.
const dbName = (self as { name?: string }).name || DEFAULT_DB_NAME;
const checkpointer = createCheckpointer({ dbName });

// Deleting the model a run is using is refused while the run goes on.
const host: Host = serve(self as unknown as Endpoint, {
  graphs: GRAPH_ENTRIES,
  engines: createEngineManager({ runActive: () => host.running() }),
  checkpointer,
  threads: globalThis.indexedDB ? createThreadBook(checkpointer, new ThreadHistory({ dbName })) : undefined,
  persistent: Boolean(globalThis.indexedDB),
});
