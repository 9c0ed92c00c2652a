/** Small statistics helpers for the benchmark. */

/** The q-quantile (0..1) of `xs`, by linear interpolation; null for an empty list. */
export function quantile(/** @type {number[]} */ xs, /** @type {number} */ q) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (/** @type {number[]} */ xs) => quantile(xs, 0.5);

/** Rounds to `digits` decimals; passes null through. */
export function round(/** @type {number | null} */ x, digits = 0) {
  if (x === null || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Medians, field by field, of a list of flat objects: numeric fields (nulls, from runs that could
 * not measure them, are skipped); other fields are kept when every run agrees, else dropped.
 */
export function medians(/** @type {Record<string, unknown>[]} */ runs, digits = 2) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const key of Object.keys(runs[0] ?? {})) {
    const values = runs.map((r) => r[key]);
    const numbers = /** @type {number[]} */ (values.filter((v) => typeof v === 'number'));
    if (numbers.length && values.every((v) => typeof v === 'number' || v === null || v === undefined))
      out[key] = round(median(numbers), digits);
    else if (values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]))) out[key] = values[0];
  }
  return out;
}
