import type { EngineKind } from '../protocol';
import { namedError } from '../shared/errors';
import { abortError, throwIfAborted } from './errors';
import type { ChatEngine, ChatRequest, EngineChunk, EngineUsage, LoadProgress } from './types';

/**
 * Error names of this engine (candidates for `ENGINE_ERRORS` in `errors.ts`):
 * - `EngineUnavailableError`: the server cannot be reached, or answers 401/403/404/5xx;
 * - `EngineRequestError`: the server refused this request (400/422, or an error mid-stream);
 * - `ContextWindowExceededError`: the server says the prompt is too long for the model;
 * - `EngineConfigError`: bad `TABGRAPH_LLM_*` settings.
 */
export const OPENAI_ENGINE_ERRORS = {
  unavailable: 'EngineUnavailableError',
  request: 'EngineRequestError',
  contextWindow: 'ContextWindowExceededError',
  config: 'EngineConfigError',
} as const;

/**
 * How a JSON Schema is asked for. OpenAI, vLLM and recent llama.cpp/Ollama take `json_schema`;
 * `json_object` (any JSON, the schema only in the prompt) is the fallback for servers that
 * refuse it.
 */
export type JsonFormat = 'json_schema' | 'json_object';

export interface OpenAICompatibleOptions {
  /** The API root, `/v1` included: `http://127.0.0.1:11434/v1` (Ollama), `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The model name the server knows (llama.cpp ignores it, but it must not be empty). */
  model: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Default `json_schema`. */
  jsonFormat?: JsonFormat;
}

/** What this engine reads from one streamed chunk (the OpenAI chat.completion.chunk subset). */
interface CompletionChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  /** llama.cpp's server adds its own speeds. */
  timings?: { prompt_per_second?: number; predicted_per_second?: number };
  error?: { message?: string } | string;
}

/**
 * A model behind an OpenAI-compatible `POST /chat/completions` (Ollama, llama.cpp's server, vLLM,
 * OpenAI): what graphs call where WebLLM cannot run, such as on the LangGraph server. Streams with
 * `fetch` and server-sent events only, so it runs in a worker, a page or Node alike.
 */
export class OpenAICompatibleEngine implements ChatEngine {
  // 'openai' is not an EngineKind yet: it needs adding to ENGINE_KINDS in src/protocol.ts.
  readonly kind = 'openai' as string as EngineKind;
  readonly modelId: string;
  readonly baseUrl: string;
  private readonly apiKey?: string;
  private readonly jsonFormat: JsonFormat;

  constructor(options: OpenAICompatibleOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.modelId = options.model;
    this.apiKey = options.apiKey || undefined;
    this.jsonFormat = options.jsonFormat ?? 'json_schema';
  }

