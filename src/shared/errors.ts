import type { SerializedError } from '../protocol';

/** Turns anything thrown into plain data that survives structured cloning. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
    const e = err as { name?: unknown; message?: unknown; stack?: unknown; fields?: unknown };
    return {
      name: typeof e.name === 'string' && e.name ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : String(e.message),
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
      ...(isFields(e.fields) ? { fields: { ...e.fields } } : {}),
    };
  }
  return { name: 'Error', message: typeof err === 'string' ? err : safeString(err) };
}

/** Rebuilds a real `Error` (keeping name and the worker's stack) on the receiving side. */
export function deserializeError(data: SerializedError): Error {
  const err = new Error(data.message);
  err.name = data.name;
  if (data.stack) err.stack = data.stack;
  if (data.fields) Object.assign(err, { fields: data.fields });
  return err;
}

/** An error whose `name` tells callers what kind of failure it is. */
export function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** A message for the page's alert region. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** True for the ways an aborted operation reports itself. */
export function isAbortError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const name = (err as { name?: unknown }).name;
  return name === 'AbortError' || name === 'GraphInterrupt' || name === 'CancelledError';
}

function isFields(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((m) => typeof m === 'string');
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
