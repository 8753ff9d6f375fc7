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
  /** false: the figure could not be checked against `source` on `as_of` (see docs/pricing.md) */
  verified?: boolean;
}

/** STT: billed per audio duration. Exactly one of per_minute / per_hour (pre-recorded, or the only rate). */
export interface SttPriceData extends Provenance {
  per_minute?: number;
  per_hour?: number;
  /** the streaming (WebSocket) rate where the provider bills it apart from pre-recorded audio */
  streaming_per_minute?: number;
}

/** TTS: per input character. Exactly one of the two is set. */
export interface TtsPriceData extends Provenance {
  per_1m_characters?: number;
  per_character?: number;
}
