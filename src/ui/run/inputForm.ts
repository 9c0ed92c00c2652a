/**
 * A form from a graph's input JSON Schema: which fields to show and how, and the checks the page
 * makes before a run is sent (the worker checks again with the graph's own schema).
 */

/** The JSON Schema keywords the form reads. */
export interface FieldSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

/** How one field is edited. */
export type FieldKind = 'text' | 'textarea' | 'number' | 'integer' | 'boolean' | 'select' | 'json';

/** One field of the form. */
export interface Field {
  key: string;
  label: string;
  kind: FieldKind;
  schema: FieldSchema;
  required: boolean;
}

/** Strings allowed to be this long get a multi-line box. */
const LONG_TEXT = 200;

/** "due_date" and "dueDate" read as "Due date". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

function typeOf(s: FieldSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  return s.type;
}

function kindOf(s: FieldSchema): FieldKind {
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((v) => typeof v === 'string')) return 'select';
  switch (typeOf(s)) {
    case 'string':
      return (s.maxLength ?? 0) > LONG_TEXT ? 'textarea' : 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

/** The fields of an object schema, or null when the schema is not one the form can draw. */
export function fieldsOf(schema: Record<string, unknown> | null): Field[] | null {
  if (!schema || schema.type !== 'object' || typeof schema.properties !== 'object' || !schema.properties) return null;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties as Record<string, FieldSchema>).map(([key, s]) => ({
    key,
    label: s.title ?? humanize(key),
    kind: kindOf(s ?? {}),
    schema: s ?? {},
    required: required.has(key),
  }));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What is wrong with one field's value, or null. */
export function checkField(field: Field, value: unknown): string | null {
  const s = field.schema;
  const empty = value === undefined || value === '' || value === null;
  if (empty) return field.required ? 'Required.' : null;
  switch (field.kind) {
    case 'text':
    case 'textarea':
      if (typeof value !== 'string') return 'Must be text.';
      if (s.minLength !== undefined && value.length < s.minLength)
        return `At least ${plural(s.minLength, 'character')}.`;
      if (s.maxLength !== undefined && value.length > s.maxLength)
        return `At most ${plural(s.maxLength, 'character')}.`;
      return null;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Must be a number.';
      if (field.kind === 'integer' && !Number.isInteger(value)) return 'Must be a whole number.';
      if (s.minimum !== undefined && value < s.minimum) return `At least ${s.minimum}.`;
      if (s.maximum !== undefined && value > s.maximum) return `At most ${s.maximum}.`;
      return null;
    case 'select':
      return s.enum?.includes(value) ? null : `One of: ${s.enum?.join(', ')}.`;
    default:
      return null;
  }
}

/**
 * Problems by field key; empty when the input can be sent. A string field whose minimum length
 * is at least 1 must be filled in, even when the schema marks no field as required.
 */
export function checkInput(fields: readonly Field[], input: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const f of fields) {
    const value = input[f.key];
    const mustFill = (f.kind === 'text' || f.kind === 'textarea') && (f.schema.minLength ?? 0) > 0;
    const blank = value === undefined || (typeof value === 'string' && value.trim() === '');
    const problem = mustFill && blank ? 'Required.' : checkField(f, value);
    if (problem) problems[f.key] = problem;
  }
  return problems;
}
