import type { TtsPriceData } from './types.js';

const DEEPGRAM = 'https://deepgram.com/pricing';
const OPENAI = 'https://openai.com/api/pricing/';
const OPENAI_TTS1 = 'https://developers.openai.com/api/docs/models/tts-1';
const OPENAI_TTS1_HD = 'https://developers.openai.com/api/docs/models/tts-1-hd';
const CARTESIA = 'https://docs.cartesia.ai/pricing';
const ELEVENLABS = 'https://elevenlabs.io/pricing/api';
const CARTESIA_NOTE =
  'ESTIMATE: Cartesia bills plan credits, ~1 credit per character on every TTS endpoint (docs.cartesia.ai/pricing, read 2026-12-03). ' +
  '$50/1M = Pro plan ($5 per 100k credits); Startup is ~$39/1M, Scale ~$37/1M: set prices.tts to your plan.';
const ELEVEN_NOTE =
  'UNVERIFIED: as listed by developer.puter.com/tutorials/elevenlabs-api-pricing (Jun 2026, same rate on every plan); ' +
  'elevenlabs.io could not be read here, and another listing quotes $0.06/$0.12 per 1K characters as the Business-tier starting price. ' +
  'Flash/Turbo cost half the credits of Multilingual/v3.';
const GEMINI_TTS = 'https://ai.google.dev/gemini-api/docs/pricing';
const geminiNote = (input: number, output: number, from: string) =>
  `ESTIMATE, UNVERIFIED: Google bills Gemini TTS per token, $${input}/1M text input and $${output}/1M audio output tokens (${from}; ` +
  'ai.google.dev could not be read here). Converted at 25 audio tokens per second (Google\'s documented audio rate) and ~1,000 ' +
  'characters per spoken minute (1M characters = 1.5M audio tokens + ~250k text tokens); the plugin\'s style instruction adds ~15 tokens a request.';
const AURA_NOTE =
  'UNVERIFIED: deepgram.com/pricing could not be read here; several third-party records citing it (one read 2026-05-13) agree: ' +
  'Aura-2 $0.030 and Aura-1 $0.015 per 1K characters pay-as-you-go (Aura-2 $0.027 on Growth).';

export const TTS_PRICES: TtsPriceData[] = [
  { model: 'deepgram/aura-2', per_1m_characters: 30, source: DEEPGRAM, as_of: '2026-05-13', verified: false, note: AURA_NOTE },
  { model: 'deepgram/aura', per_1m_characters: 15, source: DEEPGRAM, as_of: '2026-05-13', verified: false, note: AURA_NOTE },
  { model: 'openai/tts-1', per_1m_characters: 15, source: OPENAI_TTS1, as_of: '2026-12-03', note: 'OpenAI model page: speech generation $15.00 per 1M characters.' },
  { model: 'openai/tts-1-hd', per_1m_characters: 30, source: OPENAI_TTS1_HD, as_of: '2026-12-03', note: 'OpenAI model page: speech generation $30 per 1M characters.' },
  {
    model: 'openai/gpt-4o-mini-tts',
    per_1m_characters: 15,
    source: OPENAI,
    as_of: '2026-12-03',
    note: 'ESTIMATE: billed per token ($0.60/1M text in, $12/1M audio out, matching genai-prices@0.1.8), published as ~$0.015 per minute; converted at ~1,000 characters per spoken minute.',
  },
  { model: 'cartesia/sonic-3', per_1m_characters: 50, source: CARTESIA, as_of: '2026-12-03', note: CARTESIA_NOTE },
  { model: 'cartesia/sonic-2', per_1m_characters: 50, source: CARTESIA, as_of: '2026-12-03', note: CARTESIA_NOTE },
  { model: 'cartesia/sonic-turbo', per_1m_characters: 50, source: CARTESIA, as_of: '2026-12-03', note: CARTESIA_NOTE },
  { model: 'elevenlabs/eleven_flash_v2_5', per_1m_characters: 50, source: ELEVENLABS, as_of: '2026-06-01', verified: false, note: ELEVEN_NOTE },
  { model: 'elevenlabs/eleven_flash_v2', per_1m_characters: 50, source: ELEVENLABS, as_of: '2026-06-01', verified: false, note: ELEVEN_NOTE },
  { model: 'elevenlabs/eleven_turbo_v2_5', per_1m_characters: 50, source: ELEVENLABS, as_of: '2026-06-01', verified: false, note: ELEVEN_NOTE },
  { model: 'elevenlabs/eleven_turbo_v2', per_1m_characters: 50, source: ELEVENLABS, as_of: '2026-06-01', verified: false, note: ELEVEN_NOTE },
  { model: 'elevenlabs/eleven_multilingual_v2', per_1m_characters: 100, source: ELEVENLABS, as_of: '2026-06-01', verified: false, note: ELEVEN_NOTE },
  { model: 'elevenlabs/eleven_v3', per_1m_characters: 100, source: ELEVENLABS, as_of: '2026-06-01', verified: false, note: ELEVEN_NOTE },
  // Gemini TTS ($0.50 / $10 per 1M tokens → $15.125 per 1M characters; $1 / $20 → $30.25)
  { model: 'google/gemini-2.5-flash-preview-tts', per_1m_characters: 15.125, source: GEMINI_TTS, as_of: '2026-12-03', verified: false, note: geminiNote(0.5, 10, 'genai-prices@0.1.8') },
  { model: 'google/gemini-2.5-flash-tts', per_1m_characters: 15.125, source: GEMINI_TTS, as_of: '2026-12-03', verified: false, note: geminiNote(0.5, 10, 'genai-prices@0.1.8') },
  { model: 'google/gemini-2.5-flash-lite-preview-tts', per_1m_characters: 15.125, source: GEMINI_TTS, as_of: '2026-12-03', verified: false, note: geminiNote(0.5, 10, 'genai-prices@0.1.8') },
  { model: 'google/gemini-2.5-pro-preview-tts', per_1m_characters: 30.25, source: GEMINI_TTS, as_of: '2026-12-03', verified: false, note: geminiNote(1, 20, 'genai-prices@0.1.8') },
  { model: 'google/gemini-2.5-pro-tts', per_1m_characters: 30.25, source: GEMINI_TTS, as_of: '2026-12-03', verified: false, note: geminiNote(1, 20, 'genai-prices@0.1.8') },
  // the plugin's default model; not in genai-prices 0.1.8: Google's page as a third-party post quotes it (Apr 2026)
  { model: 'google/gemini-3.1-flash-tts-preview', per_1m_characters: 30.25, source: GEMINI_TTS, as_of: '2026-12-03', verified: false, note: geminiNote(1, 20, 'as nemovideo.com quotes Google\'s page, Apr 2026') },
];
