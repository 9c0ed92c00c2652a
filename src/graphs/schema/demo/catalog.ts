/**
 * Well-known tables: default columns for a table the text names without describing it, and the
 * references such tables usually have when the text lists them without saying how they relate
 * ("a blog with users, posts and comments"). It never decides which tables exist: that is the
 * text's job. Columns here are keyed by table name; references only apply between tables present.
 */

/** A default column of a well-known table: a name and, for enums, the enum to create. */
export interface KnownColumn {
  name: string;
  /** Overrides the type {@link columnFor} would give the name. */
  type?: string;
  nullable?: boolean;
  default?: string;
}

/** A usual reference: a column pointing at the first of `to` present in the design. */
export interface UsualReference {
  column: string;
  to: string[];
}

/** Defaults for a well-known table. */
export interface KnownTable {
  columns: KnownColumn[];
  enums?: Record<string, string[]>;
  references?: UsualReference[];
  comment: string;
}

const c = (name: string, more: Omit<KnownColumn, 'name'> = {}): KnownColumn => ({ name, ...more });
const status = (type: string, first: string) => c('status', { type, nullable: false, default: `'${first}'` });

/** Tables that enough demos mention to deserve believable defaults. */
export const KNOWN_TABLES: Record<string, KnownTable> = {
  users: { columns: [c('email'), c('name')], comment: 'People who sign in.' },
  authors: { columns: [c('name'), c('bio')], comment: 'People who write.' },
  customers: { columns: [c('email'), c('name'), c('phone')], comment: 'People who buy.' },
  categories: { columns: [c('name'), c('description')], comment: 'Groups of things.' },
  posts: {
    columns: [c('title'), c('body', { nullable: false }), status('post_status', 'draft'), c('published_at')],
    enums: { post_status: ['draft', 'published', 'archived'] },
    references: [{ column: 'author_id', to: ['users', 'authors'] }],
    comment: 'Published writing.',
  },
  comments: {
    columns: [c('body', { nullable: false })],
    references: [
      { column: 'post_id', to: ['posts', 'articles'] },
      { column: 'author_id', to: ['users'] },
    ],
    comment: 'Responses to posts.',
  },
  products: {
    columns: [
      c('sku'),
      c('name'),
      c('description'),
      c('price', { nullable: false }),
      c('stock', { nullable: false, default: '0' }),
    ],
    references: [{ column: 'category_id', to: ['categories'] }],
    comment: 'Things for sale.',
  },
  orders: {
    columns: [status('order_status', 'pending'), c('total', { nullable: false, default: '0' })],
    enums: { order_status: ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] },
    references: [{ column: 'customer_id', to: ['customers', 'users'] }],
    comment: 'Purchases.',
  },
  order_items: {
    columns: [c('quantity', { nullable: false }), c('unit_price', { nullable: false })],
    references: [
      { column: 'order_id', to: ['orders'] },
      { column: 'product_id', to: ['products'] },
    ],
    comment: 'Products in an order.',
  },
  reviews: {
    columns: [c('rating', { nullable: false }), c('body')],
    references: [
      { column: 'product_id', to: ['products', 'books', 'courses'] },
      { column: 'author_id', to: ['customers', 'users', 'students'] },
    ],
    comment: 'Opinions.',
  },
  teachers: { columns: [c('email'), c('name')], comment: 'People who teach.' },
  students: { columns: [c('email'), c('name'), c('birth_date')], comment: 'People who learn.' },
  courses: {
    columns: [c('code', { nullable: false }), c('title'), c('credits', { nullable: false, default: '3' })],
    references: [{ column: 'teacher_id', to: ['teachers'] }],
    comment: 'What is taught.',
  },
  enrollments: {
    columns: [status('enrollment_status', 'active'), c('grade', { type: 'varchar(2)' })],
    enums: { enrollment_status: ['active', 'completed', 'dropped'] },
    references: [
      { column: 'student_id', to: ['students'] },
      { column: 'course_id', to: ['courses'] },
    ],
    comment: 'Which student takes which course.',
  },
  books: {
    columns: [c('isbn'), c('title'), c('published_on')],
    references: [{ column: 'author_id', to: ['authors'] }],
    comment: 'Books.',
  },
  loans: {
    columns: [c('borrowed_on', { nullable: false, default: 'current_date' }), c('due_date'), c('returned_on')],
    references: [
      { column: 'book_id', to: ['books', 'copies'] },
      { column: 'member_id', to: ['members', 'users'] },
    ],
    comment: 'Who borrowed what, and until when.',
  },
  tags: { columns: [c('name')], comment: 'Free-form labels.' },
  departments: { columns: [c('name')], comment: 'Parts of an organisation.' },
  employees: {
    columns: [c('email'), c('name'), c('salary'), c('hired_on', { nullable: false, default: 'current_date' })],
    references: [{ column: 'department_id', to: ['departments'] }],
    comment: 'People employed.',
  },
  projects: {
    columns: [c('name'), c('description')],
    references: [{ column: 'owner_id', to: ['users', 'employees'] }],
    comment: 'Pieces of work.',
  },
  tasks: {
    columns: [c('title'), status('task_status', 'todo'), c('due_on')],
    enums: { task_status: ['todo', 'doing', 'done'] },
    references: [
      { column: 'project_id', to: ['projects'] },
      { column: 'assignee_id', to: ['users', 'employees'] },
    ],
    comment: 'Things to do.',
  },
  payments: {
    columns: [c('amount', { nullable: false }), c('paid_at', { nullable: false, default: 'now()' })],
    references: [{ column: 'order_id', to: ['orders', 'invoices', 'bookings'] }],
    comment: 'Money received.',
  },
  appointments: {
    columns: [c('starts_at', { nullable: false }), c('ends_at')],
    references: [
      { column: 'patient_id', to: ['patients', 'clients', 'customers'] },
      { column: 'doctor_id', to: ['doctors', 'vets', 'staff'] },
    ],
    comment: 'Booked time slots.',
  },
  bookings: {
    columns: [c('check_in_date', { nullable: false }), c('check_out_date', { nullable: false })],
    references: [
      { column: 'guest_id', to: ['guests', 'customers', 'users'] },
      { column: 'room_id', to: ['rooms'] },
    ],
    comment: 'Reservations.',
  },
  messages: {
    columns: [c('body', { nullable: false })],
    references: [{ column: 'sender_id', to: ['users'] }],
    comment: 'Messages sent.',
  },
};

/** Tables a system usually has, for requirements that name only the system ("a blog"). */
export const DOMAIN_HINTS: Record<string, string[]> = {
  blog: ['users', 'posts', 'comments'],
  library: ['books', 'members', 'loans'],
  shop: ['customers', 'products', 'orders'],
  store: ['customers', 'products', 'orders'],
  school: ['students', 'courses', 'enrollments'],
  clinic: ['patients', 'doctors', 'appointments'],
  hotel: ['guests', 'rooms', 'bookings'],
  todo: ['users', 'tasks'],
  chat: ['users', 'messages'],
};
