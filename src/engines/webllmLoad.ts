import { namedError } from '../shared/errors';
import { ENGINE_ERRORS, toEngineError } from './errors';
import type { ModelRecordLike } from './models';
import type { LoadProgress } from './types';

/**
 * web-llm reports each load phase from 0 to 1 again (download shards, then upload them to the
 * GPU), so its raw `progress` jumps back. This maps phases onto one bar that only moves forward:
 * 0..0.05 preparing, 0.05..0.80 downloading, 0.80..0.99 loading onto the GPU, 1 at "Finish".
 */
export function webLLMProgressMapper(): (report: { progress: number; text: string }) => LoadProgress {
  let overall = 0;
  return ({ progress, text }) => {
    const p = Number.isFinite(progress) ? Math.min(1, Math.max(0, progress)) : 0;
    let next: number;
    if (/^Fetching param cache/i.test(text)) next = 0.05 + 0.75 * p;
    else if (/^Loading model from cache/i.test(text)) next = 0.8 + 0.19 * p;
    else if (/^Finish loading/i.test(text)) next = 1;
    else next = Math.max(overall, 0.05 * p); // early phases (runtime, tokenizer): a sliver at most
    overall = Math.max(overall, next);
    return { text, progress: overall };
  };
}

/** Wraps a progress callback so what it passes on is clamped to 0..1 and never decreases. */
export function monotonicProgress<T extends LoadProgress>(onProgress: (p: T) => void): (p: T) => void {
  let last = 0;
  return (p) => {
    const v = Number.isFinite(p.progress) ? Math.min(1, Math.max(0, p.progress)) : last;
    last = Math.max(last, v);
    onProgress({ ...p, progress: last });
  };
}

/**
 * Checks that a self-hosted mirror serves the files web-llm will ask for, so a half-copied
 * mirror fails with a list of missing URLs instead of a wasm compile error or a JSON parse
 * error deep inside web-llm. Uses HEAD requests: nothing is downloaded.
 */
export async function preflightSelfHosted(
  record: Pick<ModelRecordLike, 'model' | 'model_lib'>,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<void> {
  const files = [
    new URL('mlc-chat-config.json', record.model).href,
    new URL('tensor-cache.json', record.model).href,
    record.model_lib,
  ];
  const missing: string[] = [];
  for (const url of files) {
    let res: Response;
    try {
      res = await fetchFn(url, { method: 'HEAD', signal, cache: 'no-store' });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw toEngineError(err);
    }
    // Dev servers answer unknown paths with their index.html (a 200 "text/html"): that is missing too.
    const html = (res.headers.get('content-type') ?? '').includes('text/html');
    if (res.status === 405 || res.status === 501) continue; // server without HEAD: let web-llm try
    if (!res.ok || html) missing.push(`${url} (${res.ok ? 'served an HTML page' : `HTTP ${res.status}`})`);
  }
  if (missing.length)
    throw namedError(
      ENGINE_ERRORS.filesMissing,
      `The self-hosted model is incomplete; these files are missing:\n${missing.join('\n')}`,
    );
}
