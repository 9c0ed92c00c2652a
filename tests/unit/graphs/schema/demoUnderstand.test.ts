/**
 * What the demo engine reads in requirements: attributes and their column types, references
 * from verbs, many-to-many pairs, and the language. Expected values are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { demoRespond } from '../../../../src/graphs/schema/demoResponder';
import { emptySchema, IDENTIFIER_PATTERN, type Schema } from '../../../../src/graphs/schema/model/model';
import { applyOperations } from '../../../../src/graphs/schema/model/operations';
import { analysisMessages, designMessages, parseDesignAnswer } from '../../../../src/graphs/schema/prompts';

const answer = (requirements: string) => parseDesignAnswer(demoRespond({ messages: designMessages(requirements, '') }));
const schemaFor = (requirements: string): Schema => applyOperations(emptySchema(), answer(requirements).operations);
const analysis = (requirements: string) => demoRespond({ messages: analysisMessages(requirements) });
/** A table's columns as "name type[ not null][ default][ check]", expressions as the model keeps them. */
const columns = (schema: Schema, table: string) =>
  Object.values(schema.tables[table].columns).map(
    (c) =>
      `${c.name} ${c.type}${c.nullable ? '' : ' not null'}${c.default ? ` default ${c.default}` : ''}${c.check ? ` check ${c.check}` : ''}`,
  );
const foreignKeys = (schema: Schema) =>
  Object.values(schema.tables).flatMap((t) =>
    Object.values(t.constraints).flatMap((k) =>
      k.type === 'foreign_key' ? [`${t.name}.${k.columns.join(',')} -> ${k.references.table}`] : [],
    ),
  );

describe('attributes', () => {
  it('"has a title and a due date" gives columns title and due_date', () => {
    const schema = schemaFor('Each task has a title and a due date.');
    expect(Object.keys(schema.tables)).toEqual(['tasks']);
    expect(columns(schema, 'tasks')).toEqual([
      'id uuid not null default gen_random_uuid()',
      'title varchar(200) not null',
      'due_date date',
      'created_at timestamptz not null default now()',
    ]);
  });

  it('types columns by their names', () => {
    const schema = schemaFor(
      'Each product has a name, a contact email, a price, a quantity, a release date, a last updated time and an ISBN. Each product is available.',
    );
    expect(columns(schema, 'products')).toEqual([
      'id uuid not null default gen_random_uuid()',
      'name varchar(200) not null',
      `contact_email varchar(255) check "contact_email" LIKE '%@%'`,
      'price numeric(10,2) check "price" >= 0',
      'quantity integer check "quantity" >= 0',
      'release_date date',
      'last_updated_time timestamptz',
      'isbn varchar(17) not null',
      'is_available boolean not null default FALSE',
      'created_at timestamptz not null default now()',
    ]);
    // An ISBN identifies a book: unique.
    expect(schema.tables.products.constraints.uq_products_isbn).toEqual({
      name: 'uq_products_isbn',
      type: 'unique',
      columns: ['isbn'],
    });
  });

  it('reads attributes after "with", a colon, or in parentheses', () => {
    expect(Object.keys(schemaFor('Books with a price.').tables.books.columns)).toEqual(['id', 'price', 'created_at']);
    expect(Object.keys(schemaFor('Customers: name, email, phone number.').tables.customers.columns)).toEqual([
      'id',
      'name',
      'email',
      'phone_number',
      'created_at',
    ]);
    expect(Object.keys(schemaFor('Store employees (name, hire date).').tables.employees.columns)).toEqual([
      'id',
      'name',
      'hire_date',
      'created_at',
    ]);
  });

  it('does not take a verb for a table', () => {
    expect(Object.keys(schemaFor('Customers place orders.').tables)).toEqual(['customers', 'orders']);
    expect(Object.keys(schemaFor('Tasks have a title and are assigned to users.').tables)).toEqual(['tasks', 'users']);
  });
});

