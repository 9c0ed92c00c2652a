import { describe, expect, it } from 'vitest';
import { MemorySaver } from '@langchain/langgraph/web';
import { schemaEntry } from '../support/graphs';
import { DemoEngine } from '../../src/engines/demo';
import type { ChatRequest, ChatEngine, EngineChunk } from '../../src/engines/types';
import { demoRespond } from '../../src/graphs/schema/demoResponder';
import { fixedEngineManager } from '../support/engines';
import { ended, harnessPerTest } from '../support/harness';
import { casesTried } from '../support/tally';

const { tried } = casesTried('requirement');
const openHarness = harnessPerTest();

async function design(requirements: unknown, engine: ChatEngine = new DemoEngine({ tokensPerSecond: 0 })) {
  const h = openHarness({
    graphs: [schemaEntry],
    engines: fixedEngineManager(engine),
    checkpointer: new MemorySaver(),
  });
  const runId = h.client.run({ graph: 'schema', input: { requirements }, streamModes: ['values'], subgraphs: false });
  h.stores.begin(runId, 'schema', ['values'], false);
  const end = await h.waitFor(ended(runId), 60_000);
  return { end, run: h.stores.current(), events: h.events.filter((e) => e.runId === runId) };
}

type Values = {
  ddl: string[];
  validation: { ok: boolean };
  status: string;
  schema: { tables: Record<string, unknown> };
};

describe('requirements text: refused clearly or handled correctly', () => {
  it.each([
    ['empty', '', 'Requirements are empty'],
    ['whitespace', ' \n\t ', 'Requirements are empty'],
    ['only control characters', '\u0000\u0007\u001b', 'Requirements are empty'],
    ['over the agent limit', 'a'.repeat(20_001), 'the limit is 20000'],
    ['1 MB', 'x'.repeat(1_000_000), 'larger than the limit'],
  ])('%s is refused before a run starts', async (kind, text, reason) => {
    tried[kind] = 1;
    const { end } = await design(text);
    expect(end.type).toBe('run.rejected');
    expect(end.type === 'run.rejected' && end.error.message).toContain(reason);
  });

  it.each([
    ['control characters', 'a blog\u0000 with users\u0007 and posts\u001b[31m'],
    ['French', 'Une bibliothèque avec des livres, des auteurs et des emprunts'],
    ['Japanese', '図書館のシステム：本、著者、貸出'],
    ['Arabic', 'متجر مع منتجات وطلبات وعملاء'],
    ['emoji', '🛒 a shop with products 📦 and orders'],
    ['SQL injection', 'users"; DROP TABLE users; -- and posts\'); DELETE FROM pg_class; --'],
    ['DDL injection', 'a table named x; CREATE ROLE admin SUPERUSER; with columns id'],
  ])('%s: the run completes with DDL that Postgres accepts and only schema statements', async (kind, text) => {
    tried[kind] = 1;
    const { end, run } = await design(text);
    expect(end.type).toBe('run.completed');
    const values = run.values as Values;
    expect(values.validation.ok).toBe(true);
    expect(Object.keys(values.schema.tables).length).toBeGreaterThan(0);
    for (const stmt of values.ddl) {
      expect(stmt).toMatch(/^(CREATE (TYPE|TABLE|UNIQUE INDEX|INDEX)|ALTER TABLE|COMMENT ON (TABLE|COLUMN)) "/);
      // Outside quoted identifiers and string literals: one statement, no data or role commands.
      const bare = stmt.replace(/"(?:[^"]|"")*"/g, '""').replace(/'(?:[^']|'')*'/g, "''");
      expect(bare).not.toContain(';');
      expect(bare).not.toMatch(/\b(DROP|INSERT|GRANT|ROLE|DELETE FROM|TRUNCATE)\b|\bUPDATE\s+\S+\s+SET\b/i);
    }
  });

  it('a model that answers with hostile identifiers and defaults gets tool_error and never reaches Postgres', async () => {
    tried['hostile model output'] = 1;
    const hostile = JSON.stringify({
      operations: [
        {
          op: 'add',
          path: '/tables/users; DROP TABLE x',
          value: { name: 'users; DROP TABLE x', columns: { id: { name: 'id', type: 'integer' } } },
        },
        {
          op: 'add',
          path: '/tables/t',
          value: { name: 't', columns: { c: { name: 'c', type: 'text', default: "'a'); DROP TABLE t; --" } } },
        },
      ],
    });
    const engine: ChatEngine = {
      kind: 'demo',
      modelId: 'hostile',
      load: async () => {},
      unload: async () => {},
      async *stream(req: ChatRequest): AsyncGenerator<EngineChunk> {
        yield { type: 'token', content: req.jsonSchema ? hostile : demoRespond(req) };
      },
    };
    const { end, run, events } = await design('a blog', engine);
    expect(end.type).toBe('run.completed');
    const errors = events.filter((e) => e.type === 'custom' && e.name === 'tool_error');
    expect(errors.length).toBeGreaterThan(0);
    const values = run.values as Values;
    expect(values.status).toBe('failed');
    expect(values.ddl ?? []).toEqual([]);
  });
});
