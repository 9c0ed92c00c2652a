/**
 * Reads an envelope (see `toolProtocol.ts`) while it streams, so that the answer's text can be
 * shown as it is written and each tool call as soon as its object is closed, long before the
 * whole JSON is there. It tracks just enough of JSON (strings, nesting, keys) to know where it
 * is; validity is judged once, at the end, by `JSON.parse`.
 *
 * An answer that does not start with `{` is taken as plain prose: all of it is the content
 * (an engine that ignores the schema still answers the user).
 */
import { toCall, type EnvelopeCall } from './toolProtocol';

/** A tool call item the stream has just closed: valid, or the raw text and why it is not. */
export type DecodedCall =
  | { ok: true; index: number; call: EnvelopeCall }
  | { ok: false; index: number; raw: string; name?: string; error: string };

/** What one piece of the stream added. */
export interface EnvelopeDelta {
  /** Text added to the answer. */
  content: string;
  /** Tool call items closed by this piece. */
  calls: DecodedCall[];
}

type Frame = { kind: 'object'; key: string | null; expectKey: boolean } | { kind: 'array' };

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export class EnvelopeDecoder {
  private text = '';
  private mode: 'start' | 'json' | 'prose' = 'start';
  private readonly stack: Frame[] = [];
  private inString = false;
  private stringIsKey = false;
  /** True while inside the string value of the top-level `content`. */
  private inContent = false;
  private escape: '' | '\\' | 'u' = '';
  private hex = '';
  private key = '';
  private itemStart = -1;
  private items = 0;

  /** Feeds the next piece of the answer. */
  push(piece: string): EnvelopeDelta {
    const delta: EnvelopeDelta = { content: '', calls: [] };
    const offset = this.text.length;
    this.text += piece;
    for (let i = 0; i < piece.length; i++) {
      const ch = piece[i];
      if (this.mode === 'start') {
        if (/\s/.test(ch)) continue;
        this.mode = ch === '{' ? 'json' : 'prose';
      }
      if (this.mode === 'prose') {
        delta.content += piece.slice(i);
        break;
      }
      this.step(ch, offset + i, delta);
    }
    return delta;
  }

  /** The whole answer so far. */
  get raw(): string {
    return this.text;
  }

  /** True when the answer was not JSON at all (it was all taken as content). */
  get prose(): boolean {
    return this.mode === 'prose';
  }

  private step(ch: string, at: number, delta: EnvelopeDelta): void {
    if (this.inString) return this.stringChar(ch, delta);
    const top = this.stack.at(-1);
    switch (ch) {
      case '"':
        this.inString = true;
        this.stringIsKey = top?.kind === 'object' && top.expectKey;
        this.key = '';
        this.inContent =
          !this.stringIsKey && this.stack.length === 1 && top?.kind === 'object' && top.key === 'content';
        return;
      case '{':
        if (this.atToolCallItem()) this.itemStart = at;
        this.stack.push({ kind: 'object', key: null, expectKey: true });
        return;
      case '[':
        this.stack.push({ kind: 'array' });
        return;
      case '}':
      case ']':
        this.stack.pop();
        if (ch === '}' && this.itemStart >= 0 && this.atToolCallItem()) {
          delta.calls.push(this.closeItem(this.text.slice(this.itemStart, at + 1)));
          this.itemStart = -1;
        }
        return;
      case ':':
        if (top?.kind === 'object') top.expectKey = false;
        return;
      case ',':
        if (top?.kind === 'object') top.expectKey = true;
        return;
      default:
        return;
    }
  }

  /** True when the next object opened here is an item of the top-level `tool_calls` array. */
  private atToolCallItem(): boolean {
    const [root, list] = this.stack;
    return this.stack.length === 2 && root.kind === 'object' && root.key === 'tool_calls' && list.kind === 'array';
  }

  private closeItem(raw: string): DecodedCall {
    const index = this.items++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return { ok: false, index, raw, error: (err as Error).message };
    }
    const call = toCall(value);
    if (call) return { ok: true, index, call };
    const name = (value as { name?: unknown } | null)?.name;
    return {
      ok: false,
      index,
      raw,
      ...(typeof name === 'string' ? { name } : {}),
      error: 'a tool call needs a "name" (text) and "args" (an object)',
    };
  }

  private stringChar(ch: string, delta: EnvelopeDelta): void {
    let decoded: string;
    if (this.escape === 'u') {
      this.hex += ch;
      if (this.hex.length < 4) return;
      decoded = /^[0-9a-fA-F]{4}$/.test(this.hex) ? String.fromCharCode(parseInt(this.hex, 16)) : '';
      this.escape = '';
      this.hex = '';
    } else if (this.escape === '\\') {
      this.escape = ch === 'u' ? 'u' : '';
      if (ch === 'u') return;
      decoded = ESCAPES[ch] ?? ch;
    } else if (ch === '\\') {
      this.escape = '\\';
      return;
    } else if (ch === '"') {
      this.inString = false;
      this.inContent = false;
      const top = this.stack.at(-1);
      if (this.stringIsKey && top?.kind === 'object') top.key = this.key;
      return;
    } else decoded = ch;
    if (this.stringIsKey) this.key += decoded;
    else if (this.inContent) delta.content += decoded;
  }
}
