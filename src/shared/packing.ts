/**
 * The hot path's wire form. Streaming a token makes two events, a `custom_token` custom event and
 * a `messages` chunk, that differ from the token before only in their text, `seq` and `ts`.
 * Copied one by one, a batch of them costs the worker more (structured clone) than the graph
 * spends making the tokens. So the worker host sends such events packed: one template per stream,
 * then per event just its text, `seq` and `ts` (a string array and two typed arrays, which copy
 * in bulk), and the page rebuilds the same events, in the same order, deep-equal to the
 * originals. Everything else travels as it is.
 */
import type { EventBatch, PackedEvents, WorkerEvent } from '../protocol';

/** Most templates one batch holds (streams interleaved within 8 ms); more go unpacked. */
export const MAX_TEMPLATES = 16;

type Obj = Record<string, unknown>;
type Kind = 'token' | 'chunk';

/** The flat object whose `content` a packed event carries: a custom event's data, a chunk's message. */
function bodyOf(kind: Kind, e: WorkerEvent): Obj {
  return kind === 'token' ? (e as { data: Obj }).data : (e as { chunk: [Obj, unknown] }).chunk[0];
}

/** A plain object whose values are all primitives, with a string `content`. */
function isFlatBody(v: unknown): v is Obj {
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof (v as Obj).content !== 'string') return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in v) {
    const x = (v as Obj)[k];
    if (x !== null && typeof x === 'object') return false;
  }
  return true;
}

/** Which packable kind an event is: a `custom_token` event or a `messages` chunk with text content. */
export function packableKind(e: WorkerEvent): Kind | null {
  if (e.type === 'custom') return e.name === 'custom_token' && isFlatBody(e.data) ? 'token' : null;
  if (e.type === 'stream' && e.mode === 'messages') {
    const c = e.chunk;
    return Array.isArray(c) && c.length === 2 && isFlatBody(c[0]) && c[1] !== null && typeof c[1] === 'object'
      ? 'chunk'
      : null;
  }
  return null;
}

function sameNs(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Same keys in the same order, and the same values except `content`. */
function sameBody(a: Obj, b: Obj): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (k !== kb[i] || (k !== 'content' && !Object.is(a[k], b[k]))) return false;
  }
  return true;
}

/** True when `e` is `tpl` with another text (and its own `seq` and `ts`). */
function fits(kind: Kind, tpl: WorkerEvent, e: WorkerEvent): boolean {
  if (tpl.type !== e.type || tpl.runId !== e.runId) return false;
  const ta = tpl as unknown as Obj;
  const ea = e as unknown as Obj;
  const keys = Object.keys(ta);
  const ekeys = Object.keys(ea);
  if (keys.length !== ekeys.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== ekeys[i]) return false;
  if (!sameNs(ta.ns as string[], ea.ns as string[])) return false;
  if (kind === 'token') {
    const t = tpl as Extract<WorkerEvent, { type: 'custom' }>;
    const c = e as Extract<WorkerEvent, { type: 'custom' }>;
    if (t.name !== c.name || t.node !== c.node) return false;
  } else if ((tpl as { chunk: unknown[] }).chunk[1] !== (e as { chunk: unknown[] }).chunk[1]) return false;
  return sameBody(bodyOf(kind, tpl), bodyOf(kind, e));
}

/** The template of a packable event: the event with empty text, `seq` and `ts` 0. */
function templateOf(kind: Kind, e: WorkerEvent): WorkerEvent {
  const body = { ...bodyOf(kind, e), content: '' };
  if (kind === 'token') return { ...e, data: body, seq: 0, ts: 0 } as WorkerEvent;
  return { ...e, chunk: [body, (e as { chunk: unknown[] }).chunk[1]], seq: 0, ts: 0 } as WorkerEvent;
}

/**
 * Packs a batch: token events go as texts against their stream's template, the rest as they are.
 * A batch with nothing to pack is returned in the plain form.
 */
