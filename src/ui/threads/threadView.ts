import type { ThreadInfo, ThreadStatus } from '../../protocol';

/**
 * A short English "how long ago" for the thread list. Deterministic (no locale data), so tests
 * can pin it; `now` is passed in so the list can re-render on a timer.
 */
export function relativeTime(ts: number, now: number): string {
  if (!Number.isFinite(ts)) return 'unknown time';
  const s = Math.round((now - ts) / 1000);
  // A clock a little ahead (another tab, a resumed laptop) still reads as "just now".
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 30) return `${d} days ago`;
  return new Date(ts).toISOString().slice(0, 10);
}

/** Newest first (by last activity), without touching the store's array. */
export function sortThreads(list: readonly ThreadInfo[]): ThreadInfo[] {
  return [...list].sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt);
}

/**
 * How a thread's status is shown. The list is current: the worker marks a run cut off by a
 * reload or a crash `interrupted` before listing it (its tab's thread lock is free), and a
 * server says which of its threads are busy. So a thread still `running` is running: here, when
 * it is the run this tab is streaming, and otherwise somewhere else (another tab of this
 * browser, or another client of the server).
 */
export function threadStatus(
  info: ThreadInfo,
  liveRunId: string | null,
): { status: ThreadStatus; label: string; elsewhere: boolean } {
  if (info.lastStatus !== 'running') return { status: info.lastStatus, label: info.lastStatus, elsewhere: false };
  const elsewhere = info.lastRunId !== liveRunId;
  return { status: 'running', label: elsewhere ? 'running elsewhere' : 'running', elsewhere };
}

/** A title that is never empty and never a wall of text. */
export function threadTitle(info: Pick<ThreadInfo, 'title' | 'threadId'>, max = 80): string {
  const t = (info.title ?? '').replace(/\s+/g, ' ').trim();
  if (!t) return `Thread ${info.threadId.slice(0, 8)}`;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** An ISO date for `<time datetime>`, or '' for a time that is not one (never throws). */
export function isoTime(ts: number): string {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** A saved message as one line of text: its role and its content, never markup. */
export function messageText(m: unknown): { role: string; text: string } | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as { type?: unknown; content?: unknown };
  const role = typeof o.type === 'string' ? o.type : 'message';
  let text = '';
  if (typeof o.content === 'string') text = o.content;
  else if (Array.isArray(o.content))
    text = o.content
      .map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && 'text' in p ? String(p.text) : ''))
      .join('');
  return { role, text };
}

/** Who speaks in a chat bubble. */
export type ChatRole = 'user' | 'assistant' | 'tool' | 'system' | 'other';

/** A tool call of an AI message: its name and its arguments as JSON text. */
export interface ChatToolCall {
  id?: string;
  name: string;
  args: string;
}

/** A message as the chat view shows it, whatever shape it arrived in. All fields are text. */
export interface ChatMessage {
  /** Unique within the list: the message id, or its position. */
  key: string;
  id?: string;
  role: ChatRole;
  /** The type the message gave (`ai`, `AIMessageChunk`, `assistant`...): shown for unknown roles. */
  type: string;
  /** The speaker's name (`designer`), or a tool message's tool. */
  name?: string;
  text: string;
  toolCalls: ChatToolCall[];
  /** For a tool message: the id of the call it answers. */
  toolCallId?: string;
  /** Streamed (`messages` mode) and not in the state yet. */
  live: boolean;
  /** The node that produced a streamed message. */
  node?: string;
}

const ROLES: Record<string, ChatRole> = {
  human: 'user',
  user: 'user',
  ai: 'assistant',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
  system: 'system',
  developer: 'system',
};

/** `AIMessageChunk`, `HumanMessage`, `ai`, `assistant` -> the chat role. */
export function chatRole(type: string): ChatRole {
  const base = type.replace(/(message)?(chunk)?$/i, '').toLowerCase();
  return ROLES[base] ?? 'other';
}

