/**
 * The offline demo engine's answers: deterministic, no weights. The schema agent's design step
 * (recognised by its marker) gets schema operations for what compromise and a small reading of
 * English found in the requirements; its analysis step gets plain sentences; any other prompt a
 * short echo.
 */
import type { ChatRequest } from '../../../engines/types';
import { ANALYSIS_MARKER, DESIGN_MARKER, REQUIREMENTS_PREFIX, RETRY_MARKER } from '../prompts';
import { MAX_OPERATIONS } from '../model/operations';
import { buildDesign, MAX_TABLES, type Design } from './design';
import { languageNote } from './language';
import { toOperations } from './patch';
import { applyRetry } from './retry';
import { understand, type Understanding } from './understand';

/** Answers a chat request as the demo engine. */
export function demoRespond(request: ChatRequest): string {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  const requirements = requirementsOf(request);
  if (system.includes(DESIGN_MARKER)) {
    const retry = request.messages.findLast((m) => m.role === 'user' && m.content.startsWith(RETRY_MARKER));
    return designAnswer(requirements, retry ? errorOf(retry.content) : undefined);
  }
  if (system.includes(ANALYSIS_MARKER)) return analysisAnswer(requirements);
  const last = request.messages.at(-1)?.content ?? '';
  return `This is the offline demo engine, without an LLM. You said: ${last}`;
}

function requirementsOf(request: ChatRequest): string {
  const first = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const text = first.startsWith(REQUIREMENTS_PREFIX) ? first.slice(REQUIREMENTS_PREFIX.length) : first;
  return text.split('\n\nAnalysis:\n')[0];
}

/** The error of a retry message: what follows the marker, without the closing instructions. */
function errorOf(content: string): string {
  return content
    .slice(RETRY_MARKER.length)
    .split(/\nThis is attempt \d+\./)[0]
    .trim();
}

/** Analysis and design read the same text in one run: reading it once is enough. */
let cached: { text: string; understood: Understanding } | null = null;
function understood(text: string): Understanding {
  if (cached?.text !== text) cached = { text, understood: understand(text) };
  return cached.understood;
}

/** Operations a retry may add (a reviewer's table or columns) on top of a design. */
const RETRY_MARGIN = 20;

/**
 * The design for `requirements`: what was understood, or a placeholder saying why not. Fewer
 * tables when the answer would hold more operations than the design step accepts.
 */
export function designFor(requirements: string): Design {
  const u = understood(requirements);
  for (let max = MAX_TABLES; ; max = Math.floor(max * 0.75)) {
    const design = buildDesign(u, languageNote(u.language), max);
    if (max <= 1 || toOperations(design).length <= MAX_OPERATIONS - RETRY_MARGIN) return design;
  }
}

function designAnswer(requirements: string, error?: string): string {
  let design = designFor(requirements);
  let compact = false;
  let said = '';
  if (error !== undefined) {
    ({ design, said, compact } = applyRetry(design, error));
  }
  const operations = toOperations(design);
  const rationale = [said, ...design.notes, describe(design)].filter(Boolean).join(' ');
  return compact ? JSON.stringify({ operations, rationale }) : JSON.stringify({ operations, rationale }, null, 1);
}

/** One sentence per kind of thing in the design. */
function describe(design: Design): string {
  const fks = design.tables.flatMap((t) =>
    t.joins ? [] : t.foreignKeys.map((k) => `${t.name}.${k.column} -> ${k.table}${k.why ? ` (${k.why})` : ''}`),
  );
  const joins = design.tables.filter((t) => t.joins);
  return [
    `Tables: ${design.tables.map((t) => t.name).join(', ')}.`,
    fks.length ? `Foreign keys: ${fks.join('; ')}.` : '',
    joins.length ? `Many-to-many: ${joins.map((j) => `${j.name} links ${j.joins!.join(' and ')}`).join('; ')}.` : '',
    'Every table has a uuid primary key "id"; every foreign key column has an index.',
  ]
    .filter(Boolean)
    .join(' ');
}

function analysisAnswer(requirements: string): string {
  const u = understood(requirements);
  const design = designFor(requirements);
  const entities = design.tables.filter((t) => !t.joins);
  const lines: string[] = [];
  if (!u.language.english) lines.push(languageNote(u.language));
  lines.push(
    `The requirements describe ${entities.length} entit${entities.length === 1 ? 'y' : 'ies'}: ${entities.map((t) => t.name).join(', ')}.`,
  );
  lines.push(...design.notes.filter((n) => n !== languageNote(u.language)));
  for (const e of u.entities)
    if (e.attributes.length) lines.push(`Attributes of ${e.table}: ${e.attributes.map((a) => a.name).join(', ')}.`);
  for (const t of entities)
    for (const k of t.foreignKeys)
      lines.push(`Each row of ${t.name} belongs to one row of ${k.table}${k.why ? ` (${k.why})` : ''}.`);
  for (const j of design.tables.filter((t) => t.joins))
    lines.push(
      `${j.joins![0]} and ${j.joins![1]} are many-to-many${j.foreignKeys[0]?.why ? ` (${j.foreignKeys[0].why})` : ''}, linked by ${j.name}.`,
    );
  lines.push('Every table gets a uuid primary key and a created_at timestamp.');
  return lines.join(' ');
}
