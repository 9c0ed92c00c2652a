import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../../src/engines/types';
import { generateDdl } from '../../../../src/graphs/schema/model/ddl';
import { emptySchema } from '../../../../src/graphs/schema/model/model';
import { applyOperations } from '../../../../src/graphs/schema/model/operations';
import { DdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { demoRespond } from '../../../../src/graphs/schema/demoResponder';
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
const tables = (requirements: string) => Object.keys(schemaFor(requirements).tables);

describe('demoRespond', () => {
  it('answers the same text with the same words, also after reading other texts', () => {
    const blog = { messages: analysisMessages('a blog with users and posts') };
    const expected =
      'The requirements describe 2 entities: users, posts. Each row of posts belongs to one row of users. ' +
      'Every table gets a uuid primary key and a created_at timestamp.';
    expect(demoRespond(blog)).toBe(expected);
    expect(tables('a shop with products and orders')).toEqual(['products', 'orders']);
    expect(demoRespond(blog)).toBe(expected);
  });

  it('always yields at least one table, falling back to items', () => {
    expect(tables('zzz qqq')).toEqual(['items']);
    expect(tables('!!!')).toEqual(['items']);
  });

  it('turns every listed noun into a table under its own name', () => {
    // The old catalogue turned "classes" into "courses"; the text's own word is kept now.
    expect(tables('A gym with members, trainers and classes.')).toEqual(['members', 'trainers', 'classes']);
  });

  it('creates only the tables named, and join tables for many-to-many pairs', () => {
    // The old catalogue pulled in students and courses for "enrollments"; only what is named now.
    expect(tables('track enrollments')).toEqual(['enrollments']);
    expect(tables('posts with tags')).toEqual(['posts', 'tags', 'post_tags']);
  });

  it('answers a retry with a corrected, valid design that says what it did about the error', () => {
    const answer = parseDesignAnswer(demoRespond(design('a blog with users', 'table "ghosts" does not exist')));
    expect(answer.rationale).toMatch(
      /^Corrected after the error \(table "ghosts" does not exist\): nothing here creates, alters or references table "ghosts"\./,
    );
    expect(() => applyOperations(emptySchema(), answer.operations)).not.toThrow();
  });

  it('answers the analysis step and other prompts in plain sentences', () => {
    const analysis = demoRespond({ messages: analysisMessages('a school with students and courses') });
    expect(analysis).toMatch(/^The requirements describe 2 entities: students, courses\./);
    expect(analysis).not.toContain('{');
    expect(demoRespond({ messages: [{ role: 'user', content: 'hi' }] })).toContain('You said: hi');
  });

  it('gives DDL PGlite accepts for every well-known table at once', async () => {
    const schema = schemaFor(
      'A system with users, authors, customers, categories, posts, comments, products, orders, order items, reviews, ' +
        'teachers, students, courses, enrollments, books, loans, members, tags, departments, employees, projects, ' +
        'tasks, payments, patients, doctors, appointments, guests, rooms, bookings and messages.',
    );
    expect(Object.keys(schema.tables).sort()).toEqual(
      [
        'users',
        'authors',
        'customers',
        'categories',
        'posts',
        'comments',
        'products',
        'orders',
        'order_items',
        'reviews',
        'teachers',
        'students',
        'courses',
        'enrollments',
        'books',
        'loans',
        'members',
        'tags',
        'departments',
        'employees',
        'projects',
        'tasks',
        'payments',
        'patients',
        'doctors',
        'appointments',
        'guests',
        'rooms',
        'bookings',
        'messages',
        'post_tags',
      ].sort(),
    );
    const result = await validator.validate(generateDdl(schema));
    expect(result.errors).toEqual([]);
  });

  it.each([
    ['users only', ['users']],
    ['a shop with orders', ['orders']],
    ['reviews of books by authors', ['reviews', 'books', 'authors']],
    ['employees in departments working on projects and tasks', ['employees', 'departments', 'projects', 'tasks']],
    // What the end-to-end tests type.
    ['a library with books, members and loans', ['books', 'members', 'loans']],
    ['a todo app with users and tasks', ['users', 'tasks']],
    ['a todo app with users, projects and tasks', ['users', 'projects', 'tasks']],
    ['a chat app with users and messages', ['users', 'messages']],
  ])('gives DDL PGlite accepts for %j', async (text, expected) => {
    const schema = schemaFor(text);
    expect(Object.keys(schema.tables)).toEqual(expected);
    expect((await validator.validate(generateDdl(schema))).ok).toBe(true);
  });
});
