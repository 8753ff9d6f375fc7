import type * as Deepgram from '@livekit/agents-plugin-deepgram';
import { loadPlugin } from './plugins.js';
import type { ProviderSpec } from './types.js';

const PKG = '@livekit/agents-plugin-deepgram';

export const deepgram: ProviderSpec = {
  name: 'deepgram',
  kind: 'cloud',
  modalities: ['stt', 'tts'],
  envKey: 'DEEPGRAM_API_KEY',
  plugin: PKG,
  streamingSTT: true,
  // documented in Deepgram's changelog of 2022-11-08: a refused upgrade carries its error body in dg-error
  upgradeErrorHeaders: { message: 'dg-error', requestId: 'dg-request-id' },
  ttsSampleRate: 24000,
  async stt({ model, variant, apiKey, baseURL, options }) {
    const dg = await loadPlugin<typeof Deepgram>(PKG);
    return new dg.STT({ ...options, model, language: variant ?? 'en-US', apiKey, ...(baseURL ? { baseUrl: baseURL } : {}) } as never);
  },
  async tts({ model, variant, apiKey, baseURL, options }) {
    const dg = await loadPlugin<typeof Deepgram>(PKG);
    // `deepgram/aura-2:thalia-en` → Deepgram model id `aura-2-thalia-en`
    const id = variant ? `${model}-${variant}` : model;
    return new dg.TTS({ ...options, model: id, sampleRate: 24000, apiKey, ...(baseURL ? { baseUrl: baseURL } : {}) } as never);
  },
};
