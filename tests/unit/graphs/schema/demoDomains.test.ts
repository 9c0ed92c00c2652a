/**
 * The demo engine on requirements of the kind people write about everyday domains. Every
 * expectation below was written by hand from the text: the tables it names (join tables named
 * `<singular>_<plural>` in alphabetical order) and the foreign keys its verbs imply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRespond } from '../../../../src/graphs/schema/demoResponder';
import { generateDdl } from '../../../../src/graphs/schema/model/ddl';
import { emptySchema, type Schema } from '../../../../src/graphs/schema/model/model';
import { applyOperations } from '../../../../src/graphs/schema/model/operations';
import { DdlValidator } from '../../../../src/graphs/schema/pglite/pglite';
import { designMessages, parseDesignAnswer } from '../../../../src/graphs/schema/prompts';

const validator = new DdlValidator();
// Starting PGlite takes seconds (more with other test files in parallel): do it once, up front.
beforeAll(() => validator.validate([]), 60_000);
afterAll(() => validator.dispose());

const schemaFor = (requirements: string): Schema =>
  applyOperations(
    emptySchema(),
    parseDesignAnswer(demoRespond({ messages: designMessages(requirements, '') })).operations,
  );

/** Every foreign key as "table.column -> referenced". */
const foreignKeys = (schema: Schema) =>
  Object.values(schema.tables).flatMap((t) =>
    Object.values(t.constraints).flatMap((k) =>
      k.type === 'foreign_key' ? [`${t.name}.${k.columns.join(',')} -> ${k.references.table}`] : [],
    ),
  );

interface Domain {
  text: string;
  tables: string[];
  fks: string[];
}

