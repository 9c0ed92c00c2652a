import type { UnstampedEvent } from '../protocol';
import type { ChatEngine, ChatRequest, EngineChunk } from '../engines/types';

/**
 * Wraps an engine so that the usage report at the end of each completion is also sent to the
 * page as `engine.usage` (tokens/s for prefill and decode, time to first token).
 */
export function reportingUsage(engine: ChatEngine, emit: (e: UnstampedEvent) => void): ChatEngine {
  return {
    kind: engine.kind,
    modelId: engine.modelId,
    load: (onProgress, signal) => engine.load(onProgress, signal),
    unload: () => engine.unload(),
    stream(request: ChatRequest): AsyncIterable<EngineChunk> {
      const inner = engine.stream(request);
      return {
        [Symbol.asyncIterator]() {
          const it = inner[Symbol.asyncIterator]();
          return {
            async next() {
              const r = await it.next();
              if (!r.done && r.value.type === 'usage') emit({ type: 'engine.usage', runId: null, ...r.value.usage });
              return r;
            },
            return: (value?: unknown) =>
              it.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
            throw: (e?: unknown) => it.throw?.(e) ?? Promise.reject(e),
          };
        },
      };
    },
  };
}
