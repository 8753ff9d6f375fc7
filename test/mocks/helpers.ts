import type { metrics } from '@livekit/agents';

/** The 'error' event every LiveKit STT/LLM/TTS emits (errors never surface through iteration). */
export interface PluginErrorEvent {
  type: string;
  error: Error & { statusCode?: number; retryable?: boolean };
  recoverable: boolean;
}

interface Observable {
  on(event: 'error', listener: (e: PluginErrorEvent) => void): unknown;
  on(event: 'metrics_collected', listener: (m: metrics.AgentMetrics) => void): unknown;
}

/** Record errors and metrics of a plugin instance. */
export function observe(plugin: unknown): { errors: PluginErrorEvent[]; metrics: metrics.AgentMetrics[] } {
  const target = plugin as Observable;
  const seen = { errors: [] as PluginErrorEvent[], metrics: [] as metrics.AgentMetrics[] };
  target.on('error', (e) => seen.errors.push(e));
  target.on('metrics_collected', (m) => seen.metrics.push(m));
  return seen;
}

/** Poll until `check` holds (or fail after `timeoutMs`), for events that arrive asynchronously. */
export async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Fail fast and fewer retries in fault tests. */
export const NO_RETRY = { maxRetry: 0, retryIntervalMs: 10, timeoutMs: 3000 };
