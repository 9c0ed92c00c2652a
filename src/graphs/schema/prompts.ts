/**
 * What the schema agent says to the model, and how it reads the answer. The markers let the
 * offline demo responder recognise which step is asking without any other channel.
 */
import type { ChatMessage } from '../../engines/types';
import type { SchemaOperation } from './model/operations';

/** Opens the system prompt of the design step. */
export const DESIGN_MARKER = '[tabgraph:schema-design]';
/** Opens the system prompt of the analysis step. */
export const ANALYSIS_MARKER = '[tabgraph:schema-analysis]';
/** Starts the user message that feeds a failed attempt back to the model. */
export const RETRY_MARKER = 'Your previous answer failed:';
/** Starts the user message that carries the requirements. */
export const REQUIREMENTS_PREFIX = 'Requirements:\n';

const IDENT = { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' };
const NAMES = { type: 'array', items: IDENT, minItems: 1 };
const FK_ACTION = { type: 'string', enum: ['cascade', 'restrict', 'set null', 'set default', 'no action'] };

/** A column, as an operation's value gives it. */
const COLUMN = {
  type: 'object',
  properties: {
    name: IDENT,
    type: { type: 'string', maxLength: 40 },
    nullable: { type: 'boolean' },
    default: { type: 'string', maxLength: 200 },
    check: { type: 'string', maxLength: 200 },
    comment: { type: 'string', maxLength: 200 },
  },
  required: ['name', 'type', 'nullable'],
  additionalProperties: false,
};

/** A constraint: one of four shapes, told apart by `type`. */
const CONSTRAINT = {
  anyOf: [
    {
      type: 'object',
      properties: { name: IDENT, type: { enum: ['primary_key', 'unique'] }, columns: NAMES },
      required: ['name', 'type', 'columns'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { name: IDENT, type: { const: 'check' }, expression: { type: 'string', maxLength: 300 } },
      required: ['name', 'type', 'expression'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        name: IDENT,
        type: { const: 'foreign_key' },
        columns: NAMES,
        references: {
          type: 'object',
          properties: { table: IDENT, columns: NAMES },
          required: ['table', 'columns'],
          additionalProperties: false,
        },
        onDelete: FK_ACTION,
        onUpdate: FK_ACTION,
      },
      required: ['name', 'type', 'columns', 'references'],
      additionalProperties: false,
    },
  ],
};

const INDEX = {
  type: 'object',
  properties: { name: IDENT, columns: NAMES, unique: { type: 'boolean' }, method: { enum: ['btree', 'hash'] } },
  required: ['columns'],
  additionalProperties: false,
};

const TABLE = {
  type: 'object',
  properties: {
    columns: { type: 'array', items: COLUMN, minItems: 1 },
    constraints: { type: 'array', items: CONSTRAINT },
    indexes: { type: 'array', items: INDEX },
    comment: { type: 'string', maxLength: 300 },
  },
  required: ['columns', 'constraints'],
  additionalProperties: false,
};

const ENUM = {
  type: 'object',
  properties: { values: { type: 'array', items: { type: 'string', maxLength: 63 }, minItems: 1 } },
  required: ['values'],
  additionalProperties: false,
};

const SEG = '[a-z_][a-z0-9_]{0,62}';
/** An `add`/`replace` at one kind of path, with the value that path takes. */
const write = (path: string, value: object) => ({
  type: 'object',
  properties: { op: { enum: ['add', 'replace'] }, path: { type: 'string', pattern: `^${path}$` }, value },
  required: ['op', 'path', 'value'],
  additionalProperties: false,
});

/**
 * JSON Schema of the design answer, with the full shape of each operation's value (WebLLM turns
 * it into a grammar, so a small model can only emit what the tool accepts; others just read it).
 */
export const DESIGN_ANSWER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    operations: {
      type: 'array',
      minItems: 1,
      items: {
        anyOf: [
          write(`/enums/${SEG}`, ENUM),
          write(`/tables/${SEG}`, TABLE),
          write(`/tables/${SEG}/columns/${SEG}`, COLUMN),
          write(`/tables/${SEG}/constraints/${SEG}`, CONSTRAINT),
          write(`/tables/${SEG}/indexes/${SEG}`, INDEX),
          {
            type: 'object',
            properties: {
              op: { const: 'remove' },
              path: { type: 'string', pattern: `^/(enums|tables)/${SEG}(/(columns|constraints|indexes)/${SEG})?$` },
            },
            required: ['op', 'path'],
            additionalProperties: false,
          },
        ],
      },
    },
    rationale: { type: 'string', maxLength: 600 },
  },
  required: ['operations', 'rationale'],
  additionalProperties: false,
};

/**
 * Most tokens the design step may answer with (JSON mode can loop on whitespace until a limit):
 * half the model's context window, or {@link DESIGN_MAX_TOKENS} where the window is not known.
 */
