/**
 * A stand-in for an OpenAI-compatible LLM server (Ollama, llama.cpp, vLLM), on 127.0.0.1 and a
 * free port: `POST /v1/chat/completions` streams a scripted answer in OpenAI's chunk format over
 * server-sent events, `GET /v1/models` lists one model. It records every request, and whether the
 * client went away before the answer ended (an aborted fetch).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in answers to one chat completion. */
export interface ScriptedReply {
  /** A status other than 200 answers `errorBody` (default: an OpenAI-style error) instead. */
  status?: number;
  errorBody?: string;
  tokens?: string[];
  /** Sent in a last chunk with empty `choices`, as OpenAI does; `null` sends none. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  finishReason?: string;
  /** Send this many tokens, then keep the connection open until the client leaves. */
  hangAfter?: number;
  /** After the tokens, an error inside the stream (as vLLM and llama.cpp send them). */
  streamError?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Set when the client closed the connection before the answer was complete. */
  clientLeftEarly: boolean;
  /** Resolves when the exchange is over, either way. */
  closed: Promise<void>;
}

export interface OpenAIStandIn {
  /** The API root, `/v1` included. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The reply to the next chat completions. */
  reply: ScriptedReply;
  modelsStatus: number;
  close(): Promise<void>;
}

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'm', choices, ...extra })}\n\n`;

export async function startOpenAIStandIn(reply: ScriptedReply = {}): Promise<OpenAIStandIn> {
  const standIn = { requests: [] as RecordedRequest[], reply, modelsStatus: 200 };
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const part of req) raw += String(part);
    let markClosed = () => {};
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
      clientLeftEarly: false,
      closed: new Promise<void>((r) => (markClosed = r)),
    };
    standIn.requests.push(record);
    res.on('close', () => {
      record.clientLeftEarly = !res.writableFinished;
      markClosed();
    });

    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(standIn.modelsStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'stand-in', object: 'model' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const r = standIn.reply;
    if (r.status !== undefined && r.status !== 200) {
      res.writeHead(r.status, { 'content-type': 'application/json' });
      res.end(r.errorBody ?? JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    res.write(': keep-alive comment, to be skipped\n\n');
    const tokens = r.tokens ?? [];
    for (const [i, content] of tokens.entries()) {
      if (i === r.hangAfter) return; // the connection stays open until the client leaves
      res.write(chunk([{ index: 0, delta: { content }, finish_reason: null }]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (r.hangAfter !== undefined) return;
    if (r.streamError !== undefined) {
      res.end(`data: ${JSON.stringify({ error: { message: r.streamError } })}\n\n`);
      return;
    }
    res.write(chunk([{ index: 0, delta: {}, finish_reason: r.finishReason ?? 'stop' }]));
    if (r.usage !== null) {
      const usage = r.usage ?? { prompt_tokens: 7, completion_tokens: tokens.length };
      res.write(chunk([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(standIn, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
