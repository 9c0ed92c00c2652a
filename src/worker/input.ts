/**
 * Checks a run's input before anything runs: with the graph's own input schema (LangGraph's
 * validation, zod or StateSchema), then with the graph's `prepareInput`. A refusal is an Error
 * named `InputError` whose `fields` say what is wrong with each field.
 */
import { namedError } from '../shared/errors';
import type { LoadedGraph } from './registry';

interface Issue {
  path?: readonly PropertyKey[];
  message?: string;
}

/** An input error with a message per field, from a zod-style list of issues. */
function fieldsError(issues: readonly Issue[]): Error {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = (issue.path ?? []).map(String).join('.') || '(input)';
    fields[key] ??= issue.message ?? 'is not valid';
  }
  const list = Object.entries(fields).map(([k, m]) => `${k}: ${m}`);
  return Object.assign(namedError('InputError', `The input does not match the graph's schema. ${list.join('; ')}`), {
    fields,
  });
}

/** Returns the input to run `loaded` with, or throws an `InputError`. */
export async function parseRunInput(loaded: LoadedGraph, raw: unknown): Promise<Record<string, unknown>> {
  const input = raw ?? {};
  if (typeof input !== 'object' || Array.isArray(input))
    throw namedError('InputError', `The input of "${loaded.id}" must be a JSON object.`);
  let checked = input as Record<string, unknown>;
  const validate = (loaded.graph as { _validateInput?: (i: unknown) => Promise<unknown> })._validateInput;
  if (typeof validate === 'function') {
    try {
      checked = (await validate.call(loaded.graph, checked)) as Record<string, unknown>;
    } catch (err) {
      const issues = (err as { issues?: unknown }).issues;
      if (Array.isArray(issues)) throw fieldsError(issues as Issue[]);
      throw namedError('InputError', `The input was refused: ${(err as Error).message}`);
    }
  }
  return loaded.meta.prepareInput ? loaded.meta.prepareInput(checked) : checked;
}
