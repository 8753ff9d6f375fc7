import type * as Google from '@livekit/agents-plugin-google';
import { loadPlugin } from './plugins.js';
import type { ProviderSpec } from './types.js';

const PKG = '@livekit/agents-plugin-google';

/** `google/<model>` LLM (Gemini API, @google/genai over HTTPS/SSE); `base_url` sets its httpOptions.baseUrl. */
export const google: ProviderSpec = {
  name: 'google',
  kind: 'cloud',
  modalities: ['llm'],
  envKey: 'GOOGLE_API_KEY',
  plugin: PKG,
  async llm({ model, apiKey, baseURL, options }) {
    const g = await loadPlugin<typeof Google>(PKG);
    const httpOptions = { ...(options.httpOptions as object | undefined), ...(baseURL ? { baseUrl: baseURL } : {}) };
    return new g.LLM({ ...options, model, apiKey, vertexai: false, httpOptions } as never);
  },
};
