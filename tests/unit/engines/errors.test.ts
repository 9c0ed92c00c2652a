import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEngineError, toEngineError } from '../../../src/engines/errors';

const named = (name: string, message = 'raw') => Object.assign(new Error(message), { name });

describe('describeEngineError', () => {
  it.each([
    [named('WebGPUNotAvailableError'), 'NoWebGPUError', /navigator\.gpu/],
    [named('WebGPUNotFoundError'), 'NoWebGPUError', /WebGPU/],
    [new Error('Unable to find a compatible GPU. This issue might be…'), 'NoAdapterError', /no GPU adapter/],
    [named('ShaderF16SupportError'), 'ShaderF16UnsupportedError', /shader-f16/],
    [named('FeatureSupportError', 'needs subgroups'), 'UnsupportedModelError', /subgroups/],
    [named('DeviceLostError'), 'DeviceLostError', /GPU memory/],
    [new DOMException('x', 'QuotaExceededError'), 'QuotaExceededError', /quota/],
    [new TypeError('Failed to fetch'), 'NetworkError', /network request/],
    [new Error('Cannot fetch https://x/y.bin'), 'NetworkError', /network request/],
    [named('ModelNotLoadedError'), 'ModelNotLoadedError', /load a model/],
    [named('MissingModelError'), 'ModelLibraryError', /model library/],
    [named('CompileError', 'expected magic word'), 'ModelLibraryError', /magic word/],
    [new DOMException('stop', 'AbortError'), 'AbortError', /stop/],
    [named('InvalidModelUrlError', 'bad url "x"'), 'InvalidModelUrlError', /bad url "x"/],
    [named('ModelInUseError', 'M is being loaded.'), 'ModelInUseError', /^M is being loaded\.$/],
  ])('%s -> %s', (err, name, message) => {
    const d = describeEngineError(err);
    expect(d.name).toBe(name);
    expect(d.message).toMatch(message);
  });

  it("rewords web-llm's ContextWindowSizeExceededError with the sizes it names", () => {
    const raw =
      'Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096\n' +
      'Consider shortening the prompt, or increase `context_window_size`, or using sliding window via ' +
      '`sliding_window_size`.';
    expect(describeEngineError(named('ContextWindowSizeExceededError', raw))).toEqual({
      name: 'ContextWindowExceededError',
      message:
        "The input is too long for this model: the prompt has 5000 tokens, but this model's context window " +
        'holds 4096 (prompt and answer together). Shorten the input or pick a model with a larger context window.',
    });
    expect(describeEngineError(named('ContextWindowSizeExceededError', 'too long')).message).toBe(
      "The input is too long for this model: the prompt does not fit in this model's context window. " +
        'Shorten the input or pick a model with a larger context window.',
    );
  });

  it('knows the name and wording of the installed web-llm (the class is not exported)', () => {
    const bundle = readFileSync('node_modules/@mlc-ai/web-llm/lib/index.js', 'utf8');
    expect(bundle).toContain('this.name = "ContextWindowSizeExceededError"');
    expect(bundle).toMatch(
      /number of prompt tokens: \$\{numPromptTokens\}; ` \+\s+`context window size: \$\{contextWindowSize\}/,
    );
  });

  it('keeps unknown errors as they are and copes with non-errors', () => {
    expect(describeEngineError(named('WeirdError', 'odd'))).toEqual({ name: 'WeirdError', message: 'odd' });
    expect(describeEngineError('boom')).toEqual({ name: 'Error', message: 'boom' });
  });

  it('toEngineError keeps the original as cause', () => {
    const original = named('DeviceLostError');
    const err = toEngineError(original);
    expect(err.name).toBe('DeviceLostError');
    expect((err as Error & { cause?: unknown }).cause).toBe(original);
  });
});
