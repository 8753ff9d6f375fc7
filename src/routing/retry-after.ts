/**
 * Retry-After values providers sent with failed responses. LiveKit's error classes keep the status
 * and body but drop headers, so the provider client notes the header and the drop-in ties it to
 * the error the plugin then reports.
 */
const asked = new WeakMap<Error, number>();

export function noteRetryAfter(error: Error, ms: number): void {
  asked.set(error, ms);
}

/** the delay the provider asked for before the request that failed with `error` is retried */
export function retryAfterMs(error: unknown): number | null {
  return error instanceof Error ? (asked.get(error) ?? null) : null;
}

/** `Retry-After: <seconds>` or `Retry-After: <HTTP date>` (also `retry-after-ms`, which OpenAI sends) → ms */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
