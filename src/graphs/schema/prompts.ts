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

/** JSON Schema of the design answer (WebLLM turns it into a grammar; others just read it). */
export const DESIGN_ANSWER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    operations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          op: { type: 'string', enum: ['add', 'remove', 'replace'] },
          path: { type: 'string' },
          value: {},
        },
        required: ['op', 'path'],
      },
    },
    rationale: { type: 'string' },
  },
  required: ['operations'],
};

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
  retry?: { previousAnswer: string; error: string; attempt: number },
): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: DESIGN_SYSTEM },
    { role: 'user', content: REQUIREMENTS_PREFIX + requirements + (analysis ? `\n\nAnalysis:\n${analysis}` : '') },
  ];
  if (retry) {
    // Long answers are cut: the model needs the gist of its mistake, not its whole output back.
    messages.push({ role: 'assistant', content: retry.previousAnswer.slice(0, 4000) });
    messages.push({
      role: 'user',
      content: `${RETRY_MARKER} ${retry.error}\nThis is attempt ${retry.attempt}. Answer again with the complete corrected JSON (all operations, starting from an empty schema).`,
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