describe('relationships', () => {
  it('makes a verb between two tables a foreign key, with an index', () => {
    const schema = schemaFor('Customers place orders. A post belongs to a user.');
    expect(foreignKeys(schema)).toEqual(['orders.customer_id -> customers', 'posts.user_id -> users']);
    expect(schema.tables.orders.indexes).toEqual({
      idx_orders_customer_id: { name: 'idx_orders_customer_id', columns: ['customer_id'] },
    });
    expect(schema.tables.orders.columns.customer_id).toEqual({ name: 'customer_id', type: 'uuid', nullable: false });
  });

  it('"each X records the Y" makes X refer to Y', () => {
    expect(foreignKeys(schemaFor('Each loan records the book and the member.'))).toEqual([
      'loans.book_id -> books',
      'loans.member_id -> members',
    ]);
  });

  it.each([
    ['tags on posts (many-to-many)', 'post_tags', 'post_id', 'tag_id'],
    ['Students enroll in many courses and courses have many students.', 'course_students', 'course_id', 'student_id'],
    ['There is a many-to-many relationship between movies and actors.', 'actor_movies', 'actor_id', 'movie_id'],
  ])('%j becomes a join table with two foreign keys, unique together', (text, join, a, b) => {
    const t = schemaFor(text).tables[join];
    expect(Object.keys(t.columns)).toEqual(['id', a, b, 'created_at']);
    expect(
      Object.values(t.constraints).map((k) =>
        k.type === 'foreign_key'
          ? `${k.columns[0]} -> ${k.references.table}`
          : `${k.type} ${'columns' in k ? k.columns.join(',') : ''}`,
      ),
    ).toEqual([
      'primary_key id',
      `unique ${a},${b}`,
      `${a} -> ${a.replace(/_id$/, 's')}`,
      `${b} -> ${b.replace(/_id$/, 's')}`,
    ]);
    // The unique constraint's index serves the first column; the second gets its own.
    expect(Object.values(t.indexes).map((i) => i.columns)).toEqual([[b]]);
  });

  it('names a second reference to the same table by its role', () => {
    const schema = schemaFor('Teams play matches. Each match has a home team and an away team.');
    expect(foreignKeys(schema)).toEqual(
      expect.arrayContaining(['matches.home_team_id -> teams', 'matches.away_team_id -> teams']),
    );
  });

  it('describes entities and relationships in the analysis', () => {
    expect(
      analysis('Customers place orders. Each order has a total. Posts have many tags and tags have many posts.'),
    ).toBe(
      'The requirements describe 4 entities: customers, orders, posts, tags. Attributes of orders: total. ' +
        'Each row of orders belongs to one row of customers (customers place orders). ' +
        'posts and tags are many-to-many (posts have tags), linked by post_tags. ' +
        'Every table gets a uuid primary key and a created_at timestamp.',
    );
  });
});

describe('language and odd input', () => {
  const NOTE =
    /^The demo engine only understands English requirements; this text (does not look like English|is not written in the Latin alphabet)/;

  it.each([
    ['French', 'Une bibliothèque avec des livres, des auteurs et des emprunts', 'does not look like English'],
    ['Spanish', 'Una tienda con productos, clientes y pedidos', 'does not look like English'],
    ['Japanese', '図書館のシステム：本、著者、貸出', 'is not written in the Latin alphabet'],
    ['Arabic', 'متجر مع منتجات وطلبات وعملاء', 'is not written in the Latin alphabet'],
  ])('%s gets a clear note in the analysis and the rationale, and a placeholder table', (_, text, why) => {
    expect(analysis(text)).toMatch(NOTE);
    expect(analysis(text)).toContain(why);
    const a = answer(text);
    expect(a.rationale).toMatch(NOTE);
    expect(Object.keys(applyOperations(emptySchema(), a.operations).tables)).toEqual(['items']);
  });

  it('takes English with emoji or odd characters as English', () => {
    expect(Object.keys(schemaFor('🛒 a shop with products 📦 and orders').tables)).toEqual(['products', 'orders']);
  });

  it.each([
    'users"; DROP TABLE users; -- and posts\'); DELETE FROM pg_class; --',
    'a table named x; CREATE ROLE admin SUPERUSER; with columns id',
    'Ünïcödé çüstömers with nämes',
    `${'very '.repeat(40)}long entity names`,
  ])('makes valid, plain identifiers from %j', (text) => {
    const schema = schemaFor(text);
    for (const t of Object.values(schema.tables)) {
      expect(t.name).toMatch(IDENTIFIER_PATTERN);
      expect(t.name.startsWith('pg_')).toBe(false);
      for (const c of Object.keys(t.columns)) expect(c).toMatch(IDENTIFIER_PATTERN);
    }
  });

  it('keeps a name given literally', () => {
    expect(Object.keys(schemaFor('a table named x; CREATE ROLE admin SUPERUSER; with columns id').tables)).toContain(
      'x',
    );
  });
});
