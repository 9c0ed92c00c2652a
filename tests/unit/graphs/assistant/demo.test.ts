import { describe, expect, it } from 'vitest';
import { findExpression, parse, show } from '../../../../src/graphs/assistant/demo/expression';
import { DEMO_HELP, respondAsAssistant } from '../../../../src/graphs/assistant/demo/respond';
import type { ChatMessage, ChatRequest } from '../../../../src/engines/types';

describe('expressions in questions', () => {
  it.each([
    ['What is 12 * (3 + 4)?', '12 × (3 + 4)'],
    ['what is 2 to the power of 10', '2 ^ 10'],
    ['Compute 7 times 6 minus 2.', '7 × 6 - 2'],
    ['How much is 3 x 4?', '3 × 4'],
    ['10 ÷ 4', '10 ÷ 4'],
    ['(1 + 2) * (3 + 4)', '(1 + 2) × (3 + 4)'],
    ['-3 + 4', '-3 + 4'],
    ['2 ** 3 ** 2', '2 ^ 3 ^ 2'],
    ['8 - (3 - 1)', '8 - (3 - 1)'],
    ['what is 1/0?', '1 ÷ 0'],
  ])('%s reads as %s', (question, shown) => {
    const expr = findExpression(question);
    expect(expr && show(expr)).toBe(shown);
  });

  it.each(['Which tables are there?', 'Is 42 the answer?', 'Version 2.0 is out.', 'hello'])(
    'finds no arithmetic in %s',
    (question) => {
      expect(findExpression(question)).toBeNull();
    },
  );

  it('parses with the usual precedence and a right-associative power', () => {
    expect(parse('1 + 2 * 3')).toEqual({
      kind: 'op',
      op: 'add',
      left: { kind: 'number', value: 1 },
      right: { kind: 'op', op: 'multiply', left: { kind: 'number', value: 2 }, right: { kind: 'number', value: 3 } },
    });
    expect(parse('2 ^ 3 ^ 2')).toMatchObject({ op: 'power', left: { value: 2 }, right: { op: 'power' } });
    expect(parse('-(1 + 2)')).toMatchObject({ op: 'multiply', left: { value: -1 }, right: { op: 'add' } });
    expect(parse('1 +')).toBeNull();
    expect(parse('(1 + 2')).toBeNull();
  });
});

const SCHEMA = { anyOf: [] };
const user = (content: string): ChatMessage => ({ role: 'user', content });
const calls = (...list: { name: string; args: Record<string, unknown> }[]): ChatMessage => ({
  role: 'assistant',
  content: JSON.stringify({ tool_calls: list }),
});
const results = (...list: [string, string][]): ChatMessage =>
  user(JSON.stringify({ tool_results: list.map(([name, content]) => ({ name, content })) }));
const ask = (...messages: ChatMessage[]): unknown =>
  JSON.parse(
    respondAsAssistant({
      messages: [{ role: 'system', content: 'tools' }, ...messages],
      jsonSchema: SCHEMA,
    } as ChatRequest),
  );
const calc = (operation: string, a: number, b: number) => ({ name: 'calculator', args: { operation, a, b } });

