import type { EngineKind, EngineModelInfo, EngineStatus, GpuInfo, SerializedError, WorkerEvent } from '../protocol';

/** What the page knows about the worker's engine. */
export interface EngineState {
  kind: EngineKind;
  status: EngineStatus;
  modelId?: string;
  /** Load progress 0..1 and WebLLM's phase text. */
  progress: number;
  progressText: string;
  error: SerializedError | null;
  gpu: GpuInfo | null;
  models: EngineModelInfo[];
  defaultModelId?: string;
  usage: {
    promptTokens: number;
    completionTokens: number;
    prefillTokensPerSecond?: number;
    decodeTokensPerSecond?: number;
    timeToFirstTokenMs?: number;
  } | null;
}

export function initialEngineState(): EngineState {
  return {
    kind: 'demo',
    status: 'ready',
    modelId: 'demo',
    progress: 1,
    progressText: '',
    error: null,
    gpu: null,
    models: [],
    usage: null,
  };
}

/** Applies the engine events of a batch; returns the same object when none applied. */
export function applyEngineEvents(state: EngineState, events: readonly WorkerEvent[]): EngineState {
  let s = state;
  for (const ev of events) {
    switch (ev.type) {
      case 'engine.state':
        s = {
          ...s,
          kind: ev.kind,
          status: ev.status,
          modelId: ev.modelId,
          error: ev.error ?? null,
          ...(ev.status === 'loading' ? { progress: 0, progressText: 'Starting' } : {}),
          ...(ev.status === 'ready' ? { progress: 1 } : {}),
        };
        break;
      case 'engine.progress':
        // Never let the bar go backwards within one load.
        s = { ...s, progress: Math.max(s.progress, Math.min(1, ev.progress)), progressText: ev.text };
        break;
      case 'engine.usage':
        s = {
          ...s,
          usage: {
            promptTokens: ev.promptTokens,
            completionTokens: ev.completionTokens,
            prefillTokensPerSecond: ev.prefillTokensPerSecond,
            decodeTokensPerSecond: ev.decodeTokensPerSecond,
            timeToFirstTokenMs: ev.timeToFirstTokenMs,
          },
        };
        break;
      case 'engine.list':
        s = { ...s, gpu: ev.gpu, models: ev.models, defaultModelId: ev.defaultModelId };
        break;
    }
  }
  return s;
}
