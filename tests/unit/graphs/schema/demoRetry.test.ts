/**
 * Retries: the design step feeds back why the previous answer failed, and the demo engine's
 * next answer must act on it, or at least say what it did. Expected values are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { demoRespond } from '../../../../src/graphs/schema/demoResponder';
import { emptySchema, type Schema } from '../../../../src/graphs/schema/model/model';
import { applyOperations } from '../../../../src/graphs/schema/model/operations';
import { designMessages, parseDesignAnswer } from '../../../../src/graphs/schema/prompts';

const REQUIREMENTS =
  'Customers have a name and an email. Customers place orders. Each order has a total. Posts have many tags.';

const raw = (error?: string, requirements = REQUIREMENTS) =>
  demoRespond({
    messages: designMessages(
      requirements,
      '',
      error ? { previousAnswer: '{"operations": [', error, attempt: 2 } : undefined,
    ),
  });
const schemaOf = (text: string): Schema => applyOperations(emptySchema(), parseDesignAnswer(text).operations);
const shape = (schema: Schema) =>
  Object.values(schema.tables).map((t) => `${t.name}(${Object.keys(t.columns).join(',')})`);

const FIRST = [
  'customers(id,name,email,created_at)',
  'orders(id,customer_id,total,created_at)',
  'posts(id,title,body,status,published_at,created_at)',
  'tags(id,name,created_at)',
  'post_tags(id,post_id,tag_id,created_at)',
];

describe('a retry after a reviewer rejected the design', () => {
  it('starts from this design', () => {
    expect(shape(schemaOf(raw()))).toEqual(FIRST);
  });

  it('adds a column the reviewer asks for', () => {
    const answer = raw('Rejected by the reviewer: add a phone column to customers');
    expect(shape(schemaOf(answer))[0]).toBe('customers(id,name,email,phone,created_at)');
    expect(schemaOf(answer).tables.customers.columns.phone).toEqual({
      name: 'phone',
      type: 'varchar(32)',
      nullable: true,
    });
    expect(parseDesignAnswer(answer).rationale).toMatch(
      /^Acted on the reviewer's reason \("add a phone column to customers"\): added column customers\.phone \(varchar\(32\)\)\./,
    );
  });

  it('drops a table with its join tables and the references to it', () => {
    expect(shape(schemaOf(raw('Rejected by the reviewer: drop the tags table')))).toEqual([
      'customers(id,name,email,created_at)',
      'orders(id,customer_id,total,created_at)',
      'posts(id,title,body,status,published_at,created_at)',
    ]);
    expect(shape(schemaOf(raw('Rejected by the reviewer: we do not need customers')))).toEqual([
      'orders(id,total,created_at)',
      'posts(id,title,body,status,published_at,created_at)',
      'tags(id,name,created_at)',
      'post_tags(id,post_id,tag_id,created_at)',
    ]);
  });

  it('follows several instructions in one reason', () => {
    const schema = schemaOf(
      raw(
        'Rejected by the reviewer: remove the total column from orders; rename customers to clients. Posts should have a slug.',
      ),
    );
    expect(shape(schema)).toEqual([
      'clients(id,name,email,created_at)',
      'orders(id,customer_id,created_at)',
      'posts(id,title,body,status,published_at,slug,created_at)',
      'tags(id,name,created_at)',
      'post_tags(id,post_id,tag_id,created_at)',
    ]);
    expect(schema.tables.orders.constraints.fk_orders_customer_id).toMatchObject({ references: { table: 'clients' } });
  });

  it('adds a table the reviewer names, with its usual references', () => {
    expect(shape(schemaOf(raw('Rejected by the reviewer: add a reviews table')))).toEqual([
      ...FIRST,
      'reviews(id,author_id,rating,body,created_at)',
    ]);
  });

  it('says so when the reason cannot be acted on, and keeps the design', () => {
    const answer = parseDesignAnswer(raw('Rejected by the reviewer: this feels wrong'));
    expect(answer.rationale).toMatch(
      /^The reviewer rejected the design \("this feels wrong"\), but the demo engine could not turn that into a change; the design is unchanged\./,
    );
    expect(shape(applyOperations(emptySchema(), answer.operations))).toEqual(FIRST);
  });
});

describe('a retry after an error', () => {
  it('answers an unreadable previous answer with the same design as compact JSON', () => {
    const answer = raw('Malformed answer: the answer is not valid JSON (Unexpected end of JSON input)');
    expect(answer).not.toContain('\n');
    expect(answer.startsWith('{"operations":[{"op":"add","path":"/enums/post_status"')).toBe(true);
    expect(parseDesignAnswer(answer).rationale).toMatch(
      /^Corrected after the error \(Malformed answer: the answer is not valid JSON \(Unexpected end of JSON input\)\): this is the complete design again, as compact JSON\./,
    );
    expect(shape(schemaOf(answer))).toEqual(FIRST);
  });

  it('renames a table PostgreSQL says already exists', () => {
    const answer = raw(
      'PostgreSQL rejected the statement "CREATE TABLE \\"orders\\" (": relation "orders" already exists',
    );
    expect(shape(schemaOf(answer))[1]).toBe('orders_records(id,customer_id,total,created_at)');
    expect(parseDesignAnswer(answer).rationale).toContain('table "orders" is now "orders_records"');
  });

  it('retypes columns of a type PostgreSQL does not know', () => {
    const error = 'PostgreSQL rejected the statement "CREATE TABLE \\"posts\\" (": type "post_status" does not exist';
    const schema = schemaOf(raw(error));
    expect(schema.tables.posts.columns.status.type).toBe('text');
    expect(parseDesignAnswer(raw(error)).rationale).toContain('columns of type "post_status" are now text');
  });

  it('renames an identifier PostgreSQL could not parse', () => {
    const requirements = 'Each item has an order and a label.';
    expect(Object.keys(schemaOf(raw(undefined, requirements)).tables.items.columns)).toEqual([
      'id',
      'order',
      'label',
      'created_at',
    ]);
    const error =
      'PostgreSQL rejected the statement "CREATE TABLE items (order text)": syntax error at or near "order"';
    expect(Object.keys(schemaOf(raw(error, requirements)).tables.items.columns)).toEqual([
      'id',
      'order_value',
      'label',
      'created_at',
    ]);
  });

  it('names a table the refused operations used and this design does not', () => {
    const answer = parseDesignAnswer(
      raw('Operations refused: operation 0 (/tables/ghosts/columns/x): table "ghosts" does not exist'),
    );
    expect(answer.rationale).toMatch(
      /^Corrected after the error \(Operations refused: operation 0 \(\/tables\/ghosts\/columns\/x\): table "ghosts" does not exist\): nothing here creates, alters or references table "ghosts"\./,
    );
    expect(shape(applyOperations(emptySchema(), answer.operations))).toEqual(FIRST);
  });

  it('explains its foreign keys after one that could not be implemented', () => {
    const answer = parseDesignAnswer(
      raw(
        'PostgreSQL rejected the statement "ALTER TABLE x": foreign key constraint "fk_student" cannot be implemented',
      ),
    );
    expect(answer.rationale).toContain(
      'every foreign key is a uuid column referencing the uuid primary key "id" of its table',
    );
  });
});
