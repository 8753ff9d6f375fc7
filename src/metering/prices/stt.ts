import type { SttPriceData } from './types.js';

const DEEPGRAM = 'https://deepgram.com/pricing';
const OPENAI = 'https://openai.com/api/pricing/';
const GROQ = 'https://console.groq.com/docs/speech-text';

export const STT_PRICES: SttPriceData[] = [
  {
    model: 'deepgram/nova-3',
    per_minute: 0.0043,
    source: DEEPGRAM,
    as_of: '2025-06-01',
    note: 'Pay-as-you-go list rate (pre-recorded). Streaming is billed higher on some plans: set prices.stt to your contract rate.',
  },
  {
    model: 'deepgram/nova-2',
    per_minute: 0.0043,
    source: DEEPGRAM,
    as_of: '2025-06-01',
    note: 'Pay-as-you-go list rate (pre-recorded).',
  },
  { model: 'openai/whisper-1', per_minute: 0.006, source: OPENAI, as_of: '2025-06-01' },
  {
    model: 'openai/gpt-4o-transcribe',
    per_minute: 0.006,
    source: OPENAI,
    as_of: '2025-06-01',
    note: 'OpenAI bills audio tokens; this is its published per-minute estimate.',
  },
  {
    model: 'openai/gpt-4o-mini-transcribe',
    per_minute: 0.003,
    source: OPENAI,
    as_of: '2025-06-01',
    note: 'OpenAI bills audio tokens; this is its published per-minute estimate.',
  },
  { model: 'groq/whisper-large-v3', per_hour: 0.111, source: GROQ, as_of: '2025-06-01' },
  { model: 'groq/whisper-large-v3-turbo', per_hour: 0.04, source: GROQ, as_of: '2025-06-01' },
];
