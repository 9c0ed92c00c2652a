import { afterAll, describe, expect, it } from 'vitest';
import { DdlValidator } from '../../src/graphs/schema/pglite/pglite';
import { demoTestEngine, flakyDesignEngine } from '../support/schemaEngines';
import { eventNames, recordRun } from '../support/schemaRun';

// The whole schema agent in real Chromium: LangGraph's web entrypoint, PGlite's wasm loaded by Vite.
const validator = new DdlValidator();
afterAll(() => validator.dispose());

describe('schema agent in the browser', () => {
  it('designs and validates a blog schema end to end', async () => {
    const run = await recordRun(demoTestEngine(), validator, 'a blog with users, posts and comments');
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 1, validation: { ok: true, errors: [] } });
    expect(Object.keys(run.final.schema.tables)).toEqual(['users', 'posts', 'comments']);
    const names = eventNames(run);
    expect(names[0]).toBe('node_start');
    expect(names.at(-1)).toBe('node_complete');
    expect(names).toContain('tool_success');
    expect(run.events.filter((e) => e.name === 'node_progress')).toHaveLength(6);
    expect(run.chunks.some(([ns]) => ns[0]?.startsWith('validate:'))).toBe(true);
  });

  it('recovers from a malformed answer and leaves PGlite clean for the next run', async () => {
    const run = await recordRun(flakyDesignEngine(1), validator, 'A school with students, courses and enrollments');
    expect(run.final).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(eventNames(run)).toContain('tool_error');
    const again = await recordRun(demoTestEngine(), validator, 'A school with students, courses and enrollments');
    expect(again.final.validation?.ok).toBe(true);
  });
});