export function packBatch(events: WorkerEvent[]): EventBatch {
  let templates: WorkerEvent[] | null = null;
  const kinds: Kind[] = [];
  const plain: WorkerEvent[] = [];
  const order = new Int8Array(events.length);
  const contents: string[] = [];
  const seq: number[] = [];
  const ts: number[] = [];
  // A token's two events alternate (chunk, token, chunk, ...): each kind remembers its last template.
  const last: Record<Kind, number> = { token: -1, chunk: -1 };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const kind = packableKind(e);
    let t = -1;
    if (kind) {
      templates ??= [];
      const recent = last[kind];
      if (recent >= 0 && fits(kind, templates[recent], e)) t = recent;
      else {
        for (let j = 0; j < templates.length; j++)
          if (kinds[j] === kind && fits(kind, templates[j], e)) {
            t = j;
            break;
          }
        if (t < 0 && templates.length < MAX_TEMPLATES) {
          t = templates.length;
          templates.push(templateOf(kind, e));
          kinds.push(kind);
        }
      }
    }
    order[i] = t;
    if (t < 0) plain.push(e);
    else {
      last[kind!] = t;
      contents.push(bodyOf(kind!, e).content as string);
      seq.push(e.seq);
      ts.push(e.ts);
    }
  }
  if (!templates) return { kind: 'batch', events };
  return {
    kind: 'batch',
    events: plain,
    packed: { templates, order, contents, seq: Float64Array.from(seq), ts: Float64Array.from(ts) },
  };
}

/**
 * Checks a packed section's shape against its batch (lengths, indices, typed arrays); the
 * templates themselves are checked by the caller. Returns a problem, or null.
 */
export function packedProblem(p: unknown, plainCount: number): string | null {
  if (!p || typeof p !== 'object') return 'packed must be an object';
  const { templates, order, contents, seq, ts } = p as Partial<PackedEvents>;
  if (!Array.isArray(templates) || templates.length === 0 || templates.length > MAX_TEMPLATES)
    return 'packed.templates must be an array of 1 to 16 events';
  if (!(order instanceof Int8Array)) return 'packed.order must be an Int8Array';
  if (!Array.isArray(contents)) return 'packed.contents must be an array';
  if (!(seq instanceof Float64Array) || !(ts instanceof Float64Array)) return 'packed.seq and ts must be Float64Arrays';
  if (seq.length !== contents.length || ts.length !== contents.length)
    return 'packed.contents, seq and ts must have one entry per packed event';
  let packed = 0;
  let plain = 0;
  for (const t of order) {
    if (t === -1) plain++;
    else if (t >= 0 && t < templates.length) packed++;
    else return `packed.order has a bad template index ${t}`;
  }
  if (packed !== contents.length || plain !== plainCount) return 'packed.order does not match the events it orders';
  return null;
}

/**
 * Rebuilds a packed batch's events in order: `plain` are its unpacked events (already checked),
 * `templates` its checked templates. A packed event whose text, `seq` or `ts` is not what it
 * must be becomes `bad(problem)` in its place.
 */
export function unpackEvents<T>(
  p: PackedEvents,
  plain: readonly (WorkerEvent | T)[],
  templates: readonly WorkerEvent[],
  bad: (problem: string) => T,
): (WorkerEvent | T)[] {
  const out: (WorkerEvent | T)[] = new Array(p.order.length);
  const kinds = templates.map((t) => packableKind(t));
  let next = 0;
  let k = 0;
  for (let i = 0; i < p.order.length; i++) {
    const t = p.order[i];
    if (t < 0) {
      out[i] = plain[next++];
      continue;
    }
    const content = p.contents[k];
    const seq = p.seq[k];
    const ts = p.ts[k];
    k++;
    if (typeof content !== 'string' || !Number.isFinite(seq) || !Number.isFinite(ts)) {
      out[i] = bad('a packed event needs a string text and finite seq and ts');
      continue;
    }
    const tpl = templates[t];
    if (kinds[t] === 'token') {
      const data = (tpl as { data: Obj }).data;
      out[i] = { ...tpl, data: { ...data, content }, seq, ts } as WorkerEvent;
    } else {
      const [message, metadata] = (tpl as { chunk: [Obj, unknown] }).chunk;
      out[i] = { ...tpl, chunk: [{ ...message, content }, metadata], seq, ts } as WorkerEvent;
    }
  }
  return out;
}