export function designMaxTokens(contextWindowTokens?: number): number {
  return contextWindowTokens ? Math.floor(contextWindowTokens / 2) : DESIGN_MAX_TOKENS;
}

/** The design step's limit when the model's window is not known (the demo engine). */
export const DESIGN_MAX_TOKENS = 8192;
/** Most tokens of the analysis step. */
export const ANALYSIS_MAX_TOKENS = 300;
/** How much of a failed answer a retry feeds back (the gist of the mistake, not all of it). */
const RETRY_ANSWER_CHARS = 1500;

const DESIGN_SYSTEM = `${DESIGN_MARKER}
You design PostgreSQL schemas. Answer with JSON only: {"operations": [...], "rationale": "..."}.
Each operation is a JSON Patch over the schema model: {"op": "add"|"remove"|"replace", "path": ..., "value": ...}.
Paths: /enums/{name} (value {"values": ["a","b"]}), /tables/{name} (value {"columns": [...], "constraints": [...], "indexes": [...], "comment": "..."}),
/tables/{t}/columns/{c}, /tables/{t}/constraints/{name}, /tables/{t}/indexes/{name}.
Column: {"name", "type", "nullable": bool, "default"?, "check"?, "comment"?}. Types: integer, bigint, serial, bigserial, numeric(p,s),
boolean, text, varchar(n), uuid, date, timestamptz, jsonb, or an enum name. Defaults and checks: literals, now(), gen_random_uuid(),
comparisons, AND/OR/NOT, IN (...), IS NULL. Constraint: {"name", "type": "primary_key"|"unique"|"check"|"foreign_key", "columns",
"expression" (check), "references": {"table", "columns"}, "onDelete"?}. Index: {"name", "columns", "unique"?}.
Names are lower-case snake_case. Every table needs a primary key; foreign keys reference primary keys.`;

const ANALYSIS_SYSTEM = `${ANALYSIS_MARKER}
You analyse database requirements. In a few short sentences, name the entities, their key attributes and how they relate.
Do not write SQL.`;

/** The analysis prompt. */
export function analysisMessages(requirements: string): ChatMessage[] {
  return [
    { role: 'system', content: ANALYSIS_SYSTEM },
    { role: 'user', content: REQUIREMENTS_PREFIX + requirements },
  ];
}

/** The design prompt, with the previous failure fed back when there is one. */
export function designMessages(
  requirements: string,
  analysis: string,
  retry?: { previousAnswer: string; error: string; attempt: number; cutOffAt?: number | null },
): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: DESIGN_SYSTEM },
    { role: 'user', content: REQUIREMENTS_PREFIX + requirements + (analysis ? `\n\nAnalysis:\n${analysis}` : '') },
  ];
  if (retry) {
    // Long answers are cut: the model needs the gist of its mistake, not its whole output back.
    messages.push({ role: 'assistant', content: retry.previousAnswer.slice(0, RETRY_ANSWER_CHARS) });
    const shorter = retry.cutOffAt
      ? ` Your answer was cut off at the limit of ${retry.cutOffAt} tokens: answer more briefly (compact JSON, no comments, a one-sentence rationale).`
      : '';
    messages.push({
      role: 'user',
      content: `${RETRY_MARKER} ${retry.error}\nThis is attempt ${retry.attempt}. Answer again with the complete corrected JSON (all operations, starting from an empty schema).${shorter}`,
    });
  }
  return messages;
}

/** A model answer that is not the JSON the design step asked for. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

/** The parsed design answer. */
export interface DesignAnswer {
  operations: SchemaOperation[];
  rationale?: string;
}

/**
 * Reads the design answer. Tolerates a Markdown code fence or prose around the JSON object,
 * since small models add them even when told not to.
 * @throws MalformedAnswerError with the reason.
 */
export function parseDesignAnswer(text: string): DesignAnswer {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new MalformedAnswerError('the answer contains no JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    throw new MalformedAnswerError(`the answer is not valid JSON (${(err as Error).message})`);
  }
  const ops = (parsed as { operations?: unknown }).operations;
  if (!Array.isArray(ops)) throw new MalformedAnswerError('the answer has no "operations" array');
  if (ops.length === 0) throw new MalformedAnswerError('the "operations" array is empty');
  const rationale = (parsed as { rationale?: unknown }).rationale;
  return { operations: ops as SchemaOperation[], ...(typeof rationale === 'string' ? { rationale } : {}) };
}

/**
 * Tokens the design step's prompt takes besides the requirements, at most: its instructions, the
 * analysis, a retry's feedback, and the chat template. The requirements get what is left of the
 * model's context after this and the answer's {@link DESIGN_MAX_TOKENS}.
 */
export function designPromptOverheadTokens(countTokens: (text: string) => number): number {
  const template = 32;
  const feedback = countTokens(RETRY_MARKER) + 120;
  return (
    countTokens(DESIGN_SYSTEM) + ANALYSIS_MAX_TOKENS + countTokens('x'.repeat(RETRY_ANSWER_CHARS)) + feedback + template
  );
}
