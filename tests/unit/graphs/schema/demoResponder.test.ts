import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../../src/engines/types';
import { generateDdl } from '../../../../src/graphs/schema/model/ddl';
import { emptySchema } from '../../../../src/graphs/schema/model/model';
import { applyOperations } from '../../../../src/graphs/schema/model/operations';
import { DdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { DEMO_ENTITIES } from '../../../../src/graphs/schema/demoCatalog';
import { demoRespond, pickEntities } from '../../../../src/graphs/schema/demoResponder';
import { analysisMessages, designMessages, parseDesignAnswer } from '../../../../src/graphs/schema/prompts';

const validator = new DdlValidator();
// Starting PGlite takes seconds (more with other test files in parallel): do it once, up front.
beforeAll(() => validator.validate([]), 60_000);
afterAll(() => validator.dispose());

const design = (requirements: string, error?: string): ChatRequest => ({
  messages: designMessages(requirements, '', error ? { previousAnswer: '{', error, attempt: 2 } : undefined),
});
const schemaFor = (requirements: string, error?: string) =>
  applyOperations(emptySchema(), parseDesignAnswer(demoRespond(design(requirements, error))).operations);

describe('demoRespond', () => {
  it('is deterministic', () => {
    expect(demoRespond(design('a blog with users and posts'))).toBe(demoRespond(design('a blog with users and posts')));
  });

  it('always yields at least one table, falling back to items', () => {
    expect(Object.keys(schemaFor('zzz qqq').tables)).toEqual(['items']);
    expect(Object.keys(schemaFor('!!!').tables)).toEqual(['items']);
  });

  it('turns unknown listed nouns into tables next to known ones', () => {
    expect(Object.keys(schemaFor('A gym with members, trainers and classes.').tables)).toEqual([
      'courses',
      'members',
      'trainers',
    ]);
  });

  it('pulls in what join tables need and adds join tables for pairs', () => {
    expect(pickEntities('track enrollments').map((e) => e.table)).toEqual(['students', 'courses', 'enrollments']);
    expect(pickEntities('posts with tags').map((e) => e.table)).toEqual(['posts', 'tags', 'post_tags']);
  });

  it('answers a retry with a corrected, valid design', () => {
    const answer = parseDesignAnswer(demoRespond(design('a blog with users', 'table "ghosts" does not exist')));
    expect(answer.rationale).toMatch(/^Corrected after the error \(table "ghosts" does not exist\)/);
    expect(() => applyOperations(emptySchema(), answer.operations)).not.toThrow();
  });

  it('answers the analysis step and other prompts in plain sentences', () => {
    const analysis = demoRespond({ messages: analysisMessages('a school with students and courses') });
    expect(analysis).toMatch(/^The requirements describe 2 entities: students, courses\./);
    expect(analysis).not.toContain('{');
    expect(demoRespond({ messages: [{ role: 'user', content: 'hi' }] })).toContain('You said: hi');
  });

  it('gives DDL PGlite accepts for every catalog entity at once', async () => {
    const everything = DEMO_ENTITIES.flatMap((e) => e.words).join(' ') + ' order items';
    const schema = schemaFor(everything);
    expect(Object.keys(schema.tables)).toHaveLength(DEMO_ENTITIES.length);
    const result = await validator.validate(generateDdl(schema));
    expect(result.errors).toEqual([]);
  });

  it.each([
    'users only',
    'a shop with orders',
    'reviews of books by authors',
    'employees in departments working on projects and tasks',
  ])('gives DDL PGlite accepts for %j', async (text) => {
    expect((await validator.validate(generateDdl(schemaFor(text)))).ok).toBe(true);
  });
});
