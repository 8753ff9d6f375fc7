import type { tts as lktts } from '@livekit/agents';
import type * as Google from '@livekit/agents-plugin-google';
import { loadPlugin } from './plugins.js';
import { geminiLive } from './realtime-profiles.js';
import type { ProviderSpec } from './types.js';

const PKG = '@livekit/agents-plugin-google';

/**
 * `google/<model>` LLM (Gemini API, @google/genai over HTTPS/SSE); `base_url` sets its httpOptions.baseUrl.
 * `google/<gemini tts model>[:voice]` TTS (the plugin's beta Gemini TTS: `streamGenerateContent` with
 * `responseModalities: ['AUDIO']`, 24 kHz PCM in inlineData parts), made streaming with tts.StreamAdapter.
 * `google/<model>[:language]` STT (the beta Gemini STT: input transcription over the Live API WebSocket).
 * `google/<live model>[:voice]` realtime (`google.realtime.RealtimeModel`, Gemini Live over the same
 * WebSocket, `BidiGenerateContent`), its connection guarded (google-realtime-connect.ts).
 */
export const google: ProviderSpec = {
  name: 'google',
  kind: 'cloud',
  modalities: ['stt', 'llm', 'tts', 'realtime'],
  envKey: 'GOOGLE_API_KEY',
  plugin: PKG,
  streamingSTT: true,
  ttsSampleRate: 24000,
  realtimeProfile: geminiLive,
  async stt({ model, variant, apiKey, baseURL, options }) {
    const g = await loadPlugin<typeof Google>(PKG);
    const httpOptions = { ...(options.httpOptions as object | undefined), ...(baseURL ? { baseUrl: baseURL } : {}) };
    return new g.beta.GeminiSTT({ ...options, model, ...(variant ? { language: variant } : {}), apiKey, vertexai: false, httpOptions } as never);
  },
  async llm({ model, apiKey, baseURL, options }) {
    const g = await loadPlugin<typeof Google>(PKG);
    const httpOptions = { ...(options.httpOptions as object | undefined), ...(baseURL ? { baseUrl: baseURL } : {}) };
    return new g.LLM({ ...options, model, apiKey, vertexai: false, httpOptions } as never);
  },
  async realtime({ model, variant, apiKey, baseURL, options }) {
    const g = await loadPlugin<typeof Google>(PKG);
    const { googleRealtimeModel } = await import('./google-realtime-connect.js');
    const httpOptions = { ...(options.httpOptions as object | undefined), ...(baseURL ? { baseUrl: baseURL } : {}) };
    return googleRealtimeModel(g, { ...options, model, ...(variant ? { voice: variant } : {}), apiKey, vertexai: false, httpOptions } as never);
  },
  async tts({ model, variant, apiKey, baseURL, options }) {
    const g = await loadPlugin<typeof Google>(PKG);
    const { httpOptions: extra, ...rest } = options as { httpOptions?: object };
    const inner = new g.beta.TTS({ ...rest, model, ...(variant ? { voiceName: variant } : {}), apiKey, vertexai: false } as never);
    // the beta TTS builds its GoogleGenAI client from the key alone (no httpOptions): give it one
    // that also carries them, built with the plugin's own copy of @google/genai
    const httpOptions = { ...extra, ...(baseURL ? { baseUrl: baseURL } : {}) };
    if (Object.keys(httpOptions).length > 0) {
      const GenAI = inner.client.constructor as new (o: { apiKey?: string; httpOptions: object }) => typeof inner.client;
      const client = new GenAI({ apiKey, httpOptions });
      Object.defineProperty(inner, 'client', { get: () => client });
    }
    const { tokenize, tts } = await import('@livekit/agents');
    return new tts.StreamAdapter(inner as lktts.TTS, new tokenize.basic.SentenceTokenizer());
  },
};
