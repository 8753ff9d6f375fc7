import type * as ElevenLabs from '@livekit/agents-plugin-elevenlabs';
import { loadPlugin } from './plugins.js';
import type { ProviderSpec } from './types.js';

const PKG = '@livekit/agents-plugin-elevenlabs';

/** `elevenlabs/<model>[:voice_id]` TTS: multi-context WebSocket for stream(), HTTP for synthesize(). */
export const elevenlabs: ProviderSpec = {
  name: 'elevenlabs',
  kind: 'cloud',
  modalities: ['tts'],
  envKey: 'ELEVEN_API_KEY',
  plugin: PKG,
  ttsSampleRate: 24000,
  async tts({ model, variant, apiKey, baseURL, options }) {
    const el = await loadPlugin<typeof ElevenLabs>(PKG);
    return new el.TTS({
      ...options,
      model,
      ...(variant ? { voiceId: variant } : {}),
      encoding: 'pcm_24000' as never, // ElevenLabs serves pcm_24000; the plugin's type list omits it
      apiKey,
      ...(baseURL ? { baseURL } : {}),
    } as never);
  },
};
