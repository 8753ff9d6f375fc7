import { z } from 'zod';

/**
 * `prices:` in voicegw.yaml: overrides or additions to the built-in catalog, in USD.
 *
 * ```yaml
 * prices:
 *   stt: { "deepgram/nova-3": { per_minute: 0.0040, streaming_per_minute: 0.0070 } }
 *   llm: { "openai/gpt-4.1-mini": { input_per_1m: 0.35, output_per_1m: 1.40, cached_input_per_1m: 0.09 } }
 *   tts: { "cartesia/sonic-3": { per_1m_characters: 30 } }
 * ```
 * A key may end in `/*` to price every model of a provider (e.g. `"piper/*": { per_1m_characters: 0 }`).
 */
const usd = z.number().finite().min(0, 'must be ≥ 0 (USD)');
const modelId = z.string().regex(/^[^/\s]+\/\S+$/, 'must be "provider/model", e.g. "deepgram/nova-3"');
const provenance = {
  source: z.string().optional(),
  as_of: z.string().optional(),
  note: z.string().optional(),
};

function exactlyOne(keys: string[]) {
  return (v: Record<string, unknown>) => keys.filter((k) => v[k] !== undefined).length === 1;
}

export const sttPriceSchema = z
  .strictObject({ per_minute: usd.optional(), per_hour: usd.optional(), streaming_per_minute: usd.optional(), ...provenance })
  .refine(exactlyOne(['per_minute', 'per_hour']), { message: 'set exactly one of per_minute or per_hour' });

export const llmPriceSchema = z.strictObject({
  input_per_1m: usd,
  output_per_1m: usd,
  cached_input_per_1m: usd.optional(),
  ...provenance,
});

export const ttsPriceSchema = z
  .strictObject({ per_1m_characters: usd.optional(), per_character: usd.optional(), ...provenance })
  .refine(exactlyOne(['per_1m_characters', 'per_character']), {
    message: 'set exactly one of per_1m_characters or per_character',
  });

export const pricesSchema = z.strictObject({
  stt: z.record(modelId, sttPriceSchema).optional(),
  llm: z.record(modelId, llmPriceSchema).optional(),
  tts: z.record(modelId, ttsPriceSchema).optional(),
});

export type PricesConfig = z.infer<typeof pricesSchema>;
