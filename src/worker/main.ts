/// <reference lib="webworker" />
/**
 * The worker's entry point: serves the protocol on the worker's global scope.
 * Heavy parts (WebLLM, PGlite) load lazily inside, when first needed.
 */
import type { Endpoint } from '../protocol';
import { schemaGraph } from '../graphs/schema';
import { createEngineManager } from '../engines/manager';
import { demoGraph } from '../graphs/demo/graph';
import { serve } from './host';
import { createCheckpointer } from './persistence/index';
import { createThreadBook } from './threads';

const checkpointer = createCheckpointer();

serve(self as unknown as Endpoint, {
  graphs: { demo: demoGraph, schema: schemaGraph },
  engines: createEngineManager(),
  checkpointer,
  threads: globalThis.indexedDB ? createThreadBook(checkpointer) : undefined,
});
