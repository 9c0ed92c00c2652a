import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engineFromEnv, OpenAICompatibleEngine, sseData } from '../../../src/engines/openai';
import type { ChatRequest, EngineChunk } from '../../../src/engines/types';
import { startOpenAIStandIn, type OpenAIStandIn } from '../../support/openaiServer';

const messages: ChatRequest['messages'] = [
  { role: 'system', content: 'You design schemas.' },
  { role: 'user', content: 'a blog' },
];

async function collect(stream: AsyncIterable<EngineChunk>): Promise<EngineChunk[]> {
  const out: EngineChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** A port with nothing listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let server: OpenAIStandIn;
let engine: OpenAICompatibleEngine;
beforeAll(async () => {
  server = await startOpenAIStandIn();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.reply = {};
  server.modelsStatus = 200;
  engine = new OpenAICompatibleEngine({ baseUrl: `${server.baseUrl}/`, model: 'qwen2.5:0.5b', apiKey: 'sk-test' });
});

describe('OpenAICompatibleEngine.stream', () => {
  it('streams the tokens in order, then one usage report', async () => {
    server.reply = { tokens: ['Hel', 'lo', ',', ' wörld'], usage: { prompt_tokens: 12, completion_tokens: 4 } };
    const chunks = await collect(engine.stream({ messages }));
    expect(chunks.slice(0, 4)).toEqual([
      { type: 'token', content: 'Hel' },
      { type: 'token', content: 'lo' },
      { type: 'token', content: ',' },
      { type: 'token', content: ' wörld' },
    ]);
    expect(chunks).toHaveLength(5);
    const last = chunks[4];
    expect(last.type).toBe('usage');
    if (last.type !== 'usage') return;
    expect(last.usage).toMatchObject({ promptTokens: 12, completionTokens: 4, finishReason: 'stop' });
    expect(typeof last.usage.timeToFirstTokenMs).toBe('number');
  });

  it('sends the model, the messages, max_tokens, temperature and the API key', async () => {
    server.reply = { tokens: ['ok'] };
    await collect(engine.stream({ messages, maxTokens: 64, temperature: 0.2 }));
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({
      model: 'qwen2.5:0.5b',
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 64,
      temperature: 0.2,
    });
  });

  it('leaves out what was not asked for: no key, no limits, no response_format', async () => {
    const bare = new OpenAICompatibleEngine({ baseUrl: server.baseUrl, model: 'm' });
    await collect(bare.stream({ messages }));
    const [req] = server.requests;
    expect(req.headers.authorization).toBeUndefined();
    expect(Object.keys(req.body as object).sort()).toEqual(['messages', 'model', 'stream', 'stream_options']);
  });

  it('passes a JSON Schema through as response_format json_schema', async () => {
    const schema = { type: 'object', properties: { ops: { type: 'array' } }, required: ['ops'] };
    await collect(engine.stream({ messages, jsonSchema: schema }));
    expect((server.requests[0].body as { response_format: unknown }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema },
    });
  });

  it('falls back to response_format json_object when configured so (older llama.cpp/Ollama)', async () => {
    const loose = new OpenAICompatibleEngine({ baseUrl: server.baseUrl, model: 'm', jsonFormat: 'json_object' });
    await collect(loose.stream({ messages, jsonSchema: { type: 'object' } }));
    expect((server.requests[0].body as { response_format: unknown }).response_format).toEqual({ type: 'json_object' });
  });

  it('counts the deltas when the server sends no usage, and reports the finish reason', async () => {
    server.reply = { tokens: ['a', 'b', 'c'], usage: null, finishReason: 'length' };
    const usage = (await collect(engine.stream({ messages }))).at(-1);
    expect(usage).toMatchObject({
      type: 'usage',
      usage: { promptTokens: 0, completionTokens: 3, finishReason: 'length' },
    });
  });

  it('stops on abort mid-stream with an AbortError, and the request is cut off', async () => {
    server.reply = { tokens: ['one', ' two', ' three'], hangAfter: 2 };
    const controller = new AbortController();
    const iter = engine.stream({ messages, signal: controller.signal })[Symbol.asyncIterator]();
    expect(await iter.next()).toEqual({ done: false, value: { type: 'token', content: 'one' } });
    expect(await iter.next()).toEqual({ done: false, value: { type: 'token', content: ' two' } });
    const pending = iter.next(); // the server sends nothing more: this waits
    controller.abort();
    const err = await failure(pending);
    expect(err.name).toBe('AbortError');
    await server.requests[0].closed;
    expect(server.requests[0].clientLeftEarly).toBe(true);
  });

  it('refuses to start with an aborted signal, without a request', async () => {
    const err = await failure(collect(engine.stream({ messages, signal: AbortSignal.abort() })));
    expect(err.name).toBe('AbortError');
    expect(server.requests).toHaveLength(0);
  });

  it('closes the connection when the consumer stops early', async () => {
    server.reply = { tokens: ['a', 'b', 'c'], hangAfter: 1 };
    for await (const c of engine.stream({ messages })) {
      expect(c).toEqual({ type: 'token', content: 'a' });
      break;
    }
    await server.requests[0].closed;
    expect(server.requests[0].clientLeftEarly).toBe(true);
  });
});

