import { cartesia } from './cartesia.js';
import { deepgram } from './deepgram.js';
import { openAICompatible } from './openai-compatible.js';
import type { Modality } from '../types.js';
import type { ProviderSpec } from './types.js';

/** Built-in providers. Any other `providers.<name>` entry with a `base_url` is served as OpenAI-compatible. */
export const BUILTIN_PROVIDERS: Record<string, ProviderSpec> = {
  deepgram,
  cartesia,
  openai: openAICompatible({ name: 'openai', kind: 'cloud', modalities: ['llm', 'stt', 'tts', 'realtime'], envKey: 'OPENAI_API_KEY' }),
  groq: openAICompatible({
    name: 'groq',
    kind: 'cloud',
    modalities: ['llm', 'stt'],
    envKey: 'GROQ_API_KEY',
    defaultBaseURL: 'https://api.groq.com/openai/v1',
  }),
  ollama: openAICompatible({
    name: 'ollama',
    kind: 'local',
    modalities: ['llm'],
    defaultBaseURL: 'http://localhost:11434/v1',
    placeholderKey: 'ollama',
  }),
  // whisper.cpp `whisper-server --inference-path /v1/audio/transcriptions`, faster-whisper-server, …
  whisper: openAICompatible({
    name: 'whisper',
    kind: 'local',
    modalities: ['stt'],
    // not 8080: that is `voicegw serve`'s own default port
    defaultBaseURL: 'http://localhost:8000/v1',
    placeholderKey: 'local',
  }),
  // Kokoro-FastAPI, openedai-speech (Piper) …: OpenAI-style /v1/audio/speech
  kokoro: openAICompatible({
    name: 'kokoro',
    kind: 'local',
    modalities: ['tts'],
    defaultBaseURL: 'http://localhost:8880/v1',
    placeholderKey: 'local',
    defaultVoice: 'af_heart',
  }),
};

/** `local/<model>` picks the local server for the modality. */
export const LOCAL_ALIAS: Partial<Record<Modality, string>> = { stt: 'whisper', llm: 'ollama', tts: 'kokoro' };
