import type { SttPriceData } from './types.js';

const DEEPGRAM = 'https://deepgram.com/pricing';
const OPENAI = 'https://openai.com/api/pricing/';
const GROQ = 'https://console.groq.com/docs/speech-text';
const ASSEMBLYAI = 'https://www.assemblyai.com/blog/introducing-universal-streaming';
const ELEVENLABS = 'https://elevenlabs.io/pricing/api';
const DEEPGRAM_NOTE =
  'UNVERIFIED: deepgram.com/pricing could not be read here. Figures as three third-party records citing that page agree ' +
  '(a pricing sheet read 2026-05-13: Nova-3 Monolingual $0.0048/min streaming PAYG; github.com/hail-hq/hail costs/stt.json, 2026-05-05: ' +
  '$0.0043 pre-recorded / $0.0048 streaming; a provider audit: the $0.0048 streaming rate is a limited-time promotion, regular $0.0077/min). ' +
  'Pre-recorded (POST /v1/listen) and streaming (WebSocket) are billed apart; the drop-in knows which path a request took.';
const SCRIBE_NOTE =
  'UNVERIFIED: elevenlabs.io/pricing/api could not be read here. Two third-party records agree: developer.puter.com/tutorials/elevenlabs-api-pricing ' +
  '(Jun 2026) and a transcription tool that read elevenlabs.io/pricing/api on 2026-09-04: Scribe v1/v2 $0.22/hour, Scribe v2 Realtime $0.39/hour, ' +
  'the same rate on every plan.';
const GEMINI = 'https://ai.google.dev/gemini-api/docs/pricing';
const geminiLiveNote = (textOut: number) =>
  `ESTIMATE, UNVERIFIED: the Live API bills tokens: $3/1M audio input tokens and $${textOut}/1M text output tokens (genai-prices@0.1.8; ` +
  'ai.google.dev could not be read here). Converted at 25 audio tokens per second (1,500 a minute) plus ~200 transcript tokens a minute. ' +
  'Google may also bill the session context the Live API carries from turn to turn; set prices.stt to what your bill shows.';

/** Per audio minute (or hour). See docs/pricing.md for how each figure was checked. */
export const STT_PRICES: SttPriceData[] = [
  // the beta Gemini STT (Live API input transcription): $0.0045 audio + $0.0004 / $0.0009 text a minute
  { model: 'google/gemini-live-2.5-flash', per_minute: 0.0049, source: GEMINI, as_of: '2026-12-03', verified: false, note: geminiLiveNote(2) },
  { model: 'google/gemini-3.1-flash-live-preview', per_minute: 0.0054, source: GEMINI, as_of: '2026-12-03', verified: false, note: geminiLiveNote(4.5) },
  { model: 'deepgram/nova-3', per_minute: 0.0043, streaming_per_minute: 0.0048, source: DEEPGRAM, as_of: '2026-05-13', verified: false, note: DEEPGRAM_NOTE },
  { model: 'deepgram/nova-2', per_minute: 0.0043, streaming_per_minute: 0.0058, source: DEEPGRAM, as_of: '2025-06-01', verified: false, note: DEEPGRAM_NOTE },
  {
    model: 'openai/whisper-1',
    per_minute: 0.006,
    source: OPENAI,
    as_of: '2026-12-03',
    note: 'Cross-checked with genai-prices@0.1.8 (whisper-1: $0.36 per audio hour).',
  },
  {
    model: 'openai/gpt-4o-transcribe',
    per_minute: 0.006,
    source: OPENAI,
    as_of: '2025-06-01',
    verified: false,
    note: 'ESTIMATE: OpenAI bills audio tokens ($6/1M audio in per genai-prices@0.1.8); this is its published per-minute estimate.',
  },
  {
    model: 'openai/gpt-4o-mini-transcribe',
    per_minute: 0.003,
    source: OPENAI,
    as_of: '2025-06-01',
    verified: false,
    note: 'ESTIMATE: OpenAI bills audio tokens ($3/1M audio in per genai-prices@0.1.8); this is its published per-minute estimate.',
  },
  { model: 'groq/whisper-large-v3', per_hour: 0.111, source: GROQ, as_of: '2026-12-03', note: 'Cross-checked with genai-prices@0.1.8 (audio_hours 0.111); Groq bills at least 10 s per request.' },
  { model: 'groq/whisper-large-v3-turbo', per_hour: 0.04, source: GROQ, as_of: '2026-12-03', note: 'Cross-checked with genai-prices@0.1.8 (audio_hours 0.04); Groq bills at least 10 s per request.' },
  {
    model: 'assemblyai/universal-streaming',
    per_hour: 0.15,
    source: ASSEMBLYAI,
    as_of: '2026-12-03',
    note: 'Billed on the session duration (WebSocket open to Termination), not the audio sent (assemblyai.com/docs/billing-and-pricing); the drop-in meters the session duration AssemblyAI reports.',
  },
  {
    model: 'assemblyai/universal-streaming-multilingual',
    per_hour: 0.15,
    source: ASSEMBLYAI,
    as_of: '2026-12-03',
    verified: false,
    note: 'UNVERIFIED: assumed at the Universal-Streaming English rate; billed on session duration.',
  },
  { model: 'elevenlabs/scribe_v2_realtime', per_hour: 0.39, source: ELEVENLABS, as_of: '2026-09-04', verified: false, note: SCRIBE_NOTE },
  { model: 'elevenlabs/scribe_v1', per_hour: 0.22, source: ELEVENLABS, as_of: '2026-09-04', verified: false, note: SCRIBE_NOTE },
  { model: 'elevenlabs/scribe_v2', per_hour: 0.22, source: ELEVENLABS, as_of: '2026-09-04', verified: false, note: SCRIBE_NOTE },
];
