import type { stt as lkstt } from '@livekit/agents';
import type * as OpenAI from '@livekit/agents-plugin-openai';
import type { Modality } from '../types.js';
import { retryAwareClient } from './openai-client.js';
import { loadPlugin } from './plugins.js';
import type { BuildOptions, ProviderSpec } from './types.js';
import { openAIRealtime } from './realtime-profiles.js';

const PKG = '@livekit/agents-plugin-openai';

export interface CompatibleProvider {
  name: string;
  kind: 'cloud' | 'local';
  modalities: readonly Modality[];
  envKey?: string;
  defaultBaseURL?: string;
  /** local servers ignore the key but the SDK insists on one */
  placeholderKey?: string;
  defaultVoice?: string;
  /** the model id the server expects for ours (e.g. openedai-speech serves Piper as `tts-1`) */
  serverModel?: (model: string) => string;
}

// LiveKit is imported when a provider is first built, not when the registry loads: the CLI and
// the HTTP server use the registry without paying ~1.5 s for @livekit/agents.

/**
 * Any server that speaks the OpenAI API: OpenAI itself, Groq, Ollama, whisper.cpp /
 * faster-whisper servers, Kokoro/Piper speech servers, or a user's own endpoint.
 */
export function openAICompatible(p: CompatibleProvider): ProviderSpec {
  const key = (o: BuildOptions) => o.apiKey || p.placeholderKey;
  const base = (o: BuildOptions) => o.baseURL ?? p.defaultBaseURL;
  const model = (o: BuildOptions) => p.serverModel?.(o.model) ?? o.model;
  return {
    name: p.name,
    kind: p.kind,
    modalities: p.modalities,
    envKey: p.envKey,
    defaultBaseURL: p.defaultBaseURL,
    plugin: PKG,
    streamingSTT: true, // made streaming below with stt.StreamAdapter
    ttsSampleRate: 24000,
    realtimeProfile: openAIRealtime,
    async llm(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      const client = await retryAwareClient(PKG, { apiKey: key(o), baseURL: base(o), onRetryAfter: o.onRetryAfter });
      return new oa.LLM({ ...o.options, model: model(o), apiKey: key(o), baseURL: base(o), ...(client ? { client } : {}) } as never);
    },
    async stt(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      const { vad, ...rest } = o.options as { vad?: ConstructorParameters<typeof lkstt.StreamAdapter>[1] };
      const client = await retryAwareClient(PKG, { apiKey: key(o), baseURL: base(o), onRetryAfter: o.onRetryAfter });
      const inner = new oa.STT({
        ...rest,
        ...(client ? { client } : {}),
        model: model(o),
        language: o.variant ?? 'en',
        apiKey: key(o),
        baseURL: base(o),
        useRealtime: false, // Whisper-style POST /audio/transcriptions
      } as never);
      // Whisper-style APIs transcribe whole utterances: a VAD cuts the audio, the adapter streams it.
      const [{ UtteranceStreamAdapter }, { EnergyVAD }] = await Promise.all([import('./stream-adapter.js'), import('./energy-vad.js')]);
      return new UtteranceStreamAdapter(inner, vad ?? new EnergyVAD());
    },
    async tts(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      const client = await retryAwareClient(PKG, { apiKey: key(o), baseURL: base(o), onRetryAfter: o.onRetryAfter });
      const inner = new oa.TTS({
        ...o.options,
        ...(client ? { client } : {}),
        model: model(o),
        voice: o.variant ?? p.defaultVoice ?? 'alloy',
        apiKey: key(o),
        baseURL: base(o),
      } as never);
      const { tokenize, tts } = await import('@livekit/agents');
      return new tts.StreamAdapter(inner, new tokenize.basic.SentenceTokenizer());
    },
    async realtime(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      const { openAIRealtimeModel } = await import('./openai-realtime-connect.js');
      return openAIRealtimeModel(oa, { ...o.options, model: o.model, ...(o.variant ? { voice: o.variant } : {}), apiKey: key(o), baseURL: base(o) } as never);
    },
  };
}