const DOMAINS: Record<string, Domain> = {
  library: {
    text: 'A library system. Members borrow books through loans. Each book has an ISBN, a title and a publication year and is written by an author. Each loan records the book, the member and a due date.',
    tables: ['members', 'loans', 'books', 'authors'],
    fks: ['loans.member_id -> members', 'loans.book_id -> books', 'books.author_id -> authors'],
  },
  clinic: {
    text: 'Patients book appointments with doctors. Each patient has a name, a date of birth and a phone number. Each doctor has a name and a specialty. An appointment has a start time, an end time and notes.',
    tables: ['patients', 'appointments', 'doctors'],
    fks: ['appointments.patient_id -> patients', 'appointments.doctor_id -> doctors'],
  },
  recipes: {
    text: 'Users share recipes. Each recipe has a title, a number of servings and instructions. A recipe uses many ingredients and an ingredient is used in many recipes.',
    tables: ['users', 'recipes', 'ingredients', 'ingredient_recipes'],
    fks: [
      'recipes.user_id -> users',
      'ingredient_recipes.ingredient_id -> ingredients',
      'ingredient_recipes.recipe_id -> recipes',
    ],
  },
  gym: {
    text: 'A gym with members, trainers and classes. Trainers teach classes. Members book classes through bookings.',
    tables: ['members', 'trainers', 'classes', 'bookings'],
    fks: ['classes.trainer_id -> trainers', 'bookings.member_id -> members', 'bookings.class_id -> classes'],
  },
  school: {
    text: 'Students enroll in many courses and courses have many students. Teachers teach courses. Each course has a code and a title.',
    tables: ['students', 'courses', 'teachers', 'course_students'],
    fks: [
      'courses.teacher_id -> teachers',
      'course_students.course_id -> courses',
      'course_students.student_id -> students',
    ],
  },
  'e-commerce': {
    text: 'Customers place orders. Each order has many order items. An order item refers to a product and has a quantity and a unit price. Products belong to categories.',
    tables: ['customers', 'orders', 'order_items', 'products', 'categories'],
    fks: [
      'orders.customer_id -> customers',
      'order_items.order_id -> orders',
      'order_items.product_id -> products',
      'products.category_id -> categories',
    ],
  },
  'project tasks': {
    text: 'Projects contain tasks. Each task has a title, a due date and a status and is assigned to a user. Users write comments on tasks.',
    tables: ['projects', 'tasks', 'users', 'comments'],
    fks: [
      'tasks.project_id -> projects',
      'tasks.user_id -> users',
      'comments.user_id -> users',
      'comments.task_id -> tasks',
    ],
  },
  'blog with tags': {
    text: 'Authors write posts. Readers leave comments on posts. Posts have many tags and tags have many posts.',
    tables: ['authors', 'posts', 'readers', 'comments', 'tags', 'post_tags'],
    fks: [
      'posts.author_id -> authors',
      'comments.reader_id -> readers',
      'comments.post_id -> posts',
      'post_tags.post_id -> posts',
      'post_tags.tag_id -> tags',
    ],
  },
  hotel: {
    text: 'Guests make bookings for rooms. Each room belongs to a hotel and has a number, a type and a nightly price. A booking has a check-in date and a check-out date.',
    tables: ['guests', 'bookings', 'rooms', 'hotels'],
    fks: ['bookings.guest_id -> guests', 'bookings.room_id -> rooms', 'rooms.hotel_id -> hotels'],
  },
  fleet: {
    text: 'A fleet management app. Drivers drive vehicles. Each vehicle has a license plate, a make, a model and a mileage. Vehicles need maintenance records; each maintenance record has a date and a cost.',
    tables: ['drivers', 'vehicles', 'maintenance_records'],
    fks: ['vehicles.driver_id -> drivers', 'maintenance_records.vehicle_id -> vehicles'],
  },
  'event tickets': {
    text: 'Organizers create events. Each event has a name, a venue and a start time. Attendees buy tickets for events; each ticket has a price and a seat number.',
    tables: ['organizers', 'events', 'attendees', 'tickets'],
    fks: ['events.organizer_id -> organizers', 'tickets.attendee_id -> attendees', 'tickets.event_id -> events'],
  },
  'restaurant reservations': {
    text: 'Diners make reservations at restaurants. Each reservation has a date, a time and a party size. Restaurants have many dining tables, and each reservation is for one dining table.',
    tables: ['diners', 'reservations', 'restaurants', 'dining_tables'],
    fks: [
      'reservations.diner_id -> diners',
      'reservations.restaurant_id -> restaurants',
      'dining_tables.restaurant_id -> restaurants',
      'reservations.dining_table_id -> dining_tables',
    ],
  },
  'music playlists': {
    text: 'Users create playlists. A playlist contains many songs and a song can be in many playlists. Each song has a title, a duration and an artist.',
    tables: ['users', 'playlists', 'songs', 'playlist_songs'],
    fks: ['playlists.user_id -> users', 'playlist_songs.playlist_id -> playlists', 'playlist_songs.song_id -> songs'],
  },
  'support tickets': {
    text: 'Customers open support tickets. Each ticket is assigned to an agent and has a subject, a description, a priority and a status. Agents and customers add replies to tickets.',
    tables: ['customers', 'support_tickets', 'agents', 'replies'],
    fks: [
      'support_tickets.customer_id -> customers',
      'support_tickets.agent_id -> agents',
      'replies.agent_id -> agents',
      'replies.customer_id -> customers',
      'replies.support_ticket_id -> support_tickets',
    ],
  },
  inventory: {
    text: 'Products are stored in warehouses. Suppliers supply products. Each product has a SKU, a name and a quantity. Each warehouse has a name and an address.',
    tables: ['products', 'warehouses', 'suppliers'],
    fks: ['products.warehouse_id -> warehouses', 'products.supplier_id -> suppliers'],
  },
  'real estate': {
    text: 'Agents list properties. Each property has an address, a price, a number of bedrooms and a listing date. Buyers make offers on properties; each offer has an amount.',
    tables: ['agents', 'properties', 'buyers', 'offers'],
    fks: ['properties.agent_id -> agents', 'offers.buyer_id -> buyers', 'offers.property_id -> properties'],
  },
  'pet adoption': {
    text: 'Shelters house pets. Each pet has a name, a species, a breed and an age. Adopters submit adoption applications for pets.',
    tables: ['shelters', 'pets', 'adopters', 'adoption_applications'],
    fks: [
      'pets.shelter_id -> shelters',
      'adoption_applications.adopter_id -> adopters',
      'adoption_applications.pet_id -> pets',
    ],
  },
  'sports league': {
    text: 'A league has many teams. Each team has many players. Matches are played between a home team and an away team, and each match has a date and a score.',
    tables: ['leagues', 'teams', 'players', 'matches'],
    fks: [
      'teams.league_id -> leagues',
      'players.team_id -> teams',
      'matches.home_team_id -> teams',
      'matches.away_team_id -> teams',
    ],
  },
  conference: {
    text: 'Speakers give talks at conferences. Each talk has a title, an abstract and a time slot. Attendees register for many conferences.',
    tables: ['speakers', 'talks', 'conferences', 'attendees', 'attendee_conferences'],
    fks: [
      'talks.speaker_id -> speakers',
      'talks.conference_id -> conferences',
      'attendee_conferences.attendee_id -> attendees',
      'attendee_conferences.conference_id -> conferences',
    ],
  },
  bank: {
    text: 'Customers open accounts. Each account has an IBAN and a balance. Transactions belong to accounts; each transaction has an amount, a type and a booking time.',
    tables: ['customers', 'accounts', 'transactions'],
    fks: ['accounts.customer_id -> customers', 'transactions.account_id -> accounts'],
  },
  'human resources': {
    text: 'Employees work in departments. Each department has a name and a budget. Employees have a name, an email and a salary.',
    tables: ['employees', 'departments'],
    fks: ['employees.department_id -> departments'],
  },
  parcels: {
    text: 'Couriers deliver parcels. Each parcel has a tracking number and a weight. Senders send parcels.',
    tables: ['couriers', 'parcels', 'senders'],
    fks: ['parcels.courier_id -> couriers', 'parcels.sender_id -> senders'],
  },
  airline: {
    text: 'Passengers book seats on flights. Each flight has a flight number, a departure time and an arrival time, and belongs to an airline.',
    tables: ['passengers', 'seats', 'flights', 'airlines'],
    fks: ['seats.passenger_id -> passengers', 'seats.flight_id -> flights', 'flights.airline_id -> airlines'],
  },
  'car rental': {
    text: 'Customers sign rental agreements for cars. Each rental agreement has a start date and an end date.',
    tables: ['customers', 'rental_agreements', 'cars'],
    fks: ['rental_agreements.customer_id -> customers', 'rental_agreements.car_id -> cars'],
  },
  // Lists without verbs: the usual references between well-known tables stand in.
  'blog as a list': {
    text: 'a blog with users, posts and comments',
    tables: ['users', 'posts', 'comments'],
    fks: ['posts.author_id -> users', 'comments.post_id -> posts', 'comments.author_id -> users'],
  },
  'shop as a list': {
    text: 'An e-commerce shop with products, customers, orders and order items.',
    tables: ['products', 'customers', 'orders', 'order_items'],
    fks: ['orders.customer_id -> customers', 'order_items.order_id -> orders', 'order_items.product_id -> products'],
  },
};

describe('demo engine on everyday domains', () => {
  it.each(Object.entries(DOMAINS))(
    '%s: the tables named, the foreign keys implied, DDL Postgres accepts',
    async (_, d) => {
      const schema = schemaFor(d.text);
      expect(Object.keys(schema.tables).sort()).toEqual([...d.tables].sort());
      expect(foreignKeys(schema)).toEqual(expect.arrayContaining(d.fks));
      const result = await validator.validate(generateDdl(schema));
      expect(result.errors).toEqual([]);
    },
  );

  it('covers at least 20 domains', () => {
    expect(Object.keys(DOMAINS).length).toBeGreaterThanOrEqual(20);
  });
});
