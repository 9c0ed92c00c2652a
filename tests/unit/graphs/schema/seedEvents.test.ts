/**
 * The seed's events as the seed shows them, and a design step ready for a real model: a real
 * LangChain tool (seen in `tools` mode), schema_progress per operation, progress_update with real
 * fractions, step_complete results as sentences, token limits, cut-off answers and context windows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatEngine, ChatRequest, EngineChunk } from '../../../../src/engines/types';
import { demoRespond } from '../../../../src/graphs/schema/demoResponder';
import { parseSchemaInput, requirementsLimit } from '../../../../src/graphs/schema/input';
import { DdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import {
  DESIGN_ANSWER_SCHEMA,
  DESIGN_MARKER,
  designMaxTokens,
  designMessages,
} from '../../../../src/graphs/schema/prompts';
import { recordRun } from '../../../support/schemaRun';

const validator = new DdlValidator();
beforeAll(() => validator.validate([]), 60_000);
afterAll(() => validator.dispose());

/** One table, two columns, a primary key and an index: three operations, written by hand. */
const THREE_OPS = JSON.stringify({
  operations: [
    {
      op: 'add',
      path: '/tables/books',
      value: {
        columns: [
          { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' },
          { name: 'title', type: 'text', nullable: false },
        ],
        constraints: [{ name: 'books_pkey', type: 'primary_key', columns: ['id'] }],
      },
    },
    { op: 'add', path: '/tables/books/columns/isbn', value: { name: 'isbn', type: 'varchar(20)', nullable: true } },
    { op: 'add', path: '/tables/books/indexes/idx_books_title', value: { columns: ['title'] } },
  ],
  rationale: 'One table of books.',
});

/**
 * A stand-in model: answers the design step with `design(call)` (and a finish reason), anything
 * else with a short sentence; records every request.
 */
class Model implements ChatEngine {
  readonly kind = 'demo' as const;
  readonly modelId = 'stand-in';
  readonly requests: ChatRequest[] = [];
  constructor(
    private readonly design: (call: number) => { text: string; finish?: string },
    readonly contextWindowTokens?: number,
  ) {}
  async load() {}
  async unload() {}
  async *stream(request: ChatRequest): AsyncGenerator<EngineChunk> {
    this.requests.push(request);
    const isDesign = request.messages[0]?.content.includes(DESIGN_MARKER);
    const calls = this.requests.filter((r) => r.messages[0]?.content.includes(DESIGN_MARKER)).length;
    const { text, finish } = isDesign ? this.design(calls - 1) : { text: 'Books, with titles.', finish: 'stop' };
    // Four characters a token: a JSON answer runs to a few hundred tokens, as it would.
    for (const token of text.match(/[^]{1,4}/g) ?? []) yield { type: 'token', content: token };
    yield { type: 'usage', usage: { promptTokens: 1, completionTokens: 1, finishReason: finish ?? 'stop' } };
  }
  designRequests() {
    return this.requests.filter((r) => r.messages[0]?.content.includes(DESIGN_MARKER));
  }
}

const data = (run: Awaited<ReturnType<typeof recordRun>>, name: string) =>
  run.events.filter((e) => e.name === name).map((e) => e.data);

describe('the seed events of the schema agent', () => {
  it('the schema design tool is a LangChain tool: its call shows in the tools stream mode', async () => {
    const run = await recordRun(new Model(() => ({ text: THREE_OPS })), validator, 'books', 3, ['tools', 'custom']);
    const tools = run.chunks.filter(([, mode]) => mode === 'tools').map(([, , c]) => c as Record<string, unknown>);
    expect(tools.map((t) => [t.event, t.name])).toEqual([
      ['on_tool_start', 'schemaDesignTool'],
      ['on_tool_end', 'schemaDesignTool'],
    ]);
    // The seed's own tool events stay, around it.
    const names = run.events.map((e) => e.name).filter((n) => n.startsWith('tool_'));
    expect(names).toEqual(['tool_start', 'tool_success']);
    expect(data(run, 'tool_success')[0]).toMatchObject({ result: { tables: ['books'], enums: [], operations: 3 } });
  });

  it('schema_progress comes once per operation, in order, with the operation it is about to apply', async () => {
    const run = await recordRun(new Model(() => ({ text: THREE_OPS })), validator, 'books');
    expect(data(run, 'schema_progress')).toEqual([
      { current: 1, total: 3, percentage: 33.3, operation: 'add /tables/books' },
      { current: 2, total: 3, percentage: 66.7, operation: 'add /tables/books/columns/isbn' },
      { current: 3, total: 3, percentage: 100, operation: 'add /tables/books/indexes/idx_books_title' },
    ]);
    // Between tool_start and tool_success: applied inside the tool, not reported afterwards.
    const order = run.events.map((e) => e.name).filter((n) => n === 'schema_progress' || n.startsWith('tool_'));
    expect(order).toEqual(['tool_start', 'schema_progress', 'schema_progress', 'schema_progress', 'tool_success']);
  });

  it('a refused batch reports no progress at all: nothing of it was applied', async () => {
    const bad = JSON.stringify({ operations: [{ op: 'add', path: '/tables/x/columns/y', value: {} }], rationale: '' });
    const run = await recordRun(new Model(() => ({ text: bad })), validator, 'x', 1);
    expect(data(run, 'schema_progress')).toEqual([]);
    expect(data(run, 'tool_error')).toHaveLength(1);
  });

  it('progress_update carries real fractions while designing and validating', async () => {
    // A long answer (over 32 tokens) is reported against the design step's token budget.
    const run = await recordRun(new Model(() => ({ text: THREE_OPS })), validator, 'books');
    const progress = data(run, 'progress_update') as { step: string; progress: number }[];
    const design = progress.filter((p) => p.step === 'design').map((p) => p.progress);
    expect(design[0]).toBe(0);
    expect(design.at(-1)).toBe(1);
    const middle = design.slice(1, -1);
    expect(middle.length).toBeGreaterThan(0);
    for (const p of middle) expect(p > 0 && p < 1).toBe(true);
    // Validation: after DDL generation (0.3), one step per statement run, ending at 1.
    const validate = progress.filter((p) => p.step === 'validate').map((p) => p.progress);
    expect(validate.slice(0, 2)).toEqual([0, 0.3]);
    const statements = validate.slice(2, -1);
    expect(statements.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < statements.length; i++) expect(statements[i]).toBeGreaterThan(statements[i - 1]);
    expect(statements.at(-1)).toBe(1);
    expect(validate.at(-1)).toBe(1);
  });

  it('step_complete.result is a sentence for every step, details apart', async () => {
    const run = await recordRun(new Model(() => ({ text: THREE_OPS })), validator, 'books');
    const steps = data(run, 'step_complete') as { step: string; result: unknown; details?: unknown }[];
    expect(steps.map((s) => s.step)).toEqual(['analyze', 'design', 'validate', 'summarize']);
    for (const s of steps) expect(typeof s.result).toBe('string');
    expect(steps[2].result).toMatch(/^PostgreSQL accepted all \d+ statements$/);
    expect(steps[2].details).toMatchObject({ ok: true, errors: [] });
  });
});

describe('the design step, ready for a real model', () => {
  it('caps the answer at half the context window (or 8192 tokens where it is unknown)', async () => {
    expect(designMaxTokens(4096)).toBe(2048);
    expect(designMaxTokens(undefined)).toBe(8192);
    const model = new Model(() => ({ text: THREE_OPS }), 4096);
    await recordRun(model, validator, 'books');
    expect(model.designRequests().map((r) => r.maxTokens)).toEqual([2048]);
    // Every model call of the run has a cap.
    for (const r of model.requests) expect(r.maxTokens).toBeGreaterThan(0);
  });

  it('an answer cut off at the limit is called that, and the retry asks for a shorter answer', async () => {
    const cut = THREE_OPS.slice(0, 120);
    const model = new Model((call) => (call === 0 ? { text: cut, finish: 'length' } : { text: THREE_OPS }), 4096);
    const run = await recordRun(model, validator, 'books');
    expect(data(run, 'tool_error')[0]).toMatchObject({
      error:
        "Malformed answer: the answer was cut off at the design step's limit of 2048 tokens before it was complete",
    });
    expect((data(run, 'step_complete') as { result: string }[]).map((s) => s.result)).toContain(
      'Design attempt 1 was cut off at the limit of 2048 tokens',
    );
    const retry = model.designRequests()[1].messages.at(-1)!.content;
    expect(retry).toContain('Your answer was cut off at the limit of 2048 tokens: answer more briefly');
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('derives the requirements limit from the model’s context window, prompt and answer included', () => {
    // No window known (the demo engine): the agent's own limit.
    expect(requirementsLimit(undefined)).toBe(20_000);
    const small = requirementsLimit({ contextWindowTokens: 4096 });
    // Half of 4,096 tokens is kept for the answer, and the prompt takes more than a thousand of the rest.
    expect(small).toBeGreaterThan(500);
    expect(small).toBeLessThan(3 * 2048);
    expect(requirementsLimit({ contextWindowTokens: 32_768 })).toBeGreaterThan(small);
    const engine = { contextWindowTokens: 4096, modelId: 'Tiny-Model' };
    expect(parseSchemaInput({ requirements: 'x'.repeat(small) }, engine).requirements).toHaveLength(small);
    expect(() => parseSchemaInput({ requirements: 'x'.repeat(small + 1) }, engine)).toThrow(
      `Requirements are too long for Tiny-Model: ${small + 1} characters, but its 4096-token context holds about ${small}`,
    );
  });

  it('the JSON Schema given to the model describes every value shape the tool accepts', () => {
    // An independent reader of the schema: zod's JSON Schema import.
    const schema = z.fromJSONSchema(DESIGN_ANSWER_SCHEMA as never);
    const design = (requirements: string) => demoRespond({ messages: designMessages(requirements, '') });
    for (const text of ['a blog with users, posts and comments', 'a shop: customers place orders of products'])
      expect(schema.safeParse(JSON.parse(design(text))).success).toBe(true);
    expect(schema.safeParse(JSON.parse(THREE_OPS)).success).toBe(true);
    const op = (o: object) => ({ operations: [o], rationale: 'r' });
    const refused = [
      op({ op: 'add', path: '/tables/t', value: { constraints: [] } }), // a table without columns
      op({ op: 'add', path: '/tables/t/columns/c', value: { name: 'c', nullable: true } }), // no type
      op({ op: 'add', path: '/tables/t/constraints/fk', value: { name: 'fk', type: 'foreign_key', columns: ['a'] } }), // no references
      op({ op: 'move', path: '/tables/t' }), // not an operation
      op({ op: 'add', path: '/tables/Bad Name', value: { columns: [], constraints: [] } }), // not an identifier
      op({ op: 'add', path: '/enums/e', value: { values: [] } }), // an enum without values
      { operations: [] }, // no rationale, no operations
    ];
    for (const answer of refused) expect(schema.safeParse(answer).success).toBe(false);
  });
});
