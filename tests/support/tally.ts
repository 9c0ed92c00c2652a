import { afterAll } from 'vitest';

/**
 * For a test file that tries many cases: `tally(kind)` counts one case of `kind`, and after the
 * file's tests the counts are logged as `<label> cases tried: {...}`.
 */
export function casesTried(label: string) {
  const tried: Record<string, number> = {};
  afterAll(() => console.log(`${label} cases tried: ${JSON.stringify(tried)}`));
  return { tried, tally: (kind: string) => (tried[kind] = (tried[kind] ?? 0) + 1) };
}
