/**
 * Entities the offline demo responder knows, with sensible columns and relations. Not a model:
 * a lookup table that makes the demo produce believable, valid schemas without any weights.
 */

/** A column of a demo entity; `ref` makes it a foreign key to the first present table listed. */
export interface DemoColumn {
  name: string;
  type: string;
  nullable?: boolean;
  default?: string;
  check?: string;
  unique?: boolean;
  ref?: string[];
}

export interface DemoEntity {
  /** Table name. */
  table: string;
  /** Words in the requirements that mean this entity (singular and plural). */
  words: string[];
  columns: DemoColumn[];
  /** Enums this entity needs: name -> labels. */
  enums?: Record<string, string[]>;
  /** Column sets that must be unique together. */
  uniqueTogether?: string[][];
  /** Only added when all of these tables are present (join tables). */
  requires?: string[];
  comment: string;
}

const created: DemoColumn = { name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()' };
const name = (len = 100): DemoColumn => ({ name: 'name', type: `varchar(${len})`, nullable: false });
const email: DemoColumn = {
  name: 'email',
  type: 'varchar(255)',
  nullable: false,
  unique: true,
  check: "email LIKE '%@%'",
};
const money = (col: string): DemoColumn => ({
  name: col,
  type: 'numeric(10,2)',
  nullable: false,
  check: `${col} >= 0`,
});

/** Order matters: referenced tables come before the tables that reference them. */
export const DEMO_ENTITIES: DemoEntity[] = [
  {
    table: 'users',
    words: ['user', 'users', 'account', 'accounts'],
    columns: [email, name(), created],
    comment: 'People who sign in.',
  },
  {
    table: 'authors',
    words: ['author', 'authors', 'writer', 'writers'],
    columns: [name(), { name: 'bio', type: 'text' }, created],
    comment: 'People who write.',
  },
  {
    table: 'customers',
    words: ['customer', 'customers', 'client', 'clients', 'buyer', 'buyers'],
    columns: [email, name(), { name: 'phone', type: 'varchar(32)' }, created],
    comment: 'People who buy.',
  },
  {
    table: 'categories',
    words: ['category', 'categories'],
    columns: [
      { ...name(), unique: true },
      { name: 'description', type: 'text' },
    ],
    comment: 'Groups of things.',
  },
  {
    table: 'posts',
    words: ['post', 'posts', 'article', 'articles', 'blog'],
    enums: { post_status: ['draft', 'published', 'archived'] },
    columns: [
      { name: 'author_id', type: 'uuid', nullable: false, ref: ['users', 'authors'] },
      { name: 'title', type: 'varchar(200)', nullable: false },
      { name: 'body', type: 'text', nullable: false },
      { name: 'status', type: 'post_status', nullable: false, default: "'draft'" },
      { name: 'published_at', type: 'timestamptz' },
      created,
    ],
    comment: 'Published writing.',
  },
  {
    table: 'comments',
    words: ['comment', 'comments', 'reply', 'replies'],
    columns: [
      { name: 'post_id', type: 'uuid', nullable: false, ref: ['posts'] },
      { name: 'author_id', type: 'uuid', ref: ['users'] },
      { name: 'body', type: 'text', nullable: false, check: 'length(body) > 0' },
      created,
    ],
    comment: 'Responses to posts.',
  },
  {
    table: 'products',
    words: ['product', 'products', 'goods', 'shop', 'store', 'inventory'],
    columns: [
      { name: 'sku', type: 'varchar(64)', nullable: false, unique: true },
      name(200),
      { name: 'description', type: 'text' },
      money('price'),
      { name: 'stock', type: 'integer', nullable: false, default: '0', check: 'stock >= 0' },
      { name: 'category_id', type: 'uuid', ref: ['categories'] },
      created,
    ],
    comment: 'Things for sale.',
  },
  {
    table: 'orders',
    words: ['order', 'orders', 'purchase', 'purchases', 'checkout'],
    enums: { order_status: ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] },
    columns: [
      { name: 'customer_id', type: 'uuid', nullable: false, ref: ['customers', 'users'] },
      { name: 'status', type: 'order_status', nullable: false, default: "'pending'" },
      { ...money('total'), default: '0' },
      created,
    ],
    comment: 'Purchases.',
  },
  {
    table: 'order_items',
    words: ['order_items', 'line', 'lines'],
    requires: ['orders', 'products'],
    columns: [
      { name: 'order_id', type: 'uuid', nullable: false, ref: ['orders'] },
      { name: 'product_id', type: 'uuid', nullable: false, ref: ['products'] },
      { name: 'quantity', type: 'integer', nullable: false, check: 'quantity > 0' },
      money('unit_price'),
    ],
    uniqueTogether: [['order_id', 'product_id']],
    comment: 'Products in an order.',
  },
  {
    table: 'reviews',
    words: ['review', 'reviews', 'rating', 'ratings'],
    columns: [
      { name: 'product_id', type: 'uuid', nullable: false, ref: ['products', 'books', 'courses'] },
      { name: 'author_id', type: 'uuid', ref: ['customers', 'users', 'students'] },
      { name: 'rating', type: 'smallint', nullable: false, check: 'rating BETWEEN 1 AND 5' },
      { name: 'body', type: 'text' },
      created,
    ],
    comment: 'Opinions.',
  },
  {
    table: 'teachers',
    words: ['teacher', 'teachers', 'instructor', 'instructors', 'professor', 'professors'],
    columns: [email, name(), created],
    comment: 'People who teach.',
  },
  {
    table: 'students',
    words: ['student', 'students', 'pupil', 'pupils', 'school', 'learners'],
    columns: [email, name(), { name: 'birth_date', type: 'date' }, created],
    comment: 'People who learn.',
  },
  {
    table: 'courses',
    words: ['course', 'courses', 'class', 'classes', 'subject', 'subjects'],
    columns: [
      { name: 'code', type: 'varchar(20)', nullable: false, unique: true },
      { name: 'title', type: 'varchar(200)', nullable: false },
      { name: 'credits', type: 'integer', nullable: false, default: '3', check: 'credits > 0' },
      { name: 'teacher_id', type: 'uuid', ref: ['teachers'] },
    ],
    comment: 'What is taught.',
  },
  {
    table: 'enrollments',
    words: ['enrollment', 'enrollments', 'enrolment', 'enrolments', 'enroll', 'registrations'],
    requires: ['students', 'courses'],
    enums: { enrollment_status: ['active', 'completed', 'dropped'] },
    columns: [
      { name: 'student_id', type: 'uuid', nullable: false, ref: ['students'] },
      { name: 'course_id', type: 'uuid', nullable: false, ref: ['courses'] },
      { name: 'status', type: 'enrollment_status', nullable: false, default: "'active'" },
      { name: 'grade', type: 'varchar(2)' },
      { name: 'enrolled_at', type: 'timestamptz', nullable: false, default: 'now()' },
    ],
    uniqueTogether: [['student_id', 'course_id']],
    comment: 'Which student takes which course.',
  },
  {
    table: 'books',
    words: ['book', 'books', 'library'],
    columns: [
      { name: 'isbn', type: 'varchar(17)', nullable: false, unique: true },
      { name: 'title', type: 'varchar(300)', nullable: false },
      { name: 'author_id', type: 'uuid', ref: ['authors'] },
      { name: 'published_on', type: 'date' },
    ],
    comment: 'Books.',
  },
  {
    table: 'tags',
    words: ['tag', 'tags', 'label', 'labels'],
    columns: [{ ...name(50), unique: true }],
    comment: 'Free-form labels.',
  },
  {
    table: 'post_tags',
    words: [],
    requires: ['posts', 'tags'],
    columns: [
      { name: 'post_id', type: 'uuid', nullable: false, ref: ['posts'] },
      { name: 'tag_id', type: 'uuid', nullable: false, ref: ['tags'] },
    ],
    uniqueTogether: [['post_id', 'tag_id']],
    comment: 'Tags on posts.',
  },
  {
    table: 'departments',
    words: ['department', 'departments', 'team', 'teams'],
    columns: [{ ...name(), unique: true }],
    comment: 'Parts of an organisation.',
  },
  {
    table: 'employees',
    words: ['employee', 'employees', 'staff', 'worker', 'workers'],
    columns: [
      email,
      name(),
      { name: 'department_id', type: 'uuid', ref: ['departments'] },
      money('salary'),
      { name: 'hired_on', type: 'date', nullable: false, default: 'current_date' },
    ],
    comment: 'People employed.',
  },
  {
    table: 'projects',
    words: ['project', 'projects'],
    columns: [
      name(200),
      { name: 'description', type: 'text' },
      { name: 'owner_id', type: 'uuid', ref: ['users', 'employees'] },
      created,
    ],
    comment: 'Pieces of work.',
  },
  {
    table: 'tasks',
    words: ['task', 'tasks', 'todo', 'todos', 'ticket', 'tickets'],
    enums: { task_status: ['todo', 'doing', 'done'] },
    columns: [
      { name: 'project_id', type: 'uuid', ref: ['projects'] },
      { name: 'title', type: 'varchar(200)', nullable: false },
      { name: 'status', type: 'task_status', nullable: false, default: "'todo'" },
      { name: 'assignee_id', type: 'uuid', ref: ['users', 'employees'] },
      { name: 'due_on', type: 'date' },
      created,
    ],
    comment: 'Things to do.',
  },
  {
    table: 'payments',
    words: ['payment', 'payments', 'invoice', 'invoices', 'billing'],
    columns: [
      { name: 'order_id', type: 'uuid', ref: ['orders'] },
      money('amount'),
      { name: 'paid_at', type: 'timestamptz', nullable: false, default: 'now()' },
    ],
    comment: 'Money received.',
  },
];
