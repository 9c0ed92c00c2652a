/**
 * Converts graph output into structured-clone-safe plain data.
 *
 * LangChain messages become `{ type, id, content, ... }` objects; class instances that are not
 * plain data are reduced to their own enumerable fields; functions and symbols are dropped.
 * Cycles are cut with the string "[Circular]".
 */
export function toPlain(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (typeof value === 'bigint') return value.toString();
    return value;
  }
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => toPlain(v, seen));
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v, seen)]));
    if (value instanceof Set) return [...value].map((v) => toPlain(v, seen));
    if (isMessage(value)) return messageToPlain(value, seen);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = toPlain(v, seen);
      if (p !== undefined) out[k] = p;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** A LangChain message, recognised by duck typing so this module needs no LangChain import. */
interface MessageLike extends Omit<PlainMessage, 'type' | 'chunk'> {
  getType(): string;
  /** Present on message chunks (`AIMessageChunk` and kin), which add to a message by id. */
  concat?: unknown;
}

function isMessage(value: object): value is MessageLike {
  return 'content' in value && typeof (value as { getType?: unknown }).getType === 'function';
}

/** The plain form of a LangChain message. */
export interface PlainMessage {
  type: string;
  content: unknown;
  id?: string;
  name?: string;
  tool_calls?: unknown;
  tool_call_id?: string;
  tool_call_chunks?: unknown;
  additional_kwargs?: unknown;
  response_metadata?: unknown;
  usage_metadata?: unknown;
  /** True for a chunk of a message (its content adds to the message with the same id). */
  chunk?: true;
}

function messageToPlain(m: MessageLike, seen: WeakSet<object>): PlainMessage {
  const out: PlainMessage = { type: m.getType(), content: toPlain(m.content, seen) };
  if (m.id !== undefined) out.id = m.id;
  if (m.name !== undefined) out.name = m.name;
  if (Array.isArray(m.tool_calls) && m.tool_calls.length) out.tool_calls = toPlain(m.tool_calls, seen);
  if (m.tool_call_id !== undefined) out.tool_call_id = m.tool_call_id;
  if (typeof m.concat === 'function') {
    out.chunk = true;
    if (Array.isArray(m.tool_call_chunks) && m.tool_call_chunks.length)
      out.tool_call_chunks = toPlain(m.tool_call_chunks, seen);
  }
  if (m.additional_kwargs && Object.keys(m.additional_kwargs).length)
    out.additional_kwargs = toPlain(m.additional_kwargs, seen);
  if (m.response_metadata && Object.keys(m.response_metadata).length)
    out.response_metadata = toPlain(m.response_metadata, seen);
  if (m.usage_metadata) out.usage_metadata = toPlain(m.usage_metadata, seen);
  return out;
}
