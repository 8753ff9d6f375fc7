/**
 * Catalog entries as written by humans: USD figures exactly as the provider's pricing page shows
 * them, plus where they came from. `PriceBook` turns them into integer nano-USD rates.
 */
interface Provenance {
  /** `provider/model`, e.g. `deepgram/nova-3`; `provider/*` matches every model of a provider */
  model: string;
  /** URL (or document name) of the provider's public pricing page; `local` for self-hosted */
  source: string;
  /** date (YYYY-MM-DD) the figure was read from `source` */
  as_of: string;
  /** caveats: estimates, plan assumptions, batch vs streaming */
  note?: string;
}

/** STT: billed per audio duration. Exactly one of the two is set. */
export interface SttPriceData extends Provenance {
  per_minute?: number;
  per_hour?: number;
}

/** LLM: per 1M tokens. Without `cached_input_per_1m`, cached prompt tokens cost the input rate. */
export interface LlmPriceData extends Provenance {
  input_per_1m: number;
  output_per_1m: number;
  cached_input_per_1m?: number;
}

/** TTS: per input character. Exactly one of the two is set. */
export interface TtsPriceData extends Provenance {
  per_1m_characters?: number;
  per_character?: number;
}
