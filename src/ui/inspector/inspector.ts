import type { LogEntry } from '../../client/runState';

/** Rows the inspector draws at most: enough to read, few enough to stay cheap at any token rate. */
export const INSPECTOR_ROWS = 200;

/** Rows for the inspector: the newest `limit` entries whose name, type or namespace match `query`. */
export function filterLog(log: readonly LogEntry[], query: string, limit = INSPECTOR_ROWS): LogEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return log.slice(-limit);
  const out: LogEntry[] = [];
  // Walk from the newest end so a large log stops early once `limit` matches are found.
  for (let i = log.length - 1; i >= 0 && out.length < limit; i--) {
    const e = log[i];
    if (
      e.name.toLowerCase().includes(q) ||
      e.type.toLowerCase().includes(q) ||
      e.ns.join('|').toLowerCase().includes(q)
    )
      out.push(e);
  }
  return out.reverse();
}

/** A namespace as LangGraph writes it (`parent:task|child:task`), or `root`. */
export function formatNs(ns: readonly string[]): string {
  return ns.length ? ns.join(' › ') : 'root';
}
