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
  ])('%s -> %s', (err, name, message) => {
    const d = describeEngineError(err);
    expect(d.name).toBe(name);
    expect(d.message).toMatch(message);
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
