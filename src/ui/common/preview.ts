/**
 * A compact, bounded JSON-like preview of any chunk.
 *
 * `JSON.stringify` of a `values` chunk serialises the whole graph state (DDL included) only to
 * throw most of it away; this walk stops as soon as `max` characters are written, so a preview
 * costs O(max) whatever the chunk's size, and it cannot throw on cycles or BigInts.
 */
export function compactPreview(value: unknown, max = 160): string {
  let out = '';
  const seen = new Set<object>();
  const full = () => out.length >= max;
  const write = (s: string) => {
    out += s;
  };
  const walk = (v: unknown, depth: number): void => {
    if (full()) return;
    if (v === null || v === undefined) return write(String(v));
    switch (typeof v) {
      case 'string':
        return write(JSON.stringify(v.length > max ? v.slice(0, max) : v));
      case 'number':
      case 'boolean':
        return write(String(v));
      case 'bigint':
        return write(`${v}n`);
      case 'function':
      case 'symbol':
        return write(`<${typeof v}>`);
    }
    const obj = v as object;
    if (seen.has(obj)) return write('<cycle>');
    if (depth > 6) return write(Array.isArray(obj) ? '[…]' : '{…}');
    seen.add(obj);
    if (Array.isArray(obj)) {
      write('[');
      for (let i = 0; i < obj.length && !full(); i++) {
        if (i) write(',');
        walk(obj[i], depth + 1);
      }
      write(']');
    } else {
      write('{');
      let first = true;
      for (const k in obj) {
        if (full()) break;
        if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
        if (!first) write(',');
        first = false;
        write(/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
        write(':');
        walk((obj as Record<string, unknown>)[k], depth + 1);
      }
      write('}');
    }
    seen.delete(obj);
  };
  walk(value, 0);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