/** A message's content as text: strings as they are, text parts joined, other parts named. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content))
    return content
      .map((p) => {
        if (typeof p === 'string') return p;
        if (p && typeof p === 'object') {
          const part = p as { type?: unknown; text?: unknown };
          if (typeof part.text === 'string') return part.text;
          return `[${typeof part.type === 'string' ? part.type : 'part'}]`;
        }
        return '';
      })
      .join('');
  return jsonText(content);
}

/** JSON text of any value, never throwing (cycles, BigInts) and never huge. */
export function jsonText(value: unknown, max = 20_000): string {
  let text: string;
  try {
    text =
      typeof value === 'string'
        ? value
        : (JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function toolCallsOf(fields: Record<string, unknown>): ChatToolCall[] {
  const calls: ChatToolCall[] = [];
  if (Array.isArray(fields.tool_calls))
    for (const c of fields.tool_calls as { id?: unknown; name?: unknown; args?: unknown }[])
      if (c && typeof c === 'object')
        calls.push({
          ...(typeof c.id === 'string' ? { id: c.id } : {}),
          name: typeof c.name === 'string' ? c.name : 'tool',
          args: jsonText(c.args ?? {}),
        });
  // The OpenAI wire form, which some models leave in `additional_kwargs`.
  const extra = (fields.additional_kwargs as { tool_calls?: unknown } | undefined)?.tool_calls;
  if (!calls.length && Array.isArray(extra))
    for (const c of extra as { id?: unknown; function?: { name?: unknown; arguments?: unknown } }[])
      if (c && typeof c === 'object')
        calls.push({
          ...(typeof c.id === 'string' ? { id: c.id } : {}),
          name: typeof c.function?.name === 'string' ? c.function.name : 'tool',
          args: jsonText(c.function?.arguments ?? ''),
        });
  return calls;
}

/**
 * One message of a graph's `messages` state as a chat bubble. Takes the plain form `toPlain`
 * makes (`{type, content, tool_calls, ...}`), LangChain's serialized form (`{lc, id: [...,
 * 'AIMessage'], kwargs}`), and `{role, content}` objects. Anything else gives null.
 */
export function toChatMessage(m: unknown): Omit<ChatMessage, 'key' | 'live'> | null {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return null;
  const o = m as Record<string, unknown>;
  let fields = o;
  let type: unknown = o.type ?? o.role;
  if (o.lc !== undefined && Array.isArray(o.id) && o.kwargs && typeof o.kwargs === 'object') {
    fields = o.kwargs as Record<string, unknown>;
    type = o.id.at(-1);
  }
  if (typeof type !== 'string' || !('content' in fields || 'tool_calls' in fields)) return null;
  const out: Omit<ChatMessage, 'key' | 'live'> = {
    role: chatRole(type),
    type,
    text: contentText(fields.content),
    toolCalls: toolCallsOf(fields),
  };
  if (typeof fields.id === 'string') out.id = fields.id;
  if (typeof fields.name === 'string' && fields.name) out.name = fields.name;
  if (typeof fields.tool_call_id === 'string') out.toolCallId = fields.tool_call_id;
  return out;
}

/**
 * The chat to show: the messages of the state (`values.messages`), then the messages streamed in
 * `messages` mode that the state does not hold yet (matched by id, or by role and text for
 * messages without one). A tool message without a name takes the name of the call it answers.
 */
export function chatMessages(
  values: unknown,
  live: readonly { id: string; type: string; content: string; node?: string }[] = [],
): ChatMessage[] {
  const list = (values as { messages?: unknown } | null)?.messages;
  const saved = Array.isArray(list) ? list : [];
  const out: ChatMessage[] = [];
  const keys = new Set<string>();
  /** Tool names by call id, from the calls seen so far. */
  const calls = new Map<string, string>();
  const add = (m: Omit<ChatMessage, 'key' | 'live'>, isLive: boolean) => {
    let key = m.id ?? `#${out.length}`;
    if (keys.has(key)) key = `${key}#${out.length}`;
    keys.add(key);
    const msg: ChatMessage = { ...m, key, live: isLive };
    if (msg.role === 'tool' && !msg.name && msg.toolCallId) {
      const name = calls.get(msg.toolCallId);
      if (name) msg.name = name;
    }
    for (const c of msg.toolCalls) if (c.id) calls.set(c.id, c.name);
    out.push(msg);
  };
  for (const raw of saved) {
    const m = toChatMessage(raw);
    if (m) add(m, false);
  }
  const ids = new Set(out.map((m) => m.id).filter(Boolean));
  const texts = new Set(out.map((m) => `${m.role}\u0000${m.text}`));
  for (const v of live) {
    const role = chatRole(v.type);
    if (ids.has(v.id) || texts.has(`${role}\u0000${v.content}`)) continue;
    add(
      {
        ...(v.id.startsWith('anon-') ? {} : { id: v.id }),
        role,
        type: v.type,
        text: v.content,
        toolCalls: [],
        ...(v.node ? { node: v.node } : {}),
      },
      true,
    );
  }
  return out;
}
