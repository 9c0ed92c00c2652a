/**
 * Stand-in engines for the schema agent's tests (node and browser): no weights, deterministic.
 */
import type { ChatEngine, ChatRequest, EngineChunk } from '../../src/engines/types';
import { demoRespond } from '../../src/graphs/schema/demoResponder';
import { DESIGN_MARKER } from '../../src/graphs/schema/prompts';

/** Streams `answer(request, call)` word by word; `call` counts from 0 across all requests. */
export class ScriptedEngine implements ChatEngine {
  readonly kind = 'demo' as const;
  readonly modelId = 'scripted';
  /** Every request the engine received, in order. */
  readonly requests: ChatRequest[] = [];

  constructor(private readonly answer: (request: ChatRequest, call: number) => string) {}

  async load(): Promise<void> {}
  async unload(): Promise<void> {}

  async *stream(request: ChatRequest): AsyncGenerator<EngineChunk> {
    this.requests.push(request);
    const text = this.answer(request, this.requests.length - 1);
    for (const token of text.match(/\s*\S+|\s+/g) ?? []) {
      request.signal?.throwIfAborted();
      yield { type: 'token', content: token };
    }
    yield { type: 'usage', usage: { promptTokens: 1, completionTokens: 1 } };
  }

  /** The requests made by the design step. */
  designRequests(): ChatRequest[] {
    return this.requests.filter((r) => r.messages[0]?.content.includes(DESIGN_MARKER));
  }
}

/** The demo responder as an engine. */
export function demoTestEngine(): ScriptedEngine {
  return new ScriptedEngine((r) => demoRespond(r));
}

/**
 * The demo responder, except that the first `bad` design answers are replaced by `badAnswer`
 * (malformed JSON by default).
 */
export function flakyDesignEngine(bad: number, badAnswer = '{"operations": [ {"op": "add", } ] }'): ScriptedEngine {
  let designs = 0;
  return new ScriptedEngine((r) => {
    if (!r.messages[0]?.content.includes(DESIGN_MARKER)) return demoRespond(r);
    return designs++ < bad ? badAnswer : demoRespond(r);
  });
}
