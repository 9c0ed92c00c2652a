import type { WorkerEvent } from '../protocol';

/** How the inspector labels an event: a run lifecycle event, a stream-mode chunk, a custom event. */
export type LogKind = 'run' | 'mode' | 'event';
const KINDS: readonly LogKind[] = ['run', 'mode', 'event'];

/** One logged event, as a row shows it (made on demand from the columns). */
export interface LogEntry {
  seq: number;
  ts: number;
  type: WorkerEvent['type'];
  kind: LogKind;
  /** Stream mode (for `stream`), event name (for `custom`), else the event type. */
  name: string;
  ns: readonly string[];
  data: unknown;
}

/**
 * A run's log as one state of the run sees it: the first `length` entries of an append-only
 * store. Later appends (by later states) do not change what a view shows.
 */
export class LogView {
  constructor(
    readonly store: EventLog,
    readonly length: number,
  ) {}

  entry(i: number): LogEntry {
    return this.store.entry(i);
  }

  /** Indices of the entries matching `query` (see {@link EventLog.search}). */
  search(query: string): { hits: Uint32Array; count: number } {
    return this.store.search(query, this.length);
  }

  /** The entries, for debugging and equality in tests. */
  toJSON(): LogEntry[] {
    return Array.from({ length: this.length }, (_, i) => this.store.entry(i));
  }
}

/** Text-only payloads are kept as their text plus one shared template (see {@link EventLog}). */
type Template =
  | { kind: 'token'; id: string; agentName: unknown; extra: Record<string, unknown> }
  | { kind: 'message'; message: Record<string, unknown>; meta: unknown };

/**
 * Every logged event of a run, in columns: seq and ts (Float64Array), kind, name and namespace
 * (small integers into tables of the distinct names and namespaces), and the payload.
 *
 * Payloads are kept as they arrived, except the two that make up almost all of a long run: a
 * `custom_token` event's data and a `messages` chunk of a text token are kept as their text
 * alone, plus a template shared by every token of that stream (its id, agent, message type and
 * metadata); the entry is rebuilt when a row asks for it. So 100,000 token events cost a few
 * MB (columns and token texts), not 100,000 object graphs. Entries never change once written;
 * the store only grows, and a {@link LogView} fixes how much of it one run state shows.
 */
export class EventLog {
  private seqs = new Float64Array(1024);
  private tss = new Float64Array(1024);
  private kinds = new Uint8Array(1024);
  private names = new Uint16Array(1024);
  private nss = new Uint32Array(1024);
  private payloads: unknown[] = [];
  private tpls = new Uint32Array(1024);
  private readonly nameTable: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private readonly nsTable: (readonly string[])[] = [[]];
  private readonly nsIds = new Map<string, number>([['', 0]]);
  private readonly templates: (Template | null)[] = [null];
  private readonly templateIds = new Map<string, number>();
  private lastMeta: unknown = undefined;
  private lastMetaKey = '';
  private lastName = '';
  private lastNameId = -1;
  private lastMessageKey = '';
  private lastMessageTpl = 0;
  private lastTokenId = '';
  private lastTokenAgent: unknown = undefined;
  private lastTokenTpl = 0;
  private readonly searches = new Map<string, { upTo: number; hits: Uint32Array; count: number }>();
  length = 0;

  /** Appends one run event. */
  append(ev: WorkerEvent): void {
    const i = this.length;
    if (i === this.seqs.length) this.grow();
    this.seqs[i] = ev.seq;
    this.tss[i] = ev.ts;
    let kind = 0;
    let name: string = ev.type;
    let ns: readonly string[] = [];
    let payload: unknown;
    let tpl = 0;
    if (ev.type === 'stream') {
      kind = 1;
      name = ev.mode;
      ns = ev.ns;
      payload = ev.chunk;
      if (ev.mode === 'messages') [payload, tpl] = this.compactMessage(ev.chunk);
    } else if (ev.type === 'custom') {
      kind = 2;
      name = ev.name;
      ns = ev.ns;
      payload = ev.data;
      if (ev.name === 'custom_token') [payload, tpl] = this.compactToken(ev.data);
    }
    this.kinds[i] = kind;
    this.names[i] = this.nameId(name);
    this.nss[i] = ns.length ? this.nsId(ns) : 0;
    this.payloads[i] = payload;
    this.tpls[i] = tpl;
    this.length = i + 1;
  }

  /** The entry at `i` (0-based), rebuilt from the columns. */
  entry(i: number): LogEntry {
    return {
      seq: this.seqs[i],
      ts: this.tss[i],
      type:
        this.kinds[i] === 1
          ? 'stream'
          : this.kinds[i] === 2
            ? 'custom'
            : (this.nameTable[this.names[i]] as WorkerEvent['type']),
      kind: KINDS[this.kinds[i]],
      name: this.nameTable[this.names[i]],
      ns: this.nsTable[this.nss[i]],
      data: this.dataAt(i),
    };
  }

  seqAt(i: number): number {
    return this.seqs[i];
  }

  /** The payload at `i`, as it arrived. */
  dataAt(i: number): unknown {
    const t = this.templates[this.tpls[i]];
    const text = this.payloads[i];
    if (!t) return text;
    if (t.kind === 'token') return { content: text, id: t.id, agentName: t.agentName, ...t.extra };
    return [{ ...t.message, content: text }, t.meta];
  }

