import { createRequire } from 'node:module';
import { parseRetryAfter } from '../routing/retry-after.js';

const require = createRequire(import.meta.url);
type OpenAIModule = typeof import('openai');

let sdk: Promise<OpenAIModule | null> | undefined;

/**
 * The `openai` SDK the LiveKit plugin uses, or null when ours would be another copy (the plugin maps
 * errors with `instanceof` on its own copy's classes: a client from another copy would lose them).
 */
function pluginSDK(plugin: string): Promise<OpenAIModule | null> {
  sdk ??= (async () => {
    try {
      const fromPlugin = createRequire(require.resolve(plugin)).resolve('openai');
      if (fromPlugin !== require.resolve('openai')) return null;
      return await import('openai');
    } catch {
      return null;
    }
  })();
  return sdk;
}

/**
 * An OpenAI client like the one the plugin would build (no SDK retries), whose fetch notes the
 * `Retry-After` of failed responses: LiveKit's error classes keep status and body but drop headers.
 * Undefined when the SDK cannot be shared or nobody listens: the plugin then builds its own.
 */
export async function retryAwareClient(
  plugin: string,
  o: { apiKey?: string; baseURL?: string; onRetryAfter?(ms: number): void },
): Promise<unknown | undefined> {
  const note = o.onRetryAfter;
  if (!note) return undefined;
  const mod = await pluginSDK(plugin);
  if (!mod) return undefined;
  const fetchNoting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (!res.ok) {
      const ms = parseRetryAfter(res.headers);
      if (ms !== null) note(ms);
    }
    return res;
  };
  return new mod.OpenAI({ apiKey: o.apiKey, baseURL: o.baseURL, maxRetries: 0, fetch: fetchNoting });
}
