import { namedError } from '../shared/errors';

/**
 * The names engine failures carry, so the page can tell them apart by `err.name` alone
 * (errors cross the worker boundary as `{name, message}` data, never as classes).
 */
export const ENGINE_ERRORS = {
  aborted: 'AbortError',
  noWebGPU: 'NoWebGPUError',
  noAdapter: 'NoAdapterError',
  shaderF16: 'ShaderF16UnsupportedError',
  unsupportedModel: 'UnsupportedModelError',
  deviceLost: 'DeviceLostError',
  quota: 'QuotaExceededError',
  network: 'NetworkError',
  notLoaded: 'ModelNotLoadedError',
  modelNotFound: 'ModelNotFoundError',
  invalidUrl: 'InvalidModelUrlError',
  filesMissing: 'ModelFilesMissingError',
  badLibrary: 'ModelLibraryError',
  contextWindow: 'ContextWindowExceededError',
  modelInUse: 'ModelInUseError',
} as const;
export type EngineErrorName = (typeof ENGINE_ERRORS)[keyof typeof ENGINE_ERRORS];

/** An Error named `AbortError`, the one way every engine reports cancellation. */
export function abortError(message = 'The generation was cancelled.'): Error {
  return namedError(ENGINE_ERRORS.aborted, message);
}

/** Throws {@link abortError} when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

const MESSAGES: Record<string, string> = {
  NoWebGPUError:
    'This browser does not offer WebGPU (navigator.gpu is missing), so local models cannot run. ' +
    'Use a recent Chrome or Edge, or keep using the offline demo engine.',
  NoAdapterError:
    'WebGPU is present but no GPU adapter was found (it may be disabled or blocklisted). ' +
    'The offline demo engine still works.',
  ShaderF16UnsupportedError:
    'This model needs the WebGPU "shader-f16" feature, which this GPU or browser lacks. ' +
    'Pick a q4f32/q0f32 model instead.',
  DeviceLostError:
    'The GPU device was lost, most often because the model did not fit in GPU memory. ' +
    'Try a smaller model or close other GPU-heavy tabs.',
  QuotaExceededError:
    'The browser refused to store the model: storage quota exceeded. ' +
    'Free some space (delete cached models) or pick a smaller model.',
  NetworkError: 'A network request for the model files failed. Check the connection or the model base URL.',
  ModelNotLoadedError: 'No model is loaded yet: select and load a model first.',
};

const ABORT_NAMES = new Set(['AbortError', 'GraphInterrupt', 'CancelledError']);
const NETWORK_TEXT = /failed to fetch|networkerror|network error|load failed|cannot fetch|err_internet/i;

/**
 * Maps anything an engine (or web-llm underneath it) throws to one of {@link ENGINE_ERRORS}
 * with a message a user can act on. Names web-llm 0.2.86 uses are folded into ours; unknown
 * errors keep their own name and message.
 */
export function describeEngineError(err: unknown): { name: string; message: string } {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as {
    name?: unknown;
    message?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const raw = typeof e.message === 'string' ? e.message : String(e.message ?? err);
  const own = (n: EngineErrorName, message = MESSAGES[n] ?? raw) => ({ name: n, message });

  if (ABORT_NAMES.has(name)) return own('AbortError', raw || 'The operation was cancelled.');
  if (Object.values(ENGINE_ERRORS).includes(name as EngineErrorName) && !(name in MESSAGES))
    return { name, message: raw }; // already one of ours, with its specific message
  switch (name) {
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
    case 'NoWebGPUError':
      return own('NoWebGPUError');
    case 'NoAdapterError':
      return own('NoAdapterError');
    case 'ShaderF16SupportError':
    case 'ShaderF16UnsupportedError':
      return own('ShaderF16UnsupportedError');
    case 'FeatureSupportError':
      return own('UnsupportedModelError', raw);
    case 'DeviceLostError':
      return own('DeviceLostError');
    case 'QuotaExceededError':
      return own('QuotaExceededError');
    case 'ModelNotLoadedError':
    case 'WorkerEngineModelNotLoadedError':
      return own('ModelNotLoadedError');
    case 'SpecifiedModelNotFoundError':
      return own('ModelNotFoundError', raw);
    case 'MissingModelError':
    case 'CompileError':
    case 'LinkError':
      return own(
        'ModelLibraryError',
        `The model library (wasm) could not be loaded: it is missing, corrupt or built for another ` +
          `web-llm version. (${raw})`,
      );
    case 'NetworkError':
      return own('NetworkError');
    case 'ContextWindowSizeExceededError':
      return own('ContextWindowExceededError', contextWindowMessage(raw));
  }
  // web-llm throws a plain Error when requestAdapter() returns null.
  if (/unable to find a compatible gpu/i.test(raw)) return own('NoAdapterError');
  if (/quota/i.test(raw)) return own('QuotaExceededError');
  if (/device (was )?lost/i.test(raw)) return own('DeviceLostError');
  if ((name === 'TypeError' || name === 'Error') && NETWORK_TEXT.test(raw))
    return own('NetworkError', `${MESSAGES.NetworkError} (${raw})`);
  return { name, message: raw };
}

/**
 * web-llm 0.2.86 says "Prompt tokens exceed context window size: number of prompt tokens: N;
 * context window size: M" and then suggests config changes our users cannot make.
 */
function contextWindowMessage(raw: string): string {
  const prompt = /number of prompt tokens:\s*(\d+)/i.exec(raw)?.[1];
  const limit = /context window size:\s*(\d+)/i.exec(raw)?.[1];
  const sizes =
    prompt && limit
      ? `the prompt has ${prompt} tokens, but this model's context window holds ${limit} (prompt and answer together)`
      : "the prompt does not fit in this model's context window";
  return `The input is too long for this model: ${sizes}. Shorten the input or pick a model with a larger context window.`;
}

/** {@link describeEngineError} as a real Error, keeping the original as `cause` for the console. */
export function toEngineError(err: unknown): Error {
  const { name, message } = describeEngineError(err);
  if (err instanceof Error && err.name === name && err.message === message) return err;
  const out = namedError(name, message);
  (out as Error & { cause?: unknown }).cause = err;
  return out;
}
