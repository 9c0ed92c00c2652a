/**
 * The assistant's answers on the offline demo engine: deterministic, no weights. It reads the
 * conversation the model would read (the question, its earlier tool calls and their results)
 * and answers as a tool-using model would: arithmetic through the calculator one operation at a
 * time (independent operations in one turn), database questions through the schema tools, then
 * a final answer built from the results.
 */
import type { ChatRequest } from '../../../engines/types';
import { envelopeText, parseEnvelope, parseToolResults, type EnvelopeCall } from '../../../llm/toolProtocol';
import type { Operation } from '../tools/exact';
import { findExpression, show, showStep, type Expr } from './expression';

/** A tool call the conversation already made, with its result. */
interface Done {
  name: string;
  args: Record<string, unknown>;
  content: string;
}

const calls = (...list: EnvelopeCall[]) => envelopeText({ tool_calls: list });
const answer = (content: string) => envelopeText({ content });

export const DEMO_HELP =
  'This is the offline demo engine, without an LLM: it answers two kinds of questions by calling the tools as a ' +
  'model would. Try arithmetic ("What is 12 * (3 + 4)?") or the database ("Which tables are there?", ' +
  '"Describe the posts table", "How many comments are there?").';

/** The demo engine's answer to one request of the assistant's model. */
export function respondAsAssistant(request: ChatRequest): string {
  const { question, done } = readConversation(request);
  if (!request.jsonSchema) return DEMO_HELP;
  const expr = findExpression(question);
  if (expr) return arithmetic(expr, done);
  if (isDatabaseQuestion(question) || done.some((d) => d.name !== 'calculator')) return database(question, done);
  return answer(DEMO_HELP);
}

/** The latest question, and the tool calls made since, paired with their results in order. */
function readConversation(request: ChatRequest): { question: string; done: Done[] } {
  const turns = request.messages;
  let start = -1;
  for (let i = turns.length - 1; i >= 0; i--)
    if (turns[i].role === 'user' && parseToolResults(turns[i].content) === null) {
      start = i;
      break;
    }
  const done: Done[] = [];
  let pending: EnvelopeCall[] = [];
  for (const turn of turns.slice(start + 1)) {
    if (turn.role === 'assistant') pending = parseEnvelope(turn.content)?.tool_calls ?? [];
    else if (turn.role === 'user') {
      const results = parseToolResults(turn.content) ?? [];
      pending.forEach((call, i) => done.push({ ...call, content: results[i]?.content ?? '' }));
      pending = [];
    }
  }
  return { question: start >= 0 ? turns[start].content : '', done };
}

const isError = (content: string) => content.startsWith('Error');
/** A tool error as a sentence ("Error: X\n Please fix your mistakes." becomes "X"). */
const errorText = (content: string) =>
  content
    .replace(/^Error:\s*/, '')
    .replace(/\s*Please fix your mistakes\.?\s*$/, '')
    .trim();

type Evaluated = { value: number } | { pending: EnvelopeCall[] } | { error: string };

function arithmetic(expr: Expr, done: Done[]): string {
  const key = (op: unknown, a: unknown, b: unknown) => `${op}|${a}|${b}`;
  const results = new Map(
    done.filter((d) => d.name === 'calculator').map((d) => [key(d.args.operation, d.args.a, d.args.b), d.content]),
  );
  const evaluate = (e: Expr): Evaluated => {
    if (e.kind === 'number') return { value: e.value };
    const left = evaluate(e.left);
    const right = evaluate(e.right);
    if ('error' in left) return left;
    if ('error' in right) return right;
    if ('value' in left && 'value' in right) {
      const result = results.get(key(e.op, left.value, right.value));
      if (result === undefined)
        return { pending: [{ name: 'calculator', args: { operation: e.op, a: left.value, b: right.value } }] };
      if (isError(result)) return { error: errorText(result) };
      const value = Number(result);
      return Number.isFinite(value) ? { value } : { error: `the calculator answered "${result}"` };
    }
    return { pending: [...('pending' in left ? left.pending : []), ...('pending' in right ? right.pending : [])] };
  };
  const outcome = evaluate(expr);
  if ('pending' in outcome) {
    // The same operation twice, as in (3 + 4) × (3 + 4), is computed once.
    const unique = new Map(outcome.pending.map((c) => [key(c.args.operation, c.args.a, c.args.b), c]));
    return calls(...unique.values());
  }
  if ('error' in outcome) return answer(`I could not compute ${show(expr)}: ${outcome.error}`);
  const steps = done
    .filter((d) => d.name === 'calculator')
    .map((d) => `${showStep(d.args.operation as Operation, Number(d.args.a), Number(d.args.b))} = ${d.content}`);
  const how = steps.length > 1 ? ` Step by step: ${steps.join('; ')}.` : '';
  return answer(`${show(expr)} = ${outcome.value}.${how}`);
}

