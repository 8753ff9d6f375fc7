import { type stt as lkstt, tokenize, tts as lktts } from '@livekit/agents';
import type * as OpenAI from '@livekit/agents-plugin-openai';
import type { Modality } from '../types.js';
import { EnergyVAD } from './energy-vad.js';
import { loadPlugin } from './plugins.js';
import { UtteranceStreamAdapter } from './stream-adapter.js';
import type { BuildOptions, ProviderSpec } from './types.js';

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
}

/**
 * Any server that speaks the OpenAI API: OpenAI itself, Groq, Ollama, whisper.cpp /
 * faster-whisper servers, Kokoro/Piper speech servers, or a user's own endpoint.
 */
export function openAICompatible(p: CompatibleProvider): ProviderSpec {
  const key = (o: BuildOptions) => o.apiKey || p.placeholderKey;
  const base = (o: BuildOptions) => o.baseURL ?? p.defaultBaseURL;
  return {
    name: p.name,
    kind: p.kind,
    modalities: p.modalities,
    envKey: p.envKey,
    defaultBaseURL: p.defaultBaseURL,
    plugin: PKG,
    streamingSTT: true, // made streaming below with stt.StreamAdapter
    ttsSampleRate: 24000,
    async llm(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      return new oa.LLM({ ...o.options, model: o.model, apiKey: key(o), baseURL: base(o) } as never);
    },
    async stt(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      const { vad, ...rest } = o.options as { vad?: ConstructorParameters<typeof lkstt.StreamAdapter>[1] };
      const inner = new oa.STT({
        ...rest,
        model: o.model,
        language: o.variant ?? 'en',
        apiKey: key(o),
        baseURL: base(o),
        useRealtime: false, // Whisper-style POST /audio/transcriptions
      } as never);
      // Whisper-style APIs transcribe whole utterances: a VAD cuts the audio, the adapter streams it.
      return new UtteranceStreamAdapter(inner, vad ?? new EnergyVAD());
    },
    async tts(o) {
      const oa = await loadPlugin<typeof OpenAI>(PKG);
      const inner = new oa.TTS({
        ...o.options,
        model: o.model,
        voice: o.variant ?? p.defaultVoice ?? 'alloy',
        apiKey: key(o),
        baseURL: base(o),
      } as never);
      return new lktts.StreamAdapter(inner, new tokenize.basic.SentenceTokenizer());
    },
  };
}
