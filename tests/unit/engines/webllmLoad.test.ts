import { describe, expect, it } from 'vitest';
import { monotonicProgress, webLLMProgressMapper } from '../../../src/engines/webllmLoad';

describe('webLLMProgressMapper', () => {
  it('folds web-llm phases (each 0..1) into one bar that only moves forward', () => {
    const map = webLLMProgressMapper();
    const out = [
      { progress: 0, text: 'Start to fetch params' },
      { progress: 0.5, text: 'Fetching param cache[1/2]: 50% completed' },
      { progress: 1, text: 'Fetching param cache[2/2]: 100% completed' },
      { progress: 0.1, text: 'Loading model from cache[1/9]: 10% completed' },
      { progress: 0, text: 'Some other phase' },
      { progress: 1, text: 'Loading model from cache[9/9]: 100% completed' },
      { progress: 1, text: 'Finish loading on WebGPU - x' },
    ].map((r) => map(r).progress);
    expect(out).toEqual([0, 0.425, 0.8, 0.819, 0.819, 0.99, 1].map((v) => expect.closeTo(v, 5)));
  });

  it('goes straight to the GPU phase when everything is cached', () => {
    const map = webLLMProgressMapper();
    expect(map({ progress: 0.5, text: 'Loading model from cache[1/2]' }).progress).toBeCloseTo(0.895);
  });
});

describe('monotonicProgress', () => {
  it('clamps to 0..1, ignores NaN and never decreases', () => {
    const seen: number[] = [];
    const report = monotonicProgress<{ text: string; progress: number }>((p) => seen.push(p.progress));
    for (const progress of [0.2, 0.1, NaN, 1.5, 0.3, -1]) report({ text: '', progress });
    expect(seen).toEqual([0.2, 0.2, 0.2, 1, 1, 1]);
  });
});
