import type { ChatEngine, ChatRequest, EngineChunk, EngineManager } from '../../src/engines/types';

/**
 * A stand-in chat engine for spine tests: streams a fixed answer word by word, optionally with a
 * delay per token, and stops with an AbortError when the request's signal aborts.
 */
export class ScriptedEngine implements ChatEngine {
  readonly kind = 'demo' as const;
  readonly modelId = 'scripted';
  calls = 0;
  constructor(
    private readonly answer: (req: ChatRequest) => string = () => 'Tabgraph streams every token of this answer.',
    private readonly delayMs = 0,
  ) {}
  async load(): Promise<void> {}
  async unload(): Promise<void> {}
  async *stream(req: ChatRequest): AsyncGenerator<EngineChunk> {
    this.calls += 1;
    const tokens = this.answer(req).match(/\S+\s*/g) ?? [];
    for (const content of tokens) {
      if (req.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
      else await Promise.resolve();
      if (req.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      yield { type: 'token', content };
    }
    yield { type: 'usage', usage: { promptTokens: 10, completionTokens: tokens.length } };
  }
}

/** An engine manager that always answers with the given engine. */
export function fixedEngineManager(engine: ChatEngine): EngineManager {
  return {
    current: () => engine,
    select: async () => engine,
    list: async () => ({ gpu: { available: false, reason: 'test' }, models: [], defaultModelId: 'scripted' }),
    deleteCache: async () => {},
  };
}

/** The text of the tokens `engine` streams for `req`. */
export async function streamedText(engine: ChatEngine, req: ChatRequest): Promise<string> {
  let out = '';
  for await (const c of engine.stream(req)) if (c.type === 'token') out += c.content;
  return out;
}

/** The demo engine's answer to a request that brings no demo answer of its own: it says what it is, and echoes. */
export const demoEcho = (said: string) => `This is the offline demo engine, without an LLM. You said: ${said}`;