describe('the demo responder: arithmetic', () => {
  const q = user('What is 12 * (3 + 4)?');

  it('calls the calculator for the innermost operation, then the next with its result, then answers', () => {
    expect(ask(q)).toEqual({ tool_calls: [calc('add', 3, 4)] });
    expect(ask(q, calls(calc('add', 3, 4)), results(['calculator', '7']))).toEqual({
      tool_calls: [calc('multiply', 12, 7)],
    });
    expect(
      ask(
        q,
        calls(calc('add', 3, 4)),
        results(['calculator', '7']),
        calls(calc('multiply', 12, 7)),
        results(['calculator', '84']),
      ),
    ).toEqual({ content: '12 × (3 + 4) = 84. Step by step: 3 + 4 = 7; 12 × 7 = 84.' });
  });

  it('calls independent operations together, and a repeated one once', () => {
    expect(ask(user('(1 + 2) * (3 + 4)'))).toEqual({ tool_calls: [calc('add', 1, 2), calc('add', 3, 4)] });
    expect(ask(user('(3 + 4) * (3 + 4)'))).toEqual({ tool_calls: [calc('add', 3, 4)] });
  });

  it('explains a tool error instead of going on', () => {
    expect(
      ask(
        user('what is 1/0?'),
        calls(calc('divide', 1, 0)),
        results(['calculator', 'Error: Division by zero is undefined.\n Please fix your mistakes.']),
      ),
    ).toEqual({ content: 'I could not compute 1 ÷ 0: Division by zero is undefined.' });
  });

  it('answers the latest question of a conversation', () => {
    const earlier = [
      q,
      calls(calc('add', 3, 4)),
      results(['calculator', '7']),
      { role: 'assistant' as const, content: '{"content":"7"}' },
    ];
    expect(ask(...earlier, user('and 2 + 2?'))).toEqual({ tool_calls: [calc('add', 2, 2)] });
  });
});

describe('the demo responder: the database', () => {
  const tables = JSON.stringify({
    tables: [
      { name: 'comments', columns: 5 },
      { name: 'posts', columns: 5 },
      { name: 'users', columns: 4 },
    ],
  });
  const listed = [calls({ name: 'list_tables', args: {} }), results(['list_tables', tables])];

  it('lists the tables first, then answers a "which tables" question from the list', () => {
    const q = user('Which tables does a blog with users and posts have?');
    expect(ask(q)).toEqual({ tool_calls: [{ name: 'list_tables', args: {} }] });
    expect(ask(q, ...listed)).toEqual({
      content: 'The database has 3 tables: comments (5 columns), posts (5 columns), users (4 columns).',
    });
  });

  it('describes the tables a question names, then answers from the descriptions', () => {
    const q = user('What columns does the post table have?');
    expect(ask(q, ...listed)).toEqual({ tool_calls: [{ name: 'describe_table', args: { table: 'posts' } }] });
    const description = JSON.stringify({
      table: 'posts',
      columns: [
        { name: 'id', type: 'integer', not_null: true, identity: true },
        { name: 'title', type: 'text', not_null: true },
      ],
      constraints: ['PRIMARY KEY (id)'],
      indexes: [],
    });
    expect(
      ask(
        q,
        ...listed,
        calls({ name: 'describe_table', args: { table: 'posts' } }),
        results(['describe_table', description]),
      ),
    ).toEqual({
      content: 'posts has 2 columns: id integer (identity), title text not null. Constraints: PRIMARY KEY (id).',
    });
  });

  it('counts rows with run_sql', () => {
    const q = user('How many comments are there?');
    const sql = 'SELECT count(*) AS count FROM "comments"';
    expect(ask(q, ...listed)).toEqual({ tool_calls: [{ name: 'run_sql', args: { sql } }] });
    expect(
      ask(
        q,
        ...listed,
        calls({ name: 'run_sql', args: { sql } }),
        results(['run_sql', '{"columns":["count"],"rows":[[0]],"row_count":1}']),
      ),
    ).toEqual({ content: 'comments has 0 rows (the database holds its schema only, so every table is empty).' });
  });

  it('passes on a database error', () => {
    expect(
      ask(
        user('Which tables are there?'),
        calls({ name: 'list_tables', args: {} }),
        results(['list_tables', "Error: The database's DDL does not run: syntax error\n Please fix your mistakes."]),
      ),
    ).toEqual({ content: "I could not read the database: The database's DDL does not run: syntax error" });
  });
});

describe('the demo responder: anything else', () => {
  it('says what it is and what to try', () => {
    expect(ask(user('Hello!'))).toEqual({ content: DEMO_HELP });
  });
});