  /** Nothing to download: checks that the server answers `GET /models`. */
  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    const url = `${this.baseUrl}/models`;
    const res = await this.request(url, { method: 'GET', headers: this.headers(), signal });
    // Some servers have no /models; any answer but a refusal means the server is there.
    if (res.status === 401 || res.status === 403 || res.status >= 500) throw await httpError(url, res);
    await res.body?.cancel();
    onProgress({
      text: `Connected to ${this.baseUrl} (model ${this.modelId}).`,
      progress: 1,
      timeElapsed: performance.now() - started,
    });
  }

  async unload(): Promise<void> {}

  async *stream(request: ChatRequest): AsyncGenerator<EngineChunk> {
    const { signal } = request;
    throwIfAborted(signal);
    // Our own controller also closes the connection when the consumer stops early (return()).
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const url = `${this.baseUrl}/chat/completions`;
    const start = performance.now();
    let firstAt: number | undefined;
    let deltas = 0;
    let last: CompletionChunk = {};
    let finishReason: string | undefined;
    try {
      const res = await this.request(url, {
        method: 'POST',
        headers: { ...this.headers(), 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(this.body(request)),
        signal: controller.signal,
      });
      if (!res.ok) throw await httpError(url, res);
      if (!res.body) throw namedError(OPENAI_ENGINE_ERRORS.request, `${url} answered without a body.`);
      for await (const data of sseData(res.body)) {
        if (data === '[DONE]') break;
        const chunk = parseChunk(url, data);
        if (chunk.error !== undefined) throw requestError(url, undefined, errorText(chunk.error));
        const choice = chunk.choices?.[0];
        finishReason = choice?.finish_reason ?? finishReason;
        if (chunk.usage || chunk.timings) last = { ...last, usage: chunk.usage ?? last.usage, timings: chunk.timings };
        const content = choice?.delta?.content;
        if (!content) continue;
        firstAt ??= performance.now();
        deltas++;
        yield { type: 'token', content };
      }
    } catch (err) {
      if (signal?.aborted) throw abortError();
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
    throwIfAborted(signal);
    yield { type: 'usage', usage: usageOf(last, deltas, start, firstAt, performance.now(), finishReason) };
  }

  private body(request: ChatRequest): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.modelId,
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      stream: true,
      stream_options: { include_usage: true },
    };
    if (request.maxTokens !== undefined && request.maxTokens > 0) body.max_tokens = request.maxTokens;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.jsonSchema) {
      body.response_format =
        this.jsonFormat === 'json_object'
          ? { type: 'json_object' }
          : { type: 'json_schema', json_schema: { name: 'answer', schema: request.jsonSchema } };
    }
    return body;
  }

  private headers(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }

  /** `fetch`, with an unreachable server reported as such (an abort stays an abort). */
  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (init.signal?.aborted) throw abortError();
      const why = err instanceof Error ? (causeText(err) ?? err.message) : String(err);
      throw namedError(
        OPENAI_ENGINE_ERRORS.unavailable,
        `Cannot reach the LLM server at ${url} (${why}). Is it running, and is TABGRAPH_LLM_BASE_URL right?`,
      );
    }
  }
}

/** The `data` of each server-sent event in `body`, in order (comments and other fields skipped). */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      let text = buffer + (done ? decoder.decode() : decoder.decode(value, { stream: true }));
      // A trailing \r may be the first half of \r\n: wait for the next chunk to tell.
      const held = !done && text.endsWith('\r') ? '\r' : '';
      if (held) text = text.slice(0, -1);
      const lines = text.split(/\r\n|\r|\n/);
      // The last piece is an unfinished line, unless the stream has ended.
      buffer = done ? '' : (lines.pop() ?? '') + held;
      if (done) lines.push('');
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
      if (done) return;
    }
  } finally {
    // Closes the connection when the consumer stops before the end (harmless after it).
    reader.cancel().catch(() => undefined);
  }
}

function parseChunk(url: string, data: string): CompletionChunk {
  try {
    return JSON.parse(data) as CompletionChunk;
  } catch {
    throw requestError(url, undefined, `a streamed chunk is not JSON: ${data.slice(0, 200)}`);
  }
}

function usageOf(
  last: CompletionChunk,
  deltas: number,
  start: number,
  firstAt: number | undefined,
  end: number,
  finishReason: string | undefined,
): EngineUsage {
  const completionTokens = last.usage?.completion_tokens ?? deltas;
  const decodeSeconds = firstAt === undefined ? 0 : (end - firstAt) / 1000;
  const measured = decodeSeconds > 0 && completionTokens > 1 ? (completionTokens - 1) / decodeSeconds : undefined;
  return {
    // Servers that ignore stream_options send no usage: then the prompt size is unknown (0).
    promptTokens: last.usage?.prompt_tokens ?? 0,
    completionTokens,
    prefillTokensPerSecond: last.timings?.prompt_per_second,
    decodeTokensPerSecond: last.timings?.predicted_per_second ?? measured,
    timeToFirstTokenMs: firstAt === undefined ? undefined : firstAt - start,
    ...(finishReason ? { finishReason } : {}),
  };
}

