/**
 * Pure helpers of the state view: a JSON tree over any graph's state, searched and paged so that
 * a state of any size renders a bounded number of rows. Values are shown as text, never markup.
 */

/** An object key or an array index. */
export type PathPart = string | number;

/** A tree to show: the run's state, or one subgraph's state. */
export interface TreeRoot {
  id: string;
  label: string;
  value: unknown;
}

export type ValueKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'other';

/** How many children of a container are shown at first, and added by each "show more". */
export const PAGE = 100;
/** How many characters of a string are shown at first; "show more" adds {@link TEXT_STEP}. */
export const TEXT_CLIP = 160;
export const TEXT_STEP = 4000;
/** The most values a search looks at: a huge state is searched in part, and says so. */
export const SEARCH_LIMIT = 100_000;

/** A path's identity, unambiguous whatever the keys contain. */
export function pathId(path: readonly PathPart[]): string {
  return JSON.stringify(path);
}

/** The id of a child, from its parent's id: the same as `pathId([...path, key])`, in O(key). */
export function childId(parentId: string, key: PathPart): string {
  return `${parentId.slice(0, -1)},${JSON.stringify(key)}]`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A path as a reader writes it, below its root: `messages[2].content`, `schema["odd key"]`. */
export function pathText(path: readonly PathPart[]): string {
  let out = '';
  for (const p of path.slice(1)) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (IDENT.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

export function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'other';
  }
}

const isContainer = (k: ValueKind) => k === 'object' || k === 'array';

/** The children of an object (own enumerable keys) or an array (indices); none for the rest. */
export function childEntries(v: unknown): [PathPart, unknown][] {
  if (Array.isArray(v)) return v.map((c, i) => [i, c]);
  if (v && typeof v === 'object') return Object.entries(v);
  return [];
}

/** The number of children, without building them. */
export function sizeOf(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

/** What a container holds, in words: `3 items`, `1 key`. */
export function countText(kind: ValueKind, size: number): string {
  return kind === 'array' ? `${size} ${size === 1 ? 'item' : 'items'}` : `${size} ${size === 1 ? 'key' : 'keys'}`;
}

/** A leaf value as text: strings quoted as JSON writes them, the rest as JavaScript prints them. */
export function leafText(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function' || typeof v === 'symbol') return `<${typeof v}>`;
  return String(v);
}

/** What a search compares with the query: a string's own characters, other leaves as shown. */
function searchText(v: unknown): string {
  return typeof v === 'string' ? v : leafText(v);
}

export interface SearchResult {
  /** Path ids of the nodes whose key or value contains the query. */
  matches: Set<string>;
  /** Path ids of every ancestor of a match: the containers to open. */
  open: Set<string>;
  /** True when the search stopped at {@link SEARCH_LIMIT} values. */
  truncated: boolean;
}

/** A value met by the search; ids are worked out only for matches and their ancestors. */
interface Visit {
  key: PathPart;
  value: unknown;
  parent: Visit | null;
  id?: string;
}

function visitId(v: Visit): string {
  if (v.id === undefined) {
    const path: PathPart[] = [];
    for (let at: Visit | null = v; at; at = at.parent) path.push(at.key);
    v.id = pathId(path.reverse());
  }
  return v.id;
}

/**
 * Finds the nodes whose key (object keys, not array indices) or leaf value contains `query`,
 * case-insensitively, and the containers that lead to them. Iterative, so depth is no limit;
 * bounded by `limit` values; a value met again below itself (a cycle) is not entered twice.
 */
export function searchTree(roots: readonly TreeRoot[], query: string, limit = SEARCH_LIMIT): SearchResult {
  const q = query.trim().toLowerCase();
  const result: SearchResult = { matches: new Set(), open: new Set(), truncated: false };
  if (!q) return result;
  let visited = 0;
  for (const root of roots) {
    const stack: Visit[] = [{ key: root.id, value: root.value, parent: null }];
    while (stack.length) {
      if (++visited > limit) {
        result.truncated = true;
        return result;
      }
      const v = stack.pop()!;
      const key = v.parent ? v.key : root.label;
      const kind = kindOf(v.value);
      const keyHit = typeof key === 'string' && key.toLowerCase().includes(q);
      if (keyHit || (!isContainer(kind) && searchText(v.value).toLowerCase().includes(q))) {
        result.matches.add(visitId(v));
        for (let a = v.parent; a; a = a.parent) {
          const id = visitId(a);
          if (result.open.has(id)) break;
          result.open.add(id);
        }
      }
      if (!isContainer(kind)) continue;
      let cycle = false;
      for (let a = v.parent; a && !cycle; a = a.parent) cycle = a.value === v.value;
      if (cycle) continue;
      const entries = childEntries(v.value);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ key: entries[i][0], value: entries[i][1], parent: v });
    }
  }
  return result;
}

