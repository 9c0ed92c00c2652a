import { describe, expect, it } from 'vitest';
import { MemorySaver } from '@langchain/langgraph/web';
import { schemaEntry } from '../support/graphs';
import { DemoEngine } from '../../src/engines/demo';
import type { ChatRequest } from '../../src/engines/types';
import { fixedEngineManager } from '../support/engines';
import { ended, harnessPerTest } from '../support/harness';

const openHarness = harnessPerTest();

/** The demo engine, remembering every request so a test can read the prompts. */
function recordingEngine() {
  const inner = new DemoEngine({ tokensPerSecond: 0 });
  const requests: ChatRequest[] = [];
  const engine = Object.assign(Object.create(inner) as DemoEngine, {
    stream: (req: ChatRequest) => {
      requests.push(req);
      return inner.stream(req);
    },
  });
  return { engine, requests };
}

const modes = ['values', 'updates'] as const;

/** A harness over the schema graph (checkpointed, so runs can pause) and a run that pauses before apply. */
function pausedBeforeApply(engine: DemoEngine, requirements: string) {
  const h = openHarness({
    graphs: [schemaEntry],
    engines: fixedEngineManager(engine),
    checkpointer: new MemorySaver(),
  });
  const runId = h.client.run({
    graph: 'schema',
    input: { requirements },
    streamModes: [...modes],
    subgraphs: false,
    interruptBefore: ['apply'],
  });
  h.stores.begin(runId, 'schema', [...modes], false);
  return { h, runId };
}

describe('human approval before schema operations are applied', () => {
  it('pauses before apply, shows the pending operations, and approve resumes to a validated schema', async () => {
    const { engine } = recordingEngine();
    const { h, runId } = pausedBeforeApply(engine, 'a blog with users and posts');
    const paused = await h.waitFor(ended(runId));
    expect(paused.type).toBe('run.interrupted');
    expect(paused.type === 'run.interrupted' && paused.next).toEqual(['apply']);
    // The design is waiting, unapplied: its operations are in the model's answer.
    const values = h.stores.current().values as { designAnswer: string; schema?: { tables: object } };
    expect(JSON.parse(values.designAnswer).operations.length).toBeGreaterThan(0);
    expect(Object.keys(values.schema?.tables ?? {})).toHaveLength(0);

    const resumed = h.client.resume({ graph: 'schema', threadId: runId, streamModes: [...modes], subgraphs: false });
    h.stores.begin(resumed, 'schema', [...modes], false);
    expect((await h.waitFor(ended(resumed))).type).toBe('run.completed');
    const done = h.stores.current().values as { schema: { tables: object }; validation: { ok: boolean } };
    expect(Object.keys(done.schema.tables).length).toBeGreaterThanOrEqual(2);
    expect(done.validation.ok).toBe(true);
  });

  it('reject returns to design with the reason in the prompt, then pauses again', async () => {
    const { engine, requests } = recordingEngine();
    const { h, runId } = pausedBeforeApply(engine, 'a shop with products and orders');
    await h.waitFor(ended(runId));
    const before = requests.length;
    const reason = 'Please add a created_at column to every table';
    const rejected = h.client.resume({
      graph: 'schema',
      threadId: runId,
      streamModes: [...modes],
      subgraphs: false,
      update: { lastError: `Rejected by the reviewer: ${reason}` },
      asNode: 'apply',
      interruptBefore: ['apply'],
    });
    h.stores.begin(rejected, 'schema', [...modes], false);
    const again = await h.waitFor(ended(rejected));
    expect(again.type).toBe('run.interrupted');
    const designPrompts = requests.slice(before).map((r) => r.messages.map((m) => m.content).join('\n'));
    expect(designPrompts.some((p) => p.includes(reason))).toBe(true);
    expect((h.stores.current().values as { attempts: number }).attempts).toBe(2);
  });
});
