import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { SCHEMA_NODE_NAMES, buildSchemaGraph } from '../../../../src/graphs/schema/graph';
import { parseSchemaInput } from '../../../../src/graphs/schema/input';
import { VALIDATE_NODE_NAMES } from '../../../../src/graphs/schema/validate';
import { RETRY_MARKER } from '../../../../src/graphs/schema/prompts';
import { ScriptedEngine, demoTestEngine, flakyDesignEngine } from '../../../support/schemaEngines';
import { eventNames, recordRun, type RecordedRun } from '../../../support/schemaRun';

const validator = new DdlValidator();
// Starting PGlite takes seconds (more with other test files in parallel): do it once, up front.
beforeAll(() => validator.validate([]), 60_000);
afterAll(() => validator.dispose());

const BLOG = 'a blog with users, posts and comments';
const SHOP = 'An e-commerce shop with products, customers, orders and order items.';
const SCHOOL = 'A school with students, courses and enrollments';

const named = (run: RecordedRun, name: string) => run.events.filter((e) => e.name === name).map((e) => e.data);
const nodeEvents = (run: RecordedRun) =>
  run.events
    .filter((e) => e.name === 'node_start' || e.name === 'node_complete')
    .map((e) => `${e.name}:${e.data.node}`);

describe('schema graph: success', () => {
  it('streams the seed events in order for a whole run', async () => {
    const run = await recordRun(demoTestEngine(), validator, BLOG);
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 1, lastError: null, validation: { ok: true } });
    expect(nodeEvents(run)).toEqual([
      ...['analyze', 'design', 'apply'].flatMap((n) => [`node_start:${n}`, `node_complete:${n}`]),
      'node_start:validate',
      ...VALIDATE_NODE_NAMES.flatMap((n) => [`node_start:${n}`, `node_complete:${n}`]),
      'node_complete:validate',
      'node_start:summarize',
      'node_complete:summarize',
    ]);
    for (const e of [...named(run, 'node_start'), ...named(run, 'node_complete')])
      expect(new Date(e.timestamp as string).toISOString()).toBe(e.timestamp);

    const names = eventNames(run);
    expect(names).not.toContain('tool_error');
    expect(names).not.toContain('execution_error');
    const toolStart = names.indexOf('tool_start');
    const toolSuccess = names.indexOf('tool_success');
    expect(toolStart).toBeGreaterThan(-1);
    expect(names.slice(toolStart + 1, toolSuccess).every((n) => n === 'schema_progress')).toBe(true);
    const progress = named(run, 'schema_progress');
    expect(progress.length).toBe(run.final.operations.length);
    expect(progress.at(-1)).toMatchObject({ current: progress.length, total: progress.length, percentage: 100 });
    expect(progress[0].operation).toBe('add /enums/post_status');

    expect(named(run, 'node_progress').map((e) => `${e.node}:${e.step}:${e.status}`)).toEqual([
      'validate:validate:started',
      'validate:validate:completed',
      'validate:process:started',
      'validate:process:completed',
      'validate:save:started',
      'validate:save:completed',
    ]);
    expect(named(run, 'step_complete').map((e) => e.step)).toEqual(['analyze', 'design', 'validate', 'summarize']);
    const agents = new Set(named(run, 'custom_token').map((e) => e.agentName));
    expect([...agents]).toEqual(['analyst', 'designer']);

    // The validation subgraph streams under its own namespace.
    const subNs = run.chunks.filter(([ns]) => ns.length === 1).map(([ns]) => ns[0]);
    expect(subNs.length).toBeGreaterThan(0);
    expect(subNs.every((ns) => ns.startsWith('validate:'))).toBe(true);
    const updates = run.chunks.filter(([ns, mode]) => ns.length === 0 && mode === 'updates');
    expect(updates.map(([, , c]) => Object.keys(c as object)[0])).toEqual([...SCHEMA_NODE_NAMES]);

    expect(run.final.summary).toMatch(/^Designed 3 tables \(users, posts, comments\) with 3 foreign keys/);
    expect(run.final.messages.map((m) => m.getType())).toEqual(['human', 'ai', 'ai', 'ai']);
    expect(structuredClone(run.final.schema)).toEqual(run.final.schema);
  });

  it.each([
    [BLOG, ['users', 'posts', 'comments']],
    [SHOP, ['customers', 'products', 'orders', 'order_items']],
    [SCHOOL, ['students', 'courses', 'enrollments']],
  ])('designs a schema PGlite accepts for %j', async (requirements, tables) => {
    const run = await recordRun(demoTestEngine(), validator, requirements);
    expect(run.final.status).toBe('succeeded');
    expect(run.final.validation).toEqual({ ok: true, errors: [] });
    expect(Object.keys(run.final.schema.tables).sort()).toEqual([...tables].sort());
    expect(run.final.ddl.some((s) => s.startsWith('ALTER TABLE') && s.includes('FOREIGN KEY'))).toBe(true);
  });
});

