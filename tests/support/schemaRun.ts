/**
 * Runs the schema graph the way the worker host does (several stream modes, subgraphs, a
 * callback handler for custom events) and records everything, for node and browser tests.
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { ChatEngine } from '../../src/engines/types';
import type { DdlValidator } from '../../src/graphs/schema/pglite/pglite';
import { buildSchemaGraph } from '../../src/graphs/schema/graph';
import type { SchemaStateType } from '../../src/graphs/schema/state';

/** A custom event as a handler sees it. */
export interface RecordedEvent {
  name: string;
  data: Record<string, unknown>;
}

class Recorder extends BaseCallbackHandler {
  name = 'recorder';
  readonly events: RecordedEvent[] = [];
  override handleCustomEvent(name: string, data: unknown): void {
    this.events.push({ name, data: data as Record<string, unknown> });
  }
}

/** What one recorded run produced. */
export interface RecordedRun {
  events: RecordedEvent[];
  /** `[namespace, mode, chunk]` as `graph.stream(..., {subgraphs: true})` yields them. */
  chunks: [string[], string, unknown][];
  final: SchemaStateType;
}

/** Runs the graph on `requirements` to the end and records its events and chunks. */
export async function recordRun(
  engine: ChatEngine,
  validator: DdlValidator,
  requirements: string,
  maxAttempts = 3,
  streamModes: string[] = ['updates', 'custom', 'values'],
): Promise<RecordedRun> {
  const graph = buildSchemaGraph({ context: { engine: () => engine }, validator, maxAttempts });
  const recorder = new Recorder();
  const chunks: [string[], string, unknown][] = [];
  let final: SchemaStateType | undefined;
  const stream = await graph.stream(
    { requirements },
    {
      streamMode: [...new Set([...streamModes, 'values'])] as never,
      subgraphs: true,
      callbacks: [recorder],
      configurable: { thread_id: crypto.randomUUID() },
    },
  );
  for await (const [ns, mode, chunk] of stream as AsyncIterable<[string[], string, unknown]>) {
    chunks.push([ns, mode, chunk]);
    if (mode === 'values' && ns.length === 0) final = chunk as SchemaStateType;
  }
  if (!final) throw new Error('the run produced no final values');
  return { events: recorder.events, chunks, final };
}

/** Names of the custom events of a run, minus the token stream. */
export function eventNames(run: RecordedRun): string[] {
  return run.events.filter((e) => e.name !== 'custom_token' && e.name !== 'token_update').map((e) => e.name);
}