describe('OpenAICompatibleEngine errors', () => {
  it('maps HTTP 500 to EngineUnavailableError with the URL, the status and the server message', async () => {
    server.reply = { status: 500 };
    const err = await failure(collect(engine.stream({ messages })));
    expect(err.name).toBe('EngineUnavailableError');
    expect(err.message).toContain(`${server.baseUrl}/chat/completions`);
    expect(err.message).toContain('500');
    expect(err.message).toContain('scripted failure');
  });

  it('maps a refused connection to EngineUnavailableError naming the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const err = await failure(collect(new OpenAICompatibleEngine({ baseUrl: url, model: 'm' }).stream({ messages })));
    expect(err.name).toBe('EngineUnavailableError');
    expect(err.message).toContain(`Cannot reach the LLM server at ${url}/chat/completions`);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('maps 400 to EngineRequestError, or ContextWindowExceededError when the prompt is too long', async () => {
    server.reply = { status: 400, errorBody: JSON.stringify({ error: { message: 'response_format not supported' } }) };
    const refused = await failure(collect(engine.stream({ messages })));
    expect(refused.name).toBe('EngineRequestError');
    expect(refused.message).toContain('response_format not supported');

    server.reply = {
      status: 400,
      errorBody: JSON.stringify({ error: "This model's maximum context length is 2048 tokens." }),
    };
    const tooLong = await failure(collect(engine.stream({ messages })));
    expect(tooLong.name).toBe('ContextWindowExceededError');
    expect(tooLong.message).toContain('maximum context length is 2048 tokens');
  });

  it('hints at /v1 on a 404 and at the API key on a 401', async () => {
    const noV1 = new OpenAICompatibleEngine({ baseUrl: server.baseUrl.replace(/\/v1$/, ''), model: 'm' });
    const notFound = await failure(collect(noV1.stream({ messages })));
    expect(notFound.name).toBe('EngineUnavailableError');
    expect(notFound.message).toContain('404');
    expect(notFound.message).toContain('usually ends in /v1');

    server.reply = { status: 401, errorBody: 'Unauthorized' };
    const denied = await failure(collect(engine.stream({ messages })));
    expect(denied.message).toContain('401');
    expect(denied.message).toContain('TABGRAPH_LLM_API_KEY');
  });

  it('turns an error sent inside the stream into EngineRequestError, after the tokens before it', async () => {
    server.reply = { tokens: ['partial'], streamError: 'out of memory' };
    const seen: EngineChunk[] = [];
    const err = await failure(
      (async () => {
        for await (const c of engine.stream({ messages })) seen.push(c);
      })(),
    );
    expect(seen).toEqual([{ type: 'token', content: 'partial' }]);
    expect(err.name).toBe('EngineRequestError');
    expect(err.message).toContain('out of memory');
  });
});

describe('OpenAICompatibleEngine.load', () => {
  it('checks that the server answers, then reports progress 1', async () => {
    const progress: number[] = [];
    await engine.load((p) => progress.push(p.progress));
    expect(progress).toEqual([1]);
    expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization}`)).toEqual([
      'GET /v1/models Bearer sk-test',
    ]);
  });

  it('accepts a server without /models, but not one that fails or is unreachable', async () => {
    server.modelsStatus = 404;
    await engine.load(() => {});
    server.modelsStatus = 503;
    expect((await failure(engine.load(() => {}))).name).toBe('EngineUnavailableError');
    const gone = new OpenAICompatibleEngine({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1`, model: 'm' });
    expect((await failure(gone.load(() => {}))).name).toBe('EngineUnavailableError');
  });
});