/** What the user changed: containers opened or closed, children and characters shown. */
export interface TreeViewState {
  open: Record<string, boolean>;
  pages: Record<string, number>;
  chars: Record<string, number>;
}

export function emptyViewState(): TreeViewState {
  return { open: {}, pages: {}, chars: {} };
}

/** A row of the tree as it is drawn. */
export interface TreeNode {
  id: string;
  path: PathPart[];
  /** The key as shown: the root's label, an object key, or an array index. */
  label: string;
  kind: ValueKind;
  /** Containers: whether the children are shown, and how many there are in all. */
  open: boolean;
  size: number;
  /** Leaves: the text shown, and how many characters of it are clipped. */
  text: string;
  clipped: number;
  /** A value met again below itself (only possible in data that is not JSON). */
  circular: boolean;
  match: boolean;
  /** The children drawn (a page of them, or the ones leading to matches). */
  children: TreeNode[];
  /** Children not drawn yet because of paging; "show more" draws {@link PAGE} more. */
  more: number;
}

/**
 * The rows to draw: each root, the children of open containers a page at a time, long strings
 * clipped. With a search, only matches and the containers leading to them are drawn (those
 * containers open, unless the user closed one), and a matching container shows all its children.
 * The first root starts open; everything else starts closed.
 */
export function visibleTree(
  roots: readonly TreeRoot[],
  view: TreeViewState,
  search: SearchResult | null = null,
): TreeNode[] {
  const filtering = search !== null && search.matches.size + search.open.size > 0;
  const build = (
    id: string,
    path: PathPart[],
    label: string,
    value: unknown,
    seen: Set<unknown>,
    filtered: boolean,
    startOpen: boolean,
  ): TreeNode => {
    const kind = kindOf(value);
    const circular = isContainer(kind) && seen.has(value);
    const match = search?.matches.has(id) ?? false;
    const node: TreeNode = {
      id,
      path,
      label,
      kind,
      open: false,
      size: isContainer(kind) ? sizeOf(value) : 0,
      text: '',
      clipped: 0,
      circular,
      match,
      children: [],
      more: 0,
    };
    if (circular) {
      node.text = '[Circular]';
      return node;
    }
    if (!isContainer(kind)) {
      const full = leafText(value);
      const shown = view.chars[id] ?? TEXT_CLIP;
      node.text = full.length > shown ? full.slice(0, shown) : full;
      node.clipped = full.length - node.text.length;
      return node;
    }
    const forced = filtered && (search?.open.has(id) ?? false);
    node.open = forced ? view.open[id] !== false : (view.open[id] ?? startOpen);
    if (!node.open) return node;
    // Below a match everything is shown; above one, only the way to matches.
    const narrow = filtered && !match;
    const below = new Set(seen).add(value);
    let entries = childEntries(value);
    if (narrow) {
      entries = entries.filter(([k]) => {
        const cid = childId(id, k);
        return search!.matches.has(cid) || search!.open.has(cid);
      });
    }
    const limit = view.pages[id] ?? PAGE;
    node.more = Math.max(0, entries.length - limit);
    node.children = entries
      .slice(0, limit)
      .map(([k, v]) => build(childId(id, k), [...path, k], String(k), v, below, narrow, false));
    return node;
  };
  return roots
    .filter((r) => !filtering || search!.matches.has(pathId([r.id])) || search!.open.has(pathId([r.id])))
    .map((r) => build(pathId([r.id]), [r.id], r.label, r.value, new Set(), filtering, r === roots[0]));
}

/** Splits text around the first occurrence of `query` (case-insensitive), for a highlight. */
export function splitMatch(text: string, query: string): { before: string; hit: string; after: string } | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const i = text.toLowerCase().indexOf(q);
  if (i === -1) return null;
  return { before: text.slice(0, i), hit: text.slice(i, i + q.length), after: text.slice(i + q.length) };
}

/** The trees of the state view: the run's state, then each subgraph's latest state. */
export function stateRoots(values: unknown, subgraphValues: Record<string, unknown>): TreeRoot[] {
  const roots: TreeRoot[] = [];
  if (values !== null && values !== undefined) roots.push({ id: 'state', label: 'state', value: values });
  for (const [ns, value] of Object.entries(subgraphValues))
    roots.push({ id: `subgraph:${ns}`, label: `subgraph ${ns.split('|').join(' › ')}`, value });
  return roots;
}
