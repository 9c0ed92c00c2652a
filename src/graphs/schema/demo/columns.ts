/**
 * Column types by attribute name: what a careful designer would pick for "email", "price" or
 * "due date". A source of sensible types, not of what exists: any attribute the text names
 * becomes a column, and unknown names get `text`.
 */

/** A column as the design step writes it, before it gets a name. */
export interface ColumnSpec {
  type: string;
  nullable: boolean;
  default?: string;
  /** Check over the column itself, written with `$` for the (quoted) column name. */
  check?: string;
  unique?: boolean;
}

const spec = (type: string, more: Partial<ColumnSpec> = {}): ColumnSpec => ({ type, nullable: true, ...more });
const money = spec('numeric(10,2)', { check: '$ >= 0' });
const count = spec('integer', { check: '$ >= 0' });
const moment = spec('timestamptz');
const day = spec('date');
const yesNo = spec('boolean', { nullable: false, default: 'false' });
const link = spec('varchar(2048)');
const label = spec('varchar(32)');
const longText = spec('text');

/** Exact names. */
const EXACT: Record<string, ColumnSpec> = {
  email: spec('varchar(255)', { nullable: false, unique: true, check: "$ LIKE '%@%'" }),
  name: spec('varchar(200)', { nullable: false }),
  title: spec('varchar(200)', { nullable: false }),
  phone: spec('varchar(32)'),
  mobile: spec('varchar(32)'),
  isbn: spec('varchar(17)', { nullable: false, unique: true }),
  sku: spec('varchar(64)', { nullable: false, unique: true }),
  vin: spec('varchar(17)', { unique: true }),
  slug: spec('varchar(200)', { unique: true }),
  username: spec('varchar(64)', { nullable: false, unique: true }),
  password: spec('varchar(255)'),
  password_hash: spec('varchar(255)'),
  iban: spec('varchar(34)'),
  code: label,
  currency: spec('varchar(3)'),
  rating: spec('smallint', { check: '$ BETWEEN 1 AND 5' }),
  stars: spec('smallint', { check: '$ BETWEEN 1 AND 5' }),
  balance: spec('numeric(12,2)', { nullable: false, default: '0' }),
  latitude: spec('numeric(9,6)'),
  longitude: spec('numeric(9,6)'),
  deadline: moment,
  timestamp: moment,
  time: moment,
  datetime: moment,
  birthday: day,
  dob: day,
  date_of_birth: day,
  date: day,
  due: day,
};

/** Name patterns, first match wins. */
const PATTERNS: [RegExp, ColumnSpec][] = [
  [/^(is|has|can)_/, yesNo],
  [
    /^(active|available|enabled|verified|paid|published|archived|completed|done|confirmed|cancelled|canceled|sold|adopted|vegetarian|vegan|public|private|featured|open|closed|visible|approved|resolved)$/,
    yesNo,
  ],
  [/_at$/, moment],
  [/_(time|timestamp|datetime)$/, moment],
  [/(^|_)(date|day|birthday)$|_on$/, day],
  [/(^|_)(price|cost|amount|total|salary|fee|budget|deposit|rent|wage|fare|tax|discount|subtotal)$/, money],
  [
    /(^|_)(count|quantity|stock|capacity|seats|credits|calories|servings|copies|beds|bedrooms|bathrooms|floors|pages|points|goals|laps|reps|sets|mileage|odometer)$|^(number_of|num)_/,
    count,
  ],
  [
    /(^|_)(age|year|duration|minutes|hours|days|level|rank|position|floor|round|week|month|priority_level|jersey_number|shirt_number)$/,
    spec('integer'),
  ],
  [
    /(^|_)(score|weight|height|length|width|depth|distance|area|size_sqm|square_feet|square_meters|volume|percentage|percent|rate|interest_rate|temperature)$/,
    spec('numeric(10,2)'),
  ],
  [/(^|_)(email)$/, spec('varchar(255)', { check: "$ LIKE '%@%'" })],
  [/(^|_)(phone|phone_number|mobile|fax)$/, spec('varchar(32)')],
  [/(^|_)(url|website|link|image|photo|avatar|picture|logo|thumbnail|cover)$/, link],
  [/(^|_)(name|title|label|headline|subject)$/, spec('varchar(200)')],
  [
    /(^|_)(status|state|type|kind|role|gender|category|priority|severity|genre|tier|plan|size|color|colour|species|breed|condition|method|channel|format|unit)$/,
    label,
  ],
  [
    /(^|_)(code|number|plate|license_plate|licence_plate|zip|zip_code|postcode|postal_code|reference|serial|serial_number|room_number|seat|seat_number|row)$/,
    spec('varchar(32)'),
  ],
  [
    /(^|_)(city|country|region|language|nationality|brand|make|model|manufacturer|venue|location|cuisine|author|artist|publisher|director)$/,
    spec('varchar(100)'),
  ],
  [
    /(^|_)(description|body|content|notes|note|bio|summary|text|comment|details|instructions|address|abstract|message|reason|diagnosis|lyrics|feedback|review|answer|question|steps|ingredients_text|symptoms|prescription|specialty|specialization)$/,
    longText,
  ],
];

/** The column for an attribute name (snake_case). */
export function columnFor(name: string): ColumnSpec {
  if (Object.hasOwn(EXACT, name)) return { ...EXACT[name] };
  for (const [re, s] of PATTERNS) if (re.test(name)) return { ...s };
  return spec('text');
}

/**
 * Words that name a property rather than a thing, even in the plural ("users have emails") or
 * as the object of a verb ("each user chooses a password"). Only consulted where a phrase could
 * be either; a table the text clearly names is never refused because of this list.
 */
const COLUMN_WORDS = new Set(
  (
    'name names email emails title titles phone phones price prices cost amount total salary fee date dates time times ' +
    'description notes note bio summary status rating score quantity count age year duration address addresses password ' +
    'username isbn sku code number deadline birthday capacity stock weight height size color colour url website ' +
    'balance budget deposit rent currency level rank priority gender role type kind label email_address phone_number ' +
    'due_date start_date end_date start_time end_time first_name last_name full_name birth_date date_of_birth ' +
    'location latitude longitude city country zip postcode description body content text timestamp created_at updated_at ' +
    'instructions directions notes details remarks symptoms ingredients_text sets reps servings calories'
  ).split(' '),
);

/** Whether an attribute-looking name (snake_case) is a property word rather than a thing. */
export function isColumnWord(name: string): boolean {
  return (
    COLUMN_WORDS.has(name) ||
    /_(at|date|time|name|number|count|price|amount|email|phone|url|id)$/.test(name) ||
    /^(is|has)_/.test(name)
  );
}

/** Renders a spec's check for a column, quoting the name so that any identifier works. */
export function checkFor(s: ColumnSpec, column: string): string | undefined {
  return s.check?.replaceAll('$', `"${column}"`);
}
