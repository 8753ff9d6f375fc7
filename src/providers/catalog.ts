import { assemblyai } from './assemblyai/index.js';
import { cartesia } from './cartesia.js';
import { deepgram } from './deepgram.js';
import { elevenlabs } from './elevenlabs.js';
import { google } from './google.js';
import { openAICompatible } from './openai-compatible.js';
import type { Modality } from '../types.js';
import type { ProviderSpec } from './types.js';

/** Built-in providers. Any other `providers.<name>` entry with a `base_url` is served as OpenAI-compatible. */
export const BUILTIN_PROVIDERS: Record<string, ProviderSpec> = {
  deepgram,
  assemblyai,
  cartesia,
  elevenlabs,
  google,
  openai: openAICompatible({ name: 'openai', kind: 'cloud', modalities: ['llm', 'stt', 'tts', 'realtime'], envKey: 'OPENAI_API_KEY' }),
  groq: openAICompatible({
    name: 'groq',
    kind: 'cloud',
    modalities: ['llm', 'stt'],
    envKey: 'GROQ_API_KEY',
    defaultBaseURL: 'https://api.groq.com/openai/v1',
  }),
  // Anthropic's OpenAI SDK compatibility endpoint (there is no Anthropic plugin for LiveKit Node)
  anthropic: openAICompatible({
    name: 'anthropic',
    kind: 'cloud',
    modalities: ['llm'],
    envKey: 'ANTHROPIC_API_KEY',
    defaultBaseURL: 'https://api.anthropic.com/v1/',
  }),
  // xAI's OpenAI-compatible API (@livekit/agents-plugin-xai has realtime, STT and TTS but no chat LLM)
  xai: openAICompatible({ name: 'xai', kind: 'cloud', modalities: ['llm'], envKey: 'XAI_API_KEY', defaultBaseURL: 'https://api.x.ai/v1' }),
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
  // Piper behind an OpenAI-style /v1/audio/speech (openedai-speech serves Piper as model `tts-1`).
  // Not 8000: local Whisper servers default there, and a voice agent runs both (map the container's
  // 8000 to 8001: `docker run -p 8001:8000 … openedai-speech`)
  piper: openAICompatible({
    name: 'piper',
    kind: 'local',
    modalities: ['tts'],
    defaultBaseURL: 'http://localhost:8001/v1',
    placeholderKey: 'local',
    serverModel: (model) => (model === 'piper' ? 'tts-1' : model),
  }),
};

/** `local/<model>` picks the local server for the modality, unless `<model>` names one (`local/piper`). */
export const LOCAL_ALIAS: Partial<Record<Modality, string>> = { stt: 'whisper', llm: 'ollama', tts: 'kokoro' };
