import type { ChatRequest } from '../../engines/types';
import { DEMO_ENTITIES, type DemoColumn, type DemoEntity } from './demoCatalog';
import { ANALYSIS_MARKER, DESIGN_MARKER, REQUIREMENTS_PREFIX, RETRY_MARKER } from './prompts';

/**
 * What the offline demo engine answers: deterministic, no weights. The schema agent's design
 * step (recognised by its marker) gets valid schema operations derived from the requirements,
 * its analysis step gets plain sentences, and any other prompt a short echo.
 */
export function demoRespond(request: ChatRequest): string {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  const requirements = requirementsOf(request);
  if (system.includes(DESIGN_MARKER)) {
    const retryOf = request.messages.findLast((m) => m.role === 'user' && m.content.startsWith(RETRY_MARKER));
    return designAnswer(requirements, retryOf?.content.slice(RETRY_MARKER.length).split('\n')[0].trim());
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

/** A table the demo will create: a catalog entity, or a generic one for an unknown noun. */
type Picked = DemoEntity;

/** Picks entities named in the text, pulls in what they require, adds join tables, falls back to `items`. */
export function pickEntities(text: string): Picked[] {
  const lower = text.toLowerCase();
  const words = new Set(lower.match(/[a-z_]+/g) ?? []);
  const chosen = new Set<string>();
  const byTable = new Map(DEMO_ENTITIES.map((e) => [e.table, e]));
  for (const e of DEMO_ENTITIES) if (e.words.some((w) => words.has(w))) chosen.add(e.table);
  if (/\b(order|line)[ _-]?items?\b/.test(lower)) chosen.add('order_items');
  for (const t of [...chosen]) for (const r of byTable.get(t)!.requires ?? []) chosen.add(r);
  for (const e of DEMO_ENTITIES)
    if (e.words.length === 0 && e.requires?.every((r) => chosen.has(r))) chosen.add(e.table);
  const picked: Picked[] = DEMO_ENTITIES.filter((e) => chosen.has(e.table));
  // "order items" is already order_items; its last word must not become a table of its own.
  const known = new Set([...DEMO_ENTITIES.flatMap((e) => e.words), ...(chosen.has('order_items') ? ['items'] : [])]);
  for (const noun of listedNouns(lower))
    if (!known.has(noun) && !picked.some((p) => p.table === noun)) picked.push(generic(noun));
  return picked.length ? picked : [generic('items')];
}

/** Plural nouns in "with a, b and c" lists: how people list what they want to store. */
function listedNouns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\bwith ([^.;:!?]+)/g))
    for (const part of m[1].split(/,|\band\b|&/)) {
      const noun = part.trim().split(/\s+/).at(-1) ?? '';
      if (/^[a-z]{3,30}s$/.test(noun) && !out.includes(noun)) out.push(noun);
    }
  return out;
}

function generic(table: string): Picked {
  return {
    table,
    words: [],
    columns: [
      { name: 'name', type: 'varchar(200)', nullable: false },
      { name: 'description', type: 'text' },
      { name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()' },
    ],
    comment: `${table} named in the requirements.`,
  };
}

const singular = (t: string) => (t.endsWith('ies') ? `${t.slice(0, -3)}y` : t.replace(/s$/, ''));
const cut = (s: string) => s.slice(0, 63);

/** Resolves references against the picked tables: drops dangling ones, renames retargeted ones. */
function resolveColumns(e: Picked, present: Set<string>): (DemoColumn & { target?: string })[] {
  const out: (DemoColumn & { target?: string })[] = [];
  for (const c of e.columns) {
    if (!c.ref) {
      out.push(c);
      continue;
    }
    const target = c.ref.find((t) => present.has(t) && t !== e.table);
    if (!target) continue;
    const name = target === c.ref[0] ? c.name : `${singular(target)}_id`;
    if (!out.some((o) => o.name === name)) out.push({ ...c, name, target });
  }
  return out;
}

function designAnswer(requirements: string, error?: string): string {
  const picked = pickEntities(requirements);
  const present = new Set(picked.map((p) => p.table));
  const operations: unknown[] = [];
  const enums = new Map<string, string[]>();
  for (const e of picked) for (const [n, v] of Object.entries(e.enums ?? {})) enums.set(n, v);
  for (const [n, values] of enums) operations.push({ op: 'add', path: `/enums/${n}`, value: { values } });
  const indexOps: unknown[] = [];
  for (const e of picked) {
    const cols = resolveColumns(e, present);
    const constraints: unknown[] = [{ name: cut(`${e.table}_pkey`), type: 'primary_key', columns: ['id'] }];
    for (const c of cols) {
      if (c.unique) constraints.push({ name: cut(`uq_${e.table}_${c.name}`), type: 'unique', columns: [c.name] });
      if (!c.target) continue;
      constraints.push({
        name: cut(`fk_${e.table}_${c.name}`),
        type: 'foreign_key',
        columns: [c.name],
        references: { table: c.target, columns: ['id'] },
        onDelete: c.nullable === false ? 'cascade' : 'set null',
      });
      // Postgres does not index referencing columns itself; joins and cascades need one.
      if (!e.uniqueTogether?.some((u) => u[0] === c.name))
        indexOps.push({
          op: 'add',
          path: `/tables/${e.table}/indexes/${cut(`idx_${e.table}_${c.name}`)}`,
          value: { columns: [c.name] },
        });
    }
    for (const u of e.uniqueTogether ?? [])
      constraints.push({ name: cut(`uq_${e.table}_${u.join('_')}`), type: 'unique', columns: u });
    const columns = [
      { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()' },
      ...cols.map(({ name, type, nullable, default: d, check }) => ({
        name,
        type,
        nullable: nullable ?? true,
        ...(d ? { default: d } : {}),
        ...(check ? { check } : {}),
      })),
    ];
    operations.push({ op: 'add', path: `/tables/${e.table}`, value: { columns, constraints, comment: e.comment } });
  }
  operations.push(...indexOps);
  const rationale =
    (error ? `Corrected after the error (${error.slice(0, 200)}): rebuilt the design from the requirements. ` : '') +
    `Tables: ${picked.map((p) => p.table).join(', ')}. Every table has a uuid primary key; references are foreign keys with an index.`;
  return JSON.stringify({ operations, rationale }, null, 1);
}

function analysisAnswer(requirements: string): string {
  const picked = pickEntities(requirements);
  const present = new Set(picked.map((p) => p.table));
  const lines = [
    `The requirements describe ${picked.length} entit${picked.length === 1 ? 'y' : 'ies'}: ${picked.map((p) => p.table).join(', ')}.`,
  ];
  for (const e of picked) {
    const refs = resolveColumns(e, present).flatMap((c) => (c.target ? [c.target] : []));
    if (refs.length) lines.push(`Each row of ${e.table} belongs to ${refs.join(' and ')}.`);
  }
  lines.push('Every table gets a uuid primary key and timestamps where they help.');
  return lines.join(' ');
}
