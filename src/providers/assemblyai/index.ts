import type { ProviderSpec } from '../types.js';

/**
 * `assemblyai/universal-streaming[:language]`: our own LiveKit STT over AssemblyAI's v3 WebSocket
 * (no LiveKit Node plugin exists), loaded on first use like the plugins. Billed on session duration.
 */
export const assemblyai: ProviderSpec = {
  name: 'assemblyai',
  kind: 'cloud',
  modalities: ['stt'],
  envKey: 'ASSEMBLYAI_API_KEY',
  defaultBaseURL: 'wss://streaming.assemblyai.com',
  plugin: 'voicegateway (built in: AssemblyAI Universal-Streaming)',
  streamingSTT: true,
  billsSessionDuration: true,
  async stt({ model, variant, apiKey, baseURL, options }) {
    const { AssemblyAISTT } = await import('./stt.js');
    return new AssemblyAISTT({ ...options, apiKey: apiKey ?? '', model, ...(variant ? { language: variant } : {}), ...(baseURL ? { baseURL } : {}) });
  },
};
