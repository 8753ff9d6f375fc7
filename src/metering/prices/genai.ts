import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { calcPrice, findProvider, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices';

/**
 * LLM prices from `@pydantic/genai-prices`: its data ships inside the package (no fetch at run
 * time; `updatePrices` is never called), so a row's source names the package version.
 */
export const GENAI_PRICES_VERSION: string = (() => {
  const entry = createRequire(import.meta.url).resolve('@pydantic/genai-prices');
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
})();

/** Publication date of the bundled data (npm `time` of the version above); a test pins the pair. */
export const GENAI_PRICES_DATE: Record<string, string> = { '0.1.8': '2026-09-23' };

export const GENAI_SOURCE = `genai-prices@${GENAI_PRICES_VERSION}`;

/** Our provider names that genai-prices spells differently. */
const PROVIDER_IDS: Record<string, string> = { xai: 'x-ai' };

/** Providers whose models `voicegw prices` lists from genai-prices (the LLM providers we serve). */
export const GENAI_LISTED_PROVIDERS = ['openai', 'anthropic', 'google', 'xai', 'groq', 'mistral'] as const;

/** USD per 1M tokens, as genai-prices states them; tiers reprice the whole request above `start` prompt tokens. */
export interface GenaiRates {
  input: number;
  cachedInput: number;
  output: number;
  audioInput?: number;
  audioCachedInput?: number;
  audioOutput?: number;
  tiers: { start: number; input: number; cachedInput: number; output: number }[];
}

export interface GenaiModel {
  /** genai-prices' own id for the matched model, e.g. `claude-sonnet-4-0` for `claude-sonnet-4-20250514` */
  id: string;
  name?: string;
  rates: GenaiRates;
  pricingUrls: string[];
}

/** The model genai-prices prices `model` as (its own match rules: snapshots, aliases), at `at`. */
export function genaiModel(provider: string, model: string, at: Date = new Date()): GenaiModel | null {
  const providerId = PROVIDER_IDS[provider] ?? provider;
  if (!findProvider({ providerId })) return null;
  const found = calcPrice({}, model, { providerId, timestamp: at });
  if (!found) return null;
  const rates = ratesOf(found.model_price);
  return rates && { id: found.model.id, ...(found.model.name ? { name: found.model.name } : {}), rates, pricingUrls: found.provider.pricing_urls ?? [] };
}

/** Every text model genai-prices knows for one of our providers (ids as genai-prices writes them). */
export function genaiModelIds(provider: string): string[] {
  const p = findProvider({ providerId: PROVIDER_IDS[provider] ?? provider });
  return (p?.models ?? []).filter((m) => !m.deprecated).map((m) => m.id);
}

function ratesOf(p: ModelPrice): GenaiRates | null {
  const input = p.input_mtok;
  const output = p.output_mtok;
  if (input === undefined || output === undefined) return null; // per-second / per-request models are not chat LLMs
  const cached = p.cache_read_mtok ?? input;
  const tiers = tiered(input) ? tiered(input)!.tiers.map((t) => ({ start: t.start, input: t.price, cachedInput: tierAt(cached, t.start), output: tierAt(output, t.start) })) : [];
  const audio = (v: ModelPrice[string]) => (v === undefined ? undefined : base(v));
  return {
    input: base(input),
    cachedInput: base(cached),
    output: base(output),
    audioInput: audio(p.input_audio_mtok),
    audioCachedInput: audio(p.cache_audio_read_mtok ?? p.input_audio_mtok),
    audioOutput: audio(p.output_audio_mtok),
    tiers,
  };
}

function tiered(v: number | TieredPrices): TieredPrices | null {
  return typeof v === 'number' ? null : v;
}

function base(v: number | TieredPrices): number {
  return typeof v === 'number' ? v : v.base;
}

/** The price of a (possibly tiered) rate once the prompt has passed `start` tokens. */
function tierAt(v: number | TieredPrices, start: number): number {
  if (typeof v === 'number') return v;
  let price = v.base;
  for (const t of v.tiers) if (start >= t.start) price = t.price;
  return price;
}
