/**
 * The schema design agent as the worker host sees it: a {@link GraphDefinition} with id `schema`.
 */
import { namedError } from '../../shared/errors';
import type { GraphDefinition, RunnableGraph } from '../types';
import { buildSchemaGraph } from './graph';

export { SCHEMA_NODE_NAMES, DEFAULT_MAX_ATTEMPTS, buildSchemaGraph, type SchemaGraphOptions } from './graph';
export { VALIDATE_NODE_NAMES } from './validate';
export { SCHEMA_TOOL_NAME } from './nodes';
export { SchemaState, type SchemaStateType, type ValidationState, type DesignStatus } from './state';
export { StreamingEventDispatcher, instrumentNode } from './events';

/** Longest requirements text a run accepts. */
export const MAX_REQUIREMENTS_CHARS = 20_000;

/** Custom events the schema agent dispatches (besides `custom_token`/`token_update` from the LLM helper). */
export const SCHEMA_EVENT_NAMES = [
  'progress_update',
  'step_complete',
  'schema_progress',
  'tool_start',
  'tool_success',
  'tool_error',
  'node_progress',
  'node_start',
  'node_complete',
  'execution_error',
] as const;

/** Control characters except tab (\u0009) and newline (\u000a). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Checks the run input `{requirements: string}`: control characters other than newline and tab
 * are dropped, then empty and oversized text is refused with an `InputError`.
 */
export function parseSchemaInput(input: unknown): { requirements: string } {
  if (
    typeof input !== 'object' ||
    input === null ||
    typeof (input as { requirements?: unknown }).requirements !== 'string'
  )
    throw namedError('InputError', 'Input must be an object with a "requirements" string.');
  const requirements = (input as { requirements: string }).requirements.replace(CONTROL_CHARS, '');
  if (requirements.trim() === '')
    throw namedError(
      'InputError',
      'Requirements are empty: describe the data to store, e.g. "a blog with users, posts and comments".',
    );
  if (requirements.length > MAX_REQUIREMENTS_CHARS)
    throw namedError(
      'InputError',
      `Requirements are too long: ${requirements.length} characters, the limit is ${MAX_REQUIREMENTS_CHARS}.`,
    );
  return { requirements: requirements.trim() };
}

/** The schema design graph for the worker host. */
export const schemaGraph: GraphDefinition = {
  id: 'schema',
  // The worker's checkpointer (IndexedDB) makes every run a thread that survives reloads.
  build: (ctx, checkpointer) =>
    buildSchemaGraph(ctx, { checkpointer: checkpointer ?? false }) as unknown as RunnableGraph,
  parseInput: parseSchemaInput,
};
