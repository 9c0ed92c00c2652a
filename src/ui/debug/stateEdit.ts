/** Checks a state edit before it is sent as `updateState`: a JSON object over the state's keys. */

/** What the edit writes, or why it cannot be sent. */
export type StateEdit = { ok: true; update: Record<string, unknown> } | { ok: false; error: string };

/**
 * Reads the edited JSON. Only keys whose value changed from `original` are written: writing an
 * unchanged list again would append it twice where the state's reducer concatenates.
 */
export function parseStateEdit(text: string, original: unknown, stateKeys: readonly string[]): StateEdit {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, error: 'The state must be a JSON object.' };
  const unknown = stateKeys.length ? Object.keys(parsed).filter((k) => !stateKeys.includes(k)) : [];
  if (unknown.length)
    return {
      ok: false,
      error: `Not keys of this graph's state: ${unknown.join(', ')}. Its keys are: ${stateKeys.join(', ')}.`,
    };
  const before = (original && typeof original === 'object' ? original : {}) as Record<string, unknown>;
  const update: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) if (JSON.stringify(v) !== JSON.stringify(before[k])) update[k] = v;
  if (Object.keys(update).length === 0) return { ok: false, error: 'Nothing was changed.' };
  return { ok: true, update };
}
