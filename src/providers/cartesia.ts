import type * as Cartesia from '@livekit/agents-plugin-cartesia';
import { loadPlugin } from './plugins.js';
import type { ProviderSpec } from './types.js';

const PKG = '@livekit/agents-plugin-cartesia';

export const cartesia: ProviderSpec = {
  name: 'cartesia',
  kind: 'cloud',
  modalities: ['tts'],
  envKey: 'CARTESIA_API_KEY',
  plugin: PKG,
  ttsSampleRate: 24000,
  async tts({ model, variant, apiKey, baseURL, options }) {
    const ca = await loadPlugin<typeof Cartesia>(PKG);
    return new ca.TTS({
      ...options,
      model,
      ...(variant ? { voice: variant } : {}),
      sampleRate: 24000,
      apiKey,
      ...(baseURL ? { baseUrl: baseURL } : {}),
    } as never);
  },
};
