import { namedError } from '../shared/errors';
import type { GraphMeta } from './types';

/** A graph's `prepareInput` that trims one text field and refuses it blank, saying `message`. */
export function requireText(field: string, message: string): NonNullable<GraphMeta['prepareInput']> {
  return (input) => {
    const text = String(input[field] ?? '').trim();
    if (!text) throw Object.assign(namedError('InputError', message), { fields: { [field]: message } });
    return { ...input, [field]: text };
  };
}
