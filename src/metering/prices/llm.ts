import type { LlmPriceData } from './types.js';

const OPENAI = 'https://openai.com/api/pricing/';
const GROQ = 'https://groq.com/pricing';

const openai = (model: string, input: number, cached: number, output: number, as_of = '2025-06-01'): LlmPriceData => ({
  model: `openai/${model}`,
  input_per_1m: input,
  cached_input_per_1m: cached,
  output_per_1m: output,
  source: OPENAI,
  as_of,
});

const groq = (model: string, input: number, output: number): LlmPriceData => ({
  model: `groq/${model}`,
  input_per_1m: input,
  output_per_1m: output,
  source: GROQ,
  as_of: '2025-06-01',
});

/** Standard (non-batch, non-priority) tier. */
export const LLM_PRICES: LlmPriceData[] = [
  openai('gpt-4.1', 2.0, 0.5, 8.0),
  openai('gpt-4.1-mini', 0.4, 0.1, 1.6),
  openai('gpt-4.1-nano', 0.1, 0.025, 0.4),
  openai('gpt-4o', 2.5, 1.25, 10.0),
  openai('gpt-4o-mini', 0.15, 0.075, 0.6),
  openai('gpt-5', 1.25, 0.125, 10.0, '2025-08-07'),
  openai('gpt-5-mini', 0.25, 0.025, 2.0, '2025-08-07'),
  openai('gpt-5-nano', 0.05, 0.005, 0.4, '2025-08-07'),
  groq('llama-3.3-70b-versatile', 0.59, 0.79),
  groq('llama-3.1-8b-instant', 0.05, 0.08),
  groq('meta-llama/llama-4-scout-17b-16e-instruct', 0.11, 0.34),
  groq('meta-llama/llama-4-maverick-17b-128e-instruct', 0.2, 0.6),
];