describe('engineFromEnv', () => {
  it('is null without TABGRAPH_LLM_BASE_URL', () => {
    expect(engineFromEnv({})).toBeNull();
    expect(engineFromEnv({ TABGRAPH_LLM_BASE_URL: ' ', TABGRAPH_LLM_MODEL: 'm' })).toBeNull();
  });

  it('builds an engine from the variables, which talks to the server they name', async () => {
    const fromEnv = engineFromEnv({
      TABGRAPH_LLM_BASE_URL: server.baseUrl,
      TABGRAPH_LLM_MODEL: 'llama3.2',
      TABGRAPH_LLM_API_KEY: 'secret',
      TABGRAPH_LLM_JSON_FORMAT: 'json_object',
    });
    expect(fromEnv).toMatchObject({ kind: 'openai', modelId: 'llama3.2', baseUrl: server.baseUrl });
    server.reply = { tokens: ['{}'] };
    const chunks = await collect(fromEnv!.stream({ messages, jsonSchema: { type: 'object' } }));
    expect(chunks[0]).toEqual({ type: 'token', content: '{}' });
    const [req] = server.requests;
    expect(req.headers.authorization).toBe('Bearer secret');
    expect(req.body).toMatchObject({ model: 'llama3.2', response_format: { type: 'json_object' } });
  });

  it('rejects malformed settings with EngineConfigError', () => {
    const bad = (env: Record<string, string>) => {
      try {
        engineFromEnv(env);
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
      }
      return 'no error';
    };
    expect(bad({ TABGRAPH_LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toMatch(
      /^EngineConfigError: TABGRAPH_LLM_MODEL is required/,
    );
    expect(bad({ TABGRAPH_LLM_BASE_URL: 'localhost:11434', TABGRAPH_LLM_MODEL: 'm' })).toMatch(
      /^EngineConfigError: TABGRAPH_LLM_BASE_URL must be an http\(s\) URL/,
    );
    expect(bad({ TABGRAPH_LLM_BASE_URL: 'not a url', TABGRAPH_LLM_MODEL: 'm' })).toMatch(
      /^EngineConfigError: TABGRAPH_LLM_BASE_URL must be an absolute/,
    );
    expect(
      bad({ TABGRAPH_LLM_BASE_URL: 'http://h/v1', TABGRAPH_LLM_MODEL: 'm', TABGRAPH_LLM_JSON_FORMAT: 'grammar' }),
    ).toMatch(/^EngineConfigError: TABGRAPH_LLM_JSON_FORMAT must be json_schema or json_object/);
  });
});

describe('sseData', () => {
  const streamOf = (pieces: (string | Uint8Array)[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of pieces) c.enqueue(typeof p === 'string' ? new TextEncoder().encode(p) : p);
        c.close();
      },
    });

  it('joins lines split across chunks, CRLF split between chunks, and multi-byte characters', async () => {
    const e = new TextEncoder().encode('data: é\n\n'); // é is two bytes: split between them
    const out: string[] = [];
    for await (const d of sseData(
      streamOf([
        'data: {"a"',
        ':1}\r',
        '\n\r\n',
        'data: x\r',
        '\ndata: y\n\n: a comment\nevent: e\nid: 3\ndata:z\n\n',
        e.slice(0, 7),
        e.slice(7),
        'data: last, unterminated',
      ]),
    ))
      out.push(d);
    expect(out).toEqual(['{"a":1}', 'x\ny', 'z', 'é', 'last, unterminated']);
  });
});
