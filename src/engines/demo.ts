import type { DemoEngineOptions } from '../protocol';
import { abortError, throwIfAborted } from './errors';
import type { ChatEngine, ChatRequest, EngineChunk, LoadProgress } from './types';

/** A realistic small-model pace; tests pass 0 to run unthrottled. */
export const DEFAULT_DEMO_TOKENS_PER_SECOND = 40;
/** Unthrottled streams still give the event loop a turn this often, so a cancel can land. */
const YIELD_EVERY = 64;
/** Largest `minTokens` honoured (the protocol validator allows the same). */
export const MAX_MIN_TOKENS = 10_000_000;

/**
 * Splits text into word-ish tokens: each is optional leading whitespace plus either a run of
 * letters/digits/underscores or one other character (so JSON streams brace by brace).
 * Deterministic, and the tokens always join back to exactly `text`.
 */
export function tokenize(text: string): string[] {
  return text.match(/\s*(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_])|\s+/gu) ?? [];
}

/** Cuts an answer so it can never parse as JSON: what a small model does on a bad day. */
export function malform(text: string): string {
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  try {
    JSON.parse(cut);
    return `${cut} {`; // the half happened to be valid JSON on its own
  } catch {
    return cut;
  }
}

/**
 * Repeats a plain-text answer (paragraphs separated by a blank line) until it tokenizes to at
 * least `minTokens` tokens. JSON answers are returned unchanged: repeating them would break the
 * graph that parses them, and benchmarks only need long prose.
 */
export function padAnswer(answer: string, minTokens: number): string[] {
  const tokens = tokenize(answer);
  if (minTokens <= tokens.length || tokens.length === 0 || isJson(answer)) return tokens;
  const copies = Math.ceil(minTokens / tokens.length);
  let text = Array.from({ length: copies }, () => answer).join('\n\n');
  let padded = tokenize(text);
  // Joining can merge whitespace tokens, so a copy may come out a token short; top up.
  while (padded.length < minTokens) padded = tokenize((text = `${text}\n\n${answer}`));
  return padded;
}

function isJson(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/**
 * The offline engine: no weights, no GPU. Answers come from the request's `demo` responder
 * (supplied by the graph; {@link echo} otherwise) and stream at
 * `tokensPerSecond` (0 = as fast as the consumer takes them). Its first `malformedAnswers`
 * JSON answers are truncated, to exercise the graph's repair paths. With `minTokens`, a
 * plain-text answer is repeated until it is that long (benchmarks need long streams).
 */
export class DemoEngine implements ChatEngine {
  readonly kind = 'demo' as const;
  readonly modelId = 'demo';
  readonly tokensPerSecond: number;
  readonly minTokens: number;
  private malformedLeft: number;

  constructor(options: DemoEngineOptions = {}) {
    const tps = options.tokensPerSecond ?? DEFAULT_DEMO_TOKENS_PER_SECOND;
    this.tokensPerSecond = Number.isFinite(tps) && tps > 0 ? tps : 0;
    this.malformedLeft = Math.max(0, Math.floor(options.malformedAnswers ?? 0));
    const min = Math.floor(options.minTokens ?? 0);
    this.minTokens = Number.isFinite(min) ? Math.min(Math.max(0, min), MAX_MIN_TOKENS) : 0;
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    onProgress({ text: 'Demo engine ready (no weights to load).', progress: 1, timeElapsed: 0 });
  }

  async unload(): Promise<void> {}

  async *stream(request: ChatRequest): AsyncGenerator<EngineChunk> {
    const { signal } = request;
    throwIfAborted(signal);
    const start = now();
    const answer = (request.demo ?? echo)(request);
    let tokens: string[];
    // Only answers meant to be JSON are spoiled, so "the first N malformed" means the first N
    // structured answers (a graph's plain-text steps, such as analysis, are left alone).
    if (this.malformedLeft > 0 && (request.jsonSchema || answer.trimStart().startsWith('{'))) {
      this.malformedLeft--;
      tokens = tokenize(malform(answer));
    } else {
      tokens = padAnswer(answer, this.minTokens);
    }
    const limit = request.maxTokens && request.maxTokens > 0 ? request.maxTokens : tokens.length;
    let firstAt: number | undefined;
    let emitted = 0;
    for (const token of tokens.slice(0, limit)) {
      if (this.tokensPerSecond > 0) {
        // Pace against the start time, not the previous token, so timer jitter does not add up.
        await sleepUntil(start + (emitted + 1) * (1000 / this.tokensPerSecond), signal);
      } else if (emitted > 0 && emitted % YIELD_EVERY === 0) {
        await macrotask();
      }
      throwIfAborted(signal);
      firstAt ??= now();
      emitted++;
      yield { type: 'token', content: token };
    }
    const end = now();
    const decodeSeconds = firstAt === undefined ? 0 : (end - firstAt) / 1000;
    yield {
      type: 'usage',
      usage: {
        promptTokens: request.messages.reduce((n, m) => n + tokenize(m.content).length, 0),
        completionTokens: emitted,
        // Prefill is free here; report decode speed over the tokens after the first.
        decodeTokensPerSecond: decodeSeconds > 0 ? (emitted - 1) / decodeSeconds : undefined,
        timeToFirstTokenMs: firstAt === undefined ? undefined : firstAt - start,
        // Cut by `maxTokens`, as a model would be.
        finishReason: emitted < tokens.length ? 'length' : 'stop',
      },
    };
  }
}

const now = () => performance.now();

/** The demo engine's answer when the graph supplied none: it says what it is, and echoes. */
export function echo(request: ChatRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  return `This is the offline demo engine, without an LLM. You said: ${last}`;
}

/** Resolves at `deadline` (performance.now() time), or rejects with AbortError as soon as `signal` fires. */
function sleepUntil(deadline: number, signal?: AbortSignal): Promise<void> {
  const ms = deadline - now();
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One turn of the event loop (not a microtask), so queued messages such as a cancel command
 * run. MessageChannel avoids setTimeout's 4 ms clamp.
 */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