const DATABASE_WORDS =
  /\b(tables?|columns?|schema|database|db|sql|rows?|fields?|keys?|indexes|indices|references?|relations?|relationships?)\b/i;

/** Questions about the schema, or counts ("how many comments are there?"), which only the database knows. */
function isDatabaseQuestion(question: string): boolean {
  return DATABASE_WORDS.test(question) || /\bhow many\b/i.test(question);
}

interface TableInfo {
  name: string;
  columns: number;
}

interface Description {
  table: string;
  columns: { name: string; type: string; not_null?: boolean; identity?: boolean }[];
  constraints: string[];
}

function parseJson<T>(content: string): T | null {
  try {
    return JSON.parse(content) as T;
  } catch {
    return null;
  }
}

/** True when `question` names `table` (or its singular) as a word. */
function mentions(question: string, table: string): boolean {
  const singular = table.replace(/ies$/, 'y').replace(/s$/, '');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b(${escape(table)}|${escape(singular)})\\b`, 'i').test(question);
}

function database(question: string, done: Done[]): string {
  const listed = done.find((d) => d.name === 'list_tables');
  if (!listed) return calls({ name: 'list_tables', args: {} });
  if (isError(listed.content)) return answer(`I could not read the database: ${errorText(listed.content)}`);
  const tables = parseJson<{ tables: TableInfo[] }>(listed.content)?.tables ?? [];
  const named = tables.filter((t) => mentions(question, t.name));
  const wantsList = named.length === 0 || /\b(which|what|list|all)\b[^?]*\btables\b/i.test(question);
  const counting = /\bhow many\b/i.test(question) && !/\bhow many (tables|columns)\b/i.test(question);

  const countSql = (table: string) => `SELECT count(*) AS count FROM "${table}"`;
  const ran = (sql: string) => done.find((d) => d.name === 'run_sql' && d.args.sql === sql);
  const described = (table: string) => done.find((d) => d.name === 'describe_table' && d.args.table === table);
  if (counting && named.length) {
    const missing = named.filter((t) => !ran(countSql(t.name)));
    if (missing.length) return calls(...missing.map((t) => ({ name: 'run_sql', args: { sql: countSql(t.name) } })));
  } else if (!wantsList) {
    const missing = named.filter((t) => !described(t.name));
    if (missing.length) return calls(...missing.map((t) => ({ name: 'describe_table', args: { table: t.name } })));
  }

  const parts: string[] = [];
  if (wantsList || (!counting && named.length === 0))
    parts.push(
      tables.length
        ? `The database has ${tables.length} tables: ${tables.map((t) => `${t.name} (${t.columns} columns)`).join(', ')}.`
        : 'The database has no tables.',
    );
  for (const t of named) {
    const count = ran(countSql(t.name));
    if (count) parts.push(countSentence(t.name, count.content));
    const d = described(t.name);
    if (d) parts.push(describeSentence(d.content));
  }
  return answer(parts.join(' '));
}

function countSentence(table: string, content: string): string {
  if (isError(content)) return `Counting ${table} failed: ${errorText(content)}`;
  const n = parseJson<{ rows: unknown[][] }>(content)?.rows?.[0]?.[0];
  return `${table} has ${n} rows (the database holds its schema only, so every table is empty).`;
}

function describeSentence(content: string): string {
  if (isError(content)) return errorText(content);
  const d = parseJson<Description>(content);
  if (!d) return content;
  const columns = d.columns.map(
    (c) => `${c.name} ${c.type}${c.identity ? ' (identity)' : c.not_null ? ' not null' : ''}`,
  );
  const keys = d.constraints.length ? ` Constraints: ${d.constraints.join('; ')}.` : '';
  return `${d.table} has ${d.columns.length} columns: ${columns.join(', ')}.${keys}`;
}