const CONTEXT_TEXT = /context.?(length|window|size)|maximum context|too many tokens|exceeds the available context/i;

/** Maps a non-2xx answer to an Error naming the URL, the status and the server's own message. */
async function httpError(url: string, res: Response): Promise<Error> {
  let text = '';
  try {
    text = (await res.text()).slice(0, 2_000);
  } catch {
    // the body is lost; the status still says enough
  }
  let detail = text.trim();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    detail = parsed.error !== undefined ? errorText(parsed.error) : (parsed.message ?? detail);
  } catch {
    // not JSON: keep the text
  }
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  if (res.status === 400 || res.status === 422) return requestError(url, status, detail);
  const hint =
    res.status === 404 && !/\/v\d+$/.test(url.replace(/\/(models|chat\/completions)$/, ''))
      ? ' The base URL usually ends in /v1.'
      : res.status === 401 || res.status === 403
        ? ' Check TABGRAPH_LLM_API_KEY.'
        : '';
  return namedError(
    OPENAI_ENGINE_ERRORS.unavailable,
    `The LLM server at ${url} answered ${status}${detail ? `: ${detail}` : ''}.${hint}`,
  );
}

function requestError(url: string, status: string | undefined, detail: string): Error {
  const where = status ? `${url} answered ${status}` : `${url} failed`;
  if (CONTEXT_TEXT.test(detail))
    return namedError(
      OPENAI_ENGINE_ERRORS.contextWindow,
      `The input is too long for this model (${where}: ${detail}).`,
    );
  return namedError(OPENAI_ENGINE_ERRORS.request, `The LLM server refused the request (${where}: ${detail}).`);
}

function errorText(error: { message?: string } | string): string {
  return typeof error === 'string' ? error : (error.message ?? JSON.stringify(error));
}

/** Node's fetch hides the reason (ECONNREFUSED ...) in `cause`. */
function causeText(err: Error): string | undefined {
  const cause = (err as Error & { cause?: unknown }).cause;
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code, message } = cause as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : typeof message === 'string' ? message : undefined;
}

/**
 * The engine the environment asks for, or null when `TABGRAPH_LLM_BASE_URL` is unset:
 * - `TABGRAPH_LLM_BASE_URL`: the API root, `/v1` included (e.g. `http://127.0.0.1:11434/v1`);
 * - `TABGRAPH_LLM_MODEL`: the model name (required with a base URL);
 * - `TABGRAPH_LLM_API_KEY`: optional bearer token;
 * - `TABGRAPH_LLM_JSON_FORMAT`: `json_schema` (default) or `json_object`.
 * Throws `EngineConfigError` on a malformed setting.
 */
export function engineFromEnv(env: Record<string, string | undefined>): OpenAICompatibleEngine | null {
  const baseUrl = env.TABGRAPH_LLM_BASE_URL?.trim();
  if (!baseUrl) return null;
  const bad = (message: string) => namedError(OPENAI_ENGINE_ERRORS.config, message);
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw bad(`TABGRAPH_LLM_BASE_URL must be an absolute http(s) URL, got "${baseUrl}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw bad(`TABGRAPH_LLM_BASE_URL must be an http(s) URL, got "${baseUrl}".`);
  const model = env.TABGRAPH_LLM_MODEL?.trim();
  if (!model) throw bad('TABGRAPH_LLM_MODEL is required with TABGRAPH_LLM_BASE_URL (any name for llama.cpp).');
  const jsonFormat = env.TABGRAPH_LLM_JSON_FORMAT?.trim() || 'json_schema';
  if (jsonFormat !== 'json_schema' && jsonFormat !== 'json_object')
    throw bad(`TABGRAPH_LLM_JSON_FORMAT must be json_schema or json_object, got "${jsonFormat}".`);
  return new OpenAICompatibleEngine({ baseUrl, model, apiKey: env.TABGRAPH_LLM_API_KEY?.trim(), jsonFormat });
}
