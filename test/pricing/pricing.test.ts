import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { GENAI_PRICES_VERSION, STT_PRICES, TTS_PRICES } from '../../src/metering/prices/index.js';
import { GENAI_PRICES_DATE } from '../../src/metering/prices/genai.js';
import { pricesSchema } from '../../src/metering/prices/schema.js';
import { PriceBook } from '../../src/metering/pricing.js';

const none = { inputUnits: 0, outputUnits: 0, cachedUnits: 0 };
const audio = (seconds: number) => ({ ...none, inputUnits: seconds });
const chars = (n: number) => ({ ...none, inputUnits: n });
const tokens = (prompt: number, completion: number, cached = 0) => ({ inputUnits: prompt, outputUnits: completion, cachedUnits: cached });

describe('PriceBook: built-in catalog', () => {
  const book = new PriceBook(undefined, () => {});

  it('prices 3.2 s of pre-recorded nova-3 audio at $0.0043/min as 229,333 nanos (rounded once, half up), streaming at its own rate', () => {
    // 3200 ms × 258,000,000 nano/h ÷ 3,600,000 ms/h = 229,333.33…
    expect(book.price('stt', 'deepgram', 'nova-3', { ...audio(3.2), batch: true })).toEqual({ costNanos: 229_333, source: 'voicegateway-catalog@2026-05-13:pre-recorded' });
    expect(book.price('stt', 'deepgram', 'nova-3', { ...audio(36_000), batch: true }).costNanos).toBe(2_580_000_000); // 10 h = $2.58 exactly
    // streaming (the default path of a LiveKit agent): $0.0048/min → 3200 ms × 288,000,000 ÷ 3,600,000
    expect(book.price('stt', 'deepgram', 'nova-3', audio(3.2))).toEqual({ costNanos: 256_000, source: 'voicegateway-catalog@2026-05-13:streaming' });
    // a provider with one rate bills both paths alike and says nothing about the path
    expect(book.price('stt', 'openai', 'whisper-1', { ...audio(60), batch: true })).toEqual(book.price('stt', 'openai', 'whisper-1', audio(60)));
    expect(book.price('stt', 'openai', 'whisper-1', audio(60))).toEqual({ costNanos: 6_000_000, source: 'voicegateway-catalog@2026-12-03' });
  });

  it('prices LLMs from genai-prices (bundled data): gpt-4.1-mini with cached prompt tokens as a subset of the prompt, 308,000 nanos', () => {
    // (200 × $0.40 + 1000 × $0.10 + 80 × $1.60) / 1e6
    expect(book.price('llm', 'openai', 'gpt-4.1-mini', tokens(1200, 80, 1000))).toEqual({ costNanos: 308_000, source: `genai-prices@${GENAI_PRICES_VERSION}` });
    // cached above the prompt is clamped: all 1000 prompt tokens at the cached rate
    expect(book.price('llm', 'openai', 'gpt-4.1-mini', tokens(1000, 0, 5000)).costNanos).toBe(100_000);
    expect(book.price('llm', 'openai', 'gpt-4.1-mini', tokens(1000, 0, -3)).costNanos).toBe(400_000);
    // without a cached rate (Groq Llama) cached tokens cost the input rate
    expect(book.price('llm', 'groq', 'llama-3.3-70b-versatile', tokens(1000, 100, 600)).costNanos).toBe(590_000 + 79_000);
    // Anthropic's dated id resolves through genai-prices' own matching; cached reads at $0.30/1M
    expect(book.lookup('llm', 'anthropic/claude-sonnet-4-20250514')).toMatchObject({ origin: 'genai-prices', usd: { input_per_1m: 3, cached_input_per_1m: 0.3, output_per_1m: 15 } });
    expect(book.price('llm', 'anthropic', 'claude-sonnet-4-20250514', tokens(2000, 100, 1500)).costNanos).toBe(500 * 3000 + 1500 * 300 + 100 * 15_000);
  });

  it('the genai-prices version and its data date travel together', () => {
    expect(GENAI_PRICES_DATE[GENAI_PRICES_VERSION], 'add the npm publish date of the installed genai-prices to GENAI_PRICES_DATE').toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(book.lookup('llm', 'openai/gpt-4o')!.asOf).toBe(GENAI_PRICES_DATE[GENAI_PRICES_VERSION]);
  });

  it('long-context tiers reprice the whole request (gemini-2.5-pro above 200k prompt tokens)', () => {
    expect(book.price('llm', 'google', 'gemini-2.5-pro', tokens(100_000, 1000)).costNanos).toBe(100_000 * 1250 + 1000 * 10_000);
    expect(book.price('llm', 'google', 'gemini-2.5-pro', tokens(250_000, 1000)).costNanos).toBe(250_000 * 2500 + 1000 * 15_000);
  });

  it('prices realtime audio tokens at audio rates, and never as 0 on a model without them', () => {
    const units = { ...tokens(1000, 100, 0), audioInputUnits: 2000, audioCachedUnits: 500, audioOutputUnits: 800 };
    // gpt-realtime: text $4 / $16, audio in $32 (cached $0.40), audio out $64 per 1M
    expect(book.price('llm', 'openai', 'gpt-realtime', units).costNanos).toBe(1000 * 4000 + 100 * 16_000 + 1500 * 32_000 + 500 * 400 + 800 * 64_000);
    const onUnknown = vi.fn();
    expect(new PriceBook(undefined, onUnknown).price('llm', 'openai', 'gpt-4.1-mini', units)).toEqual({ costNanos: null, source: '' });
    expect(onUnknown).toHaveBeenCalledTimes(1);
  });

  it('prices 61 characters of Cartesia sonic-3 at the catalog $50 / 1M characters: 3,050,000 nanos', () => {
    expect(book.price('tts', 'cartesia', 'sonic-3', chars(61))).toEqual({ costNanos: 3_050_000, source: 'voicegateway-catalog@2026-12-03' });
  });

  it('prices per-hour STT rates that are not whole nanos per minute exactly (Groq turbo $0.04/h)', () => {
    expect(book.price('stt', 'groq', 'whisper-large-v3-turbo', audio(90)).costNanos).toBe(1_000_000);
    expect(book.price('stt', 'groq', 'whisper-large-v3', audio(3600)).costNanos).toBe(111_000_000);
  });

  it('matches variants and dated snapshots to the base model, never a shorter different model', () => {
    expect(book.lookup('stt', 'deepgram/nova-3:en')?.model).toBe('deepgram/nova-3');
    expect(book.lookup('tts', 'cartesia/sonic-3:a0e99841-438c-4a64-b679-ae501e7d6091')?.model).toBe('cartesia/sonic-3');
    expect(book.lookup('llm', 'openai/gpt-4o-mini-2024-07-18')?.model).toBe('openai/gpt-4o-mini');
    expect(book.lookup('llm', 'openai/gpt-4o-2024-08-06')?.model).toBe('openai/gpt-4o');
    expect(book.lookup('llm', 'openai/gpt-4.1-mini-2025-04-14')?.model).toBe('openai/gpt-4.1-mini');
    expect(book.lookup('llm', 'openai/gpt-4.1-turbo')).toBeNull();
    expect(book.lookup('llm', 'openai/gpt-9-preview')).toBeNull();
    expect(book.lookup('stt', 'openai/gpt-4o-mini')).toBeNull(); // modalities never mix
    expect(book.lookup('llm', 'groq/meta-llama/llama-4-scout-17b-16e-instruct')?.model).toBe('groq/meta-llama/llama-4-scout-17b-16e-instruct');
  });

  it('prices every local provider at 0 with source "local"', () => {
    expect(book.price('llm', 'ollama', 'qwen2.5:3b', tokens(5000, 500))).toEqual({ costNanos: 0, source: 'local' });
    expect(book.price('stt', 'whisper', 'large-v3', audio(60))).toEqual({ costNanos: 0, source: 'local' });
    expect(book.price('tts', 'kokoro', 'kokoro', chars(100))).toEqual({ costNanos: 0, source: 'local' });
    expect(book.price('stt', 'local', 'whisper-large-v3', audio(60))).toEqual({ costNanos: 0, source: 'local' });
  });

  it('returns null (never 0) for an unknown model and reports each unknown model once', () => {
    const onUnknown = vi.fn();
    const b = new PriceBook(undefined, onUnknown);
    expect(b.price('llm', 'acme', 'mystery-1', tokens(10, 10))).toEqual({ costNanos: null, source: '' });
    b.price('llm', 'acme', 'mystery-1', tokens(10, 10));
    b.price('tts', 'acme', 'mystery-1', chars(10));
    expect(onUnknown.mock.calls).toEqual([
      ['llm', 'acme/mystery-1'],
      ['tts', 'acme/mystery-1'],
    ]);
  });

  it('rounds half up once per row and always returns whole nanos', () => {
    const b = new PriceBook(pricesSchema.parse({ llm: { 'x/half': { input_per_1m: 0.0005, output_per_1m: 0 } } }));
    expect(b.price('llm', 'x', 'half', tokens(1, 0)).costNanos).toBe(1); // 0.5 → 1
    expect(b.price('llm', 'x', 'half', tokens(3, 0)).costNanos).toBe(2); // 1.5 → 2
    for (const s of [0.001, 0.37, 1.5, 2.49, 59.99]) expect(Number.isInteger(book.price('stt', 'deepgram', 'nova-2', audio(s)).costNanos)).toBe(true);
  });

  it('documents source and as_of for every catalog entry, and lists them', () => {
    for (const p of [...STT_PRICES, ...TTS_PRICES]) {
      expect(p.source, p.model).toMatch(/^https:\/\//);
      expect(p.as_of, p.model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.model).toMatch(/^[a-z]+\/.+/);
    }
    const listed = book.list();
    for (const id of ['deepgram/nova-3', 'deepgram/nova-2', 'openai/whisper-1', 'openai/gpt-4o-mini-transcribe', 'groq/whisper-large-v3']) {
      expect(listed.some((e) => e.modality === 'stt' && e.model === id), id).toBe(true);
    }
    for (const id of ['openai/gpt-4.1', 'openai/gpt-4.1-mini', 'openai/gpt-4o', 'openai/gpt-4o-mini', 'groq/llama-3.3-70b-versatile']) {
      expect(listed.some((e) => e.modality === 'llm' && e.model === id), id).toBe(true);
    }
    for (const id of ['deepgram/aura-2', 'openai/tts-1', 'openai/gpt-4o-mini-tts', 'cartesia/sonic-2', 'cartesia/sonic-3']) {
      expect(listed.some((e) => e.modality === 'tts' && e.model === id), id).toBe(true);
    }
    expect(book.list('llm').find((e) => e.model === 'openai/gpt-4.1-mini')!.usd).toEqual({ input_per_1m: 0.4, cached_input_per_1m: 0.1, output_per_1m: 1.6 });
    expect(book.list('stt').find((e) => e.model === 'deepgram/nova-3')!.usd).toEqual({ per_minute: 0.0043, streaming_per_minute: 0.0048 });
    expect(book.list('llm').find((e) => e.model === 'anthropic/claude-3-5-haiku-latest')).toMatchObject({ origin: 'genai-prices', tag: `genai-prices@${GENAI_PRICES_VERSION}` });
    expect(book.list('llm').find((e) => e.model === 'ollama/*')).toMatchObject({ origin: 'local', inputNanos: 0, outputNanos: 0 });
  });

  it('finds the cheapest priced model among candidates', () => {
    expect(book.cheapest('llm', ['openai/gpt-4.1', 'openai/gpt-4.1-mini', 'acme/unknown'])?.model).toBe('openai/gpt-4.1-mini');
    expect(book.cheapest('llm', ['openai/gpt-4.1-mini', 'ollama/llama3.2'])?.model).toBe('ollama/llama3.2');
    expect(book.cheapest('tts', ['acme/unknown'])).toBeNull();
  });
});

describe('PriceBook: prices from voicegw.yaml', () => {
  const yaml = `
prices:
  stt:  { "deepgram/nova-3": { per_minute: 0.0040 }, "acme/asr-1": { per_hour: 0.30, source: "contract 2026-07", as_of: "2026-07-01" } }
  llm:  { "openai/gpt-4.1-mini": { input_per_1m: 0.35, output_per_1m: 1.40, cached_input_per_1m: 0.09 } }
  tts:  { "cartesia/sonic-3": { per_1m_characters: 30 }, "acmetts/*": { per_character: 0 } }
`;
  const config = pricesSchema.parse((parse(yaml) as { prices: unknown }).prices);
  const book = new PriceBook(config, () => {});

  it('overrides catalog and genai-prices prices and tags the rows "yaml"', () => {
    expect(book.price('stt', 'deepgram', 'nova-3', audio(3.2))).toEqual({ costNanos: 213_333, source: 'yaml' });
    expect(book.price('llm', 'openai', 'gpt-4.1-mini', tokens(1200, 80, 1000))).toEqual({ costNanos: 272_000, source: 'yaml' });
    expect(book.price('tts', 'cartesia', 'sonic-3', chars(61))).toEqual({ costNanos: 1_830_000, source: 'yaml' });
    // the override still applies to voice variants and dated snapshots
    expect(book.lookup('tts', 'cartesia/sonic-3:voice')?.origin).toBe('yaml');
    expect(book.lookup('llm', 'openai/gpt-4.1-mini-2025-04-14')?.origin).toBe('yaml');
  });

  it('adds new models and provider-wide entries', () => {
    expect(book.price('stt', 'acme', 'asr-1', audio(60)).costNanos).toBe(5_000_000);
    expect(book.lookup('stt', 'acme/asr-1')).toMatchObject({ source: 'contract 2026-07', asOf: '2026-07-01' });
    expect(book.price('tts', 'acmetts', 'en_US-amy', chars(500))).toEqual({ costNanos: 0, source: 'yaml' });
    expect(book.price('stt', 'deepgram', 'nova-2', { ...audio(60), batch: true }).costNanos).toBe(4_300_000); // untouched catalog entry
  });

  it('rejects malformed price blocks with the path of the problem', () => {
    const bad = [
      { stt: { 'deepgram/nova-3': { per_minute: 0.004, per_hour: 0.2 } } },
      { stt: { 'deepgram/nova-3': {} } },
      { llm: { 'openai/gpt-4.1-mini': { input_per_1m: -1, output_per_1m: 1 } } },
      { llm: { 'gpt-4.1-mini': { input_per_1m: 1, output_per_1m: 1 } } },
      { tts: { 'cartesia/sonic-3': { per_minute: 1 } } },
      { image: {} },
    ];
    for (const b of bad) expect(pricesSchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
    const err = pricesSchema.safeParse({ llm: { 'openai/x': { input_per_1m: 'cheap', output_per_1m: 1 } } });
    expect(err.success || err.error.issues[0]!.path).toEqual(['llm', 'openai/x', 'input_per_1m']);
  });
});