describe('schema graph: bad model output', () => {
  it('retries malformed JSON with the reason in the prompt, then succeeds', async () => {
    const engine = flakyDesignEngine(1);
    const run = await recordRun(engine, validator, BLOG);
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 2 });
    const [toolError] = named(run, 'tool_error');
    expect(toolError.error).toMatch(/^Malformed answer: the answer is not valid JSON/);
    const retry = engine.designRequests()[1].messages.at(-1)!.content;
    expect(retry.startsWith(RETRY_MARKER)).toBe(true);
    expect(retry).toContain(toolError.error as string);
    expect(eventNames(run).filter((n) => n.startsWith('tool_'))).toEqual([
      'tool_start',
      'tool_error',
      'tool_start',
      'tool_success',
    ]);
  });

  it('gives up clearly after the attempt bound when the model never answers well', async () => {
    const engine = flakyDesignEngine(99, 'Sure! Here is your schema.');
    const run = await recordRun(engine, validator, BLOG, 3);
    expect(engine.designRequests()).toHaveLength(3);
    expect(run.final).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'Malformed answer: the answer contains no JSON object',
    });
    expect(run.final.summary).toBe(`Schema design failed after 3 attempts. Last error: ${run.final.lastError}`);
    expect(named(run, 'execution_error')).toEqual([expect.objectContaining({ context: 'schema_design' })]);
    expect(nodeEvents(run)).not.toContain('node_start:validate');
  });

  it('refuses operations on unknown tables without touching the schema, then recovers', async () => {
    const bad = JSON.stringify({
      operations: [{ op: 'add', path: '/tables/ghosts/columns/x', value: { type: 'text' } }],
    });
    const run = await recordRun(flakyDesignEngine(1, bad), validator, SCHOOL);
    expect(named(run, 'tool_error')[0].error).toBe(
      'Operations refused: operation 0 (/tables/ghosts/columns/x): table "ghosts" does not exist',
    );
    const afterApply = run.chunks.find(
      ([ns, mode, c]) => ns.length === 0 && mode === 'updates' && 'apply' in (c as object),
    );
    expect((afterApply![2] as { apply: Record<string, unknown> }).apply).not.toHaveProperty('schema');
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('feeds a statement Postgres rejects back to the model, and the next validation starts clean', async () => {
    // Passes every check of ours but not Postgres': a uuid column referencing an integer key.
    const bad = JSON.stringify({
      operations: [
        {
          op: 'add',
          path: '/tables/students',
          value: {
            columns: [{ name: 'id', type: 'int', nullable: false }],
            constraints: [{ name: 'students_pkey', type: 'primary_key', columns: ['id'] }],
          },
        },
        {
          op: 'add',
          path: '/tables/enrollments',
          value: {
            columns: [
              { name: 'id', type: 'int' },
              { name: 'student_id', type: 'uuid' },
            ],
            constraints: [
              {
                name: 'fk_student',
                type: 'foreign_key',
                columns: ['student_id'],
                references: { table: 'students', columns: ['id'] },
              },
            ],
          },
        },
      ],
    });
    const engine = flakyDesignEngine(1, bad);
    const run = await recordRun(engine, validator, SCHOOL);
    const failed = run.chunks
      .map(([, mode, c]) =>
        mode === 'updates'
          ? (c as Record<string, { validation?: { ok: boolean; errors: { statement: string; message: string }[] } }>)
          : {},
      )
      .flatMap((u) => Object.values(u))
      .find((u) => u?.validation?.ok === false);
    expect(failed!.validation!.errors).toEqual([
      {
        statement:
          'ALTER TABLE "enrollments" ADD CONSTRAINT "fk_student" FOREIGN KEY ("student_id") REFERENCES "students" ("id")',
        message: expect.stringMatching(/foreign key constraint "fk_student" cannot be implemented/),
      },
    ]);
    expect(engine.designRequests()[1].messages.at(-1)!.content).toContain('cannot be implemented');
    expect(named(run, 'node_progress').filter((e) => e.status === 'failed')).toEqual([]);
    // The retry creates "students" again: it only validates if the failed run left nothing behind.
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 2, validation: { ok: true } });
  });

  it('reports a failing node with execution_error (with stack) and fails the run', async () => {
    const engine = new ScriptedEngine(() => {
      throw new Error('engine exploded');
    });
    await expect(recordRun(engine, validator, BLOG)).rejects.toThrow('engine exploded');
    const events: { name: string; data: Record<string, unknown> }[] = [];
    const { BaseCallbackHandler } = await import('@langchain/core/callbacks/base');
    const handler = BaseCallbackHandler.fromMethods({
      handleCustomEvent: (name, data) => void events.push({ name, data }),
    });
    const graph = buildSchemaGraph({ context: { engine: () => engine }, checkpointer: false });
    const consume = (async () => {
      const stream = await graph.stream(parseSchemaInput({ requirements: BLOG }), {
        callbacks: [handler],
        configurable: { thread_id: 't1' },
      });
      for await (const chunk of stream) void chunk;
    })();
    await expect(consume).rejects.toThrow('engine exploded');
    const error = events.find((e) => e.name === 'execution_error')!.data;
    expect(error).toMatchObject({
      context: 'analyze',
      error: 'engine exploded',
      stack: expect.stringContaining('engine exploded'),
    });
    expect(events.map((e) => e.name)).not.toContain('node_complete');
  });
});

describe('parseSchemaInput', () => {
  const refusal = (input: unknown) => {
    try {
      parseSchemaInput(input);
    } catch (err) {
      return err as Error;
    }
    throw new Error('accepted');
  };

  it('refuses empty, whitespace and non-string requirements with an InputError', () => {
    for (const input of [{ requirements: '' }, { requirements: ' \n\t ' }, { requirements: '\u0000\u0007' }]) {
      const err = refusal(input);
      expect(err.name).toBe('InputError');
      expect(err.message).toMatch(/^Requirements are empty/);
    }
    expect(refusal(null).name).toBe('InputError');
    expect(refusal({ requirements: 42 }).message).toMatch(/"requirements" string/);
  });

  it('refuses oversized requirements stating the limit', () => {
    const err = refusal({ requirements: 'x'.repeat(20_001) });
    expect(err.name).toBe('InputError');
    expect(err.message).toBe('Requirements are too long: 20001 characters, the limit is 20000.');
  });

  it('strips control characters but keeps newlines and tabs', () => {
    expect(parseSchemaInput({ requirements: '  users\u0000 and\tposts\r\n\u001b[31mcomments\u007f ' })).toEqual({
      requirements: 'users and\tposts\n[31mcomments',
    });
  });
});
