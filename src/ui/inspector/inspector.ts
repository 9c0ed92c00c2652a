import type { LogView } from '../../client/runState';

/** Height of one inspector row in px (rows are one line, so the list can be virtual). */
export const ROW_HEIGHT = 24;
/** Rows drawn above and below the visible ones, so a fast scroll shows no blank rows. */
export const OVERSCAN = 4;

/** The rows a query selects: how many, and the log index of the k-th. */
export interface LogRows {
  count: number;
  indexAt(k: number): number;
}

/**
 * The log's rows for a search (by event name, stream mode, kind or namespace, case-insensitive);
 * every row when the query is empty. A search over 100,000 entries is a scan of integer columns,
 * resumed from where it stopped as the log grows (see `EventLog.search`).
 */
export function logRows(log: LogView, query: string): LogRows {
  if (!query.trim()) return { count: log.length, indexAt: (k) => k };
  const { hits, count } = log.search(query);
  return { count, indexAt: (k) => hits[k] };
}

/** The rows to draw for a scroll position: [first, end) in row numbers, overscan included. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  count: number,
  rowHeight = ROW_HEIGHT,
  overscan = OVERSCAN,
): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return [Math.min(first, end), end];
}

/** A namespace as LangGraph writes it (`parent:task|child:task`), or `root`. */
export function formatNs(ns: readonly string[]): string {
  return ns.length ? ns.join(' › ') : 'root';
}

/**
 * Row previews, made once per entry when its row is first drawn (entries never change once
 * logged). Bounded: scrolling through 100,000 rows keeps the last few thousand.
 */
export class PreviewCache {
  private cache = new Map<number, string>();
  private of: object | null = null;

  constructor(
    private readonly make: (store: LogView['store'], index: number) => string,
    private readonly max = 4000,
  ) {}

  get(log: LogView, index: number): string {
    if (this.of !== log.store) {
      this.cache = new Map();
      this.of = log.store;
    }
    let p = this.cache.get(index);
    if (p === undefined) {
      if (this.cache.size >= this.max) this.cache.clear();
      this.cache.set(index, (p = this.make(log.store, index)));
    }
    return p;
  }
}
