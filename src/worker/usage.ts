import type { UnstampedEvent } from '../protocol';
import type { ChatEngine, ChatRequest, EngineChunk, EngineUsage } from '../engines/types';

/**
 * Wraps an engine so that the usage report at the end of each completion is also sent to the
 * page as `engine.usage` (tokens/s for prefill and decode, time to first token), with the id of
 * the run that asked for it.
 */
export function reportingUsage(
  engine: ChatEngine,
  emit: (e: UnstampedEvent) => void,
  runId: () => string | null = () => null,
): ChatEngine {
  return {
    kind: engine.kind,
    modelId: engine.modelId,
    contextWindowTokens: engine.contextWindowTokens,
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
              if (!r.done && r.value.type === 'usage')
                emit({ type: 'engine.usage', runId: runId(), ...usageFields(r.value.usage) });
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

/** The usage fields the protocol carries (engines may know more). */
function usageFields(u: EngineUsage) {
  const { promptTokens, completionTokens, prefillTokensPerSecond, decodeTokensPerSecond, timeToFirstTokenMs } = u;
  return {
    promptTokens,
    completionTokens,
    prefillTokensPerSecond,
    decodeTokensPerSecond,
    timeToFirstTokenMs,
    ...(u.finishReason ? { finishReason: u.finishReason } : {}),
  };
}
