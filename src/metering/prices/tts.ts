import type { TtsPriceData } from './types.js';

const DEEPGRAM = 'https://deepgram.com/pricing';
const OPENAI = 'https://openai.com/api/pricing/';
const CARTESIA = 'https://cartesia.ai/pricing';
const CARTESIA_NOTE =
  'ESTIMATE: Cartesia bills plan credits (~1 credit per character, docs.cartesia.ai/pricing). ' +
  '$50/1M = Pro plan ($5 per 100k credits); Startup is ~$39/1M, Scale ~$37/1M: set prices.tts to your plan.';

export const TTS_PRICES: TtsPriceData[] = [
  { model: 'deepgram/aura-2', per_1m_characters: 30, source: DEEPGRAM, as_of: '2025-06-01', note: '$0.030 per 1k characters, pay-as-you-go.' },
  { model: 'deepgram/aura', per_1m_characters: 15, source: DEEPGRAM, as_of: '2025-06-01', note: '$0.015 per 1k characters, pay-as-you-go.' },
  { model: 'openai/tts-1', per_1m_characters: 15, source: OPENAI, as_of: '2025-06-01' },
  { model: 'openai/tts-1-hd', per_1m_characters: 30, source: OPENAI, as_of: '2025-06-01' },
  {
    model: 'openai/gpt-4o-mini-tts',
    per_1m_characters: 15,
    source: OPENAI,
    as_of: '2025-06-01',
    note: 'ESTIMATE: billed per token ($0.60/1M text in, $12/1M audio out), published as ~$0.015 per minute; converted at ~1,000 characters per spoken minute.',
  },
  { model: 'cartesia/sonic-3', per_1m_characters: 50, source: CARTESIA, as_of: '2025-11-01', note: CARTESIA_NOTE },
  { model: 'cartesia/sonic-2', per_1m_characters: 50, source: CARTESIA, as_of: '2025-06-01', note: CARTESIA_NOTE },
  { model: 'cartesia/sonic-turbo', per_1m_characters: 50, source: CARTESIA, as_of: '2025-06-01', note: CARTESIA_NOTE },
];
