import { afterEach } from 'vitest';
import { connect, type TabgraphClient } from '../../src/client/client';
import { createSessionStores, type SessionStores } from '../../src/client/stores';
import type { WorkerEvent } from '../../src/protocol';
import { serve, type Host, type HostOptions } from '../../src/worker/host';

/** Host and client joined by a MessageChannel, with every delivered event recorded. */
export interface Harness {
  host: Host;
  client: TabgraphClient;
  stores: SessionStores;
  events: WorkerEvent[];
  batches: number;
  /** Resolves when an event matching `pred` has arrived. */
  waitFor(pred: (e: WorkerEvent) => boolean, timeoutMs?: number): Promise<WorkerEvent>;
  close(): void;
}

export function createHarness(options: HostOptions): Harness {
  const channel = new MessageChannel();
  const host = serve(channel.port1 as unknown as Parameters<typeof serve>[0], options);
  const client = connect(channel.port2 as unknown as Parameters<typeof connect>[0]);
  const stores = createSessionStores();
  const h: Harness = {
    host,
    client,
    stores,
    events: [],
    batches: 0,
    waitFor(pred, timeoutMs = 20_000) {
      const found = h.events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error('timed out waiting for an event'));
        }, timeoutMs);
        const off = client.subscribe((batch) => {
          const hit = batch.find(pred);
          if (hit) {
            clearTimeout(timer);
            off();
            resolve(hit);
          }
        });
      });
    },
    close() {
      host.close();
      client.close();
      channel.port1.close();
      channel.port2.close();
    },
  };
  client.subscribe((batch) => {
    h.batches += 1;
    h.events.push(...batch);
    stores.apply(batch);
  });
  return h;
}

/**
 * For a test file: `open` creates a harness as `createHarness` does, and each harness it opened
 * is closed after the test that opened it.
 */
export function harnessPerTest(): (options: HostOptions) => Harness {
  const opened: Harness[] = [];
  afterEach(() => {
    for (const h of opened.splice(0)) h.close();
  });
  return (options) => {
    const h = createHarness(options);
    opened.push(h);
    return h;
  };
}

/** Matches the event that ends run `runId`: any `run.*` event but `run.started`. */
export const ended = (runId: string) => (e: WorkerEvent) =>
  e.runId === runId && e.type.startsWith('run.') && e.type !== 'run.started';

/** Replaces run-specific ids and times so two runs of one graph compare equal. */
export function scrub(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>'),
  );
}
