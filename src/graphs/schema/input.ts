/**
 * The schema agent's input: its schema (zod, so LangGraph validates it and the page draws a form
 * from it) and the checks beyond it.
 */
import { z } from 'zod';
import { approxTokens, inputBudgetChars } from '../../engines/models';
import type { ChatEngine } from '../../engines/types';
import { namedError } from '../../shared/errors';
import { designMaxTokens, designPromptOverheadTokens } from './prompts';

/** Longest requirements text a run accepts. */
export const MAX_REQUIREMENTS_CHARS = 20_000;

/** The input schema: what the database must store, in the user's words. */
export const SchemaInput = z.object({
  requirements: z
    .string()
    .min(1, 'Requirements are empty: describe the data to store, e.g. "a blog with users, posts and comments".')
    .max(MAX_REQUIREMENTS_CHARS, {
      error: (issue) =>
        `Requirements are too long: ${String(issue.input).length} characters, the limit is ${MAX_REQUIREMENTS_CHARS}.`,
    })
    .describe('What the database must store, in your words: entities, their attributes and how they relate.'),
});

/** Control characters except tab (\u0009) and newline (\u000a). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The longest requirements the engine's model can take: its context window must hold the design
 * step's prompt (instructions, analysis, a retry's feedback), the requirements and the answer.
 * {@link MAX_REQUIREMENTS_CHARS} where the window is not known.
 */
export function requirementsLimit(engine?: Pick<ChatEngine, 'contextWindowTokens'>): number {
  const window = engine?.contextWindowTokens;
  if (!window) return MAX_REQUIREMENTS_CHARS;
  const budget = inputBudgetChars(window, designPromptOverheadTokens(approxTokens), designMaxTokens(window));
  return Math.min(MAX_REQUIREMENTS_CHARS, budget);
}

/**
 * Checks the run input `{requirements: string}`: control characters other than newline and tab
 * are dropped, then empty and oversized text is refused with an `InputError`. With an `engine`,
 * the limit is what its model's context window holds ({@link requirementsLimit}).
 */
export function parseSchemaInput(
  input: unknown,
  engine?: Pick<ChatEngine, 'contextWindowTokens' | 'modelId'>,
): { requirements: string } {
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
  const limit = requirementsLimit(engine);
  if (requirements.length > limit)
    throw namedError(
      'InputError',
      `Requirements are too long for ${engine?.modelId ?? 'this model'}: ${requirements.length} characters, but its ` +
        `${engine?.contextWindowTokens}-token context holds about ${limit} beside the agent's prompt and answer. ` +
        'Shorten them, or choose a model with a larger context window.',
    );
  return { requirements: requirements.trim() };
}