  /**
   * Indices (below `upTo`) of the entries whose kind, name or namespace contains `query`
   * (case-insensitive). Each distinct name and namespace is matched once; the entries are a scan
   * of integer columns, resumed where the last search with the same query stopped.
   */
  search(query: string, upTo = this.length): { hits: Uint32Array; count: number } {
    const q = query.trim().toLowerCase();
    let s = this.searches.get(q);
    if (!s || s.upTo > upTo) {
      s = { upTo: 0, hits: new Uint32Array(256), count: 0 };
      if (this.searches.size > 8) this.searches.clear();
      this.searches.set(q, s);
    }
    if (s.upTo < upTo) {
      const nameHit = this.nameTable.map((n) => n.toLowerCase().includes(q));
      const nsHit = this.nsTable.map((ns) => (ns.length ? ns.join('|') : 'root').toLowerCase().includes(q));
      // A lifecycle event's type is its name; the others' types are `stream` and `custom`.
      const kindHit = KINDS.map((k, i) => k.includes(q) || ['', 'stream', 'custom'][i].includes(q));
      for (let i = s.upTo; i < upTo; i++) {
        if (!(nameHit[this.names[i]] || nsHit[this.nss[i]] || kindHit[this.kinds[i]])) continue;
        if (s.count === s.hits.length) {
          const bigger = new Uint32Array(s.hits.length * 2);
          bigger.set(s.hits);
          s.hits = bigger;
        }
        s.hits[s.count++] = i;
      }
      s.upTo = upTo;
    }
    return { hits: s.hits, count: s.count };
  }

  /** A new store with the first `length` entries (a run state was updated twice: rare). */
  copy(length: number): EventLog {
    const out = new EventLog();
    for (let i = 0; i < length; i++) out.append(this.rebuild(i));
    return out;
  }

  private rebuild(i: number): WorkerEvent {
    const e = this.entry(i);
    const base = { seq: e.seq, ts: e.ts, runId: '' };
    if (e.type === 'stream') return { ...base, type: 'stream', mode: e.name as never, ns: [...e.ns], chunk: e.data };
    if (e.type === 'custom') return { ...base, type: 'custom', name: e.name, ns: [...e.ns], data: e.data };
    return { ...base, type: e.type } as WorkerEvent;
  }

  private compactToken(data: unknown): [unknown, number] {
    if (!data || typeof data !== 'object') return [data, 0];
    const { content, id, agentName, ...extra } = data as Record<string, unknown>;
    if (typeof content !== 'string' || typeof id !== 'string') return [data, 0];
    // Consecutive tokens of one stream share their template: the common case builds no key.
    const plain = Object.keys(extra).length === 0;
    if (plain && this.lastTokenTpl && id === this.lastTokenId && agentName === this.lastTokenAgent)
      return [content, this.lastTokenTpl];
    const key = `t\u0000${id}\u0000${String(agentName)}\u0000${plain ? '' : JSON.stringify(extra)}`;
    const tpl = this.templateId(key, () => ({ kind: 'token', id, agentName, extra }));
    if (plain) [this.lastTokenId, this.lastTokenAgent, this.lastTokenTpl] = [id, agentName, tpl];
    return [content, tpl];
  }

  private compactMessage(chunk: unknown): [unknown, number] {
    if (!Array.isArray(chunk) || chunk.length !== 2) return [chunk, 0];
    const [message, meta] = chunk as [Record<string, unknown> | null, unknown];
    if (!message || typeof message !== 'object' || typeof message.content !== 'string') return [chunk, 0];
    const { content, ...rest } = message;
    // Tokens of one batch share one metadata object: its key is made once per batch.
    if (meta !== this.lastMeta) {
      this.lastMeta = meta;
      this.lastMetaKey = JSON.stringify(meta) ?? '';
      this.lastMessageKey = '';
    }
    // A token's message is `{type, content, id}`: the common case needs no JSON.
    const keys = Object.keys(rest);
    const simple = keys.length === 2 && typeof rest.type === 'string' && typeof rest.id === 'string';
    const own = simple ? `${rest.type}\u0000${String(rest.id)}` : JSON.stringify(rest);
    if (own === this.lastMessageKey) return [content, this.lastMessageTpl];
    const key = `m\u0000${own}\u0000${this.lastMetaKey}`;
    this.lastMessageKey = own;
    this.lastMessageTpl = this.templateId(key, () => ({ kind: 'message', message: rest, meta }));
    return [content, this.lastMessageTpl];
  }

  private templateId(key: string, make: () => Template): number {
    let id = this.templateIds.get(key);
    if (id === undefined) {
      id = this.templates.push(make()) - 1;
      this.templateIds.set(key, id);
    }
    return id;
  }

  private nameId(name: string): number {
    if (name === this.lastName) return this.lastNameId;
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.nameTable.push(name) - 1;
      this.nameIds.set(name, id);
    }
    this.lastName = name;
    this.lastNameId = id;
    return id;
  }

  private nsId(ns: readonly string[]): number {
    const key = ns.join('|');
    let id = this.nsIds.get(key);
    if (id === undefined) {
      id = this.nsTable.push([...ns]) - 1;
      this.nsIds.set(key, id);
    }
    return id;
  }

  private grow(): void {
    const n = this.seqs.length * 2;
    const grown = <T extends Float64Array | Uint8Array | Uint16Array | Uint32Array>(a: T, make: (n: number) => T) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.seqs = grown(this.seqs, (k) => new Float64Array(k));
    this.tss = grown(this.tss, (k) => new Float64Array(k));
    this.kinds = grown(this.kinds, (k) => new Uint8Array(k));
    this.names = grown(this.names, (k) => new Uint16Array(k));
    this.nss = grown(this.nss, (k) => new Uint32Array(k));
    this.tpls = grown(this.tpls, (k) => new Uint32Array(k));
  }
}

/** An empty log view. */
export function emptyLog(): LogView {
  return new LogView(new EventLog(), 0);
}
