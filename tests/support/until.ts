/** Polls `pred` until it holds (resolving with the time it took, in ms) or `timeoutMs` passes. */
export function until(pred: () => boolean, timeoutMs = 60_000, everyMs = 10): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const tick = () =>
      pred()
        ? resolve(performance.now() - t0)
        : performance.now() - t0 > timeoutMs
          ? reject(new Error(`timed out after ${timeoutMs} ms`))
          : setTimeout(tick, everyMs);
    tick();
  });
}
