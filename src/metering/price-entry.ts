import { type Nanos, NANOS_PER_USD } from '../money.js';
import type { Modality } from '../types.js';
import { GENAI_PRICES_DATE, GENAI_PRICES_VERSION, GENAI_SOURCE, type GenaiModel } from './prices/genai.js';
import { LOCAL_SOURCE } from './prices/local.js';
import type { SttPriceData, TtsPriceData } from './prices/types.js';

/** Our own STT/TTS catalog (`src/metering/prices/`): a row names it with the date its figure was read. */
export const CATALOG_SOURCE = 'voicegateway-catalog';
export const YAML_SOURCE = 'yaml';

/**
 * Units of one attempt. STT input = audio seconds; LLM input = prompt tokens INCLUDING cached ones;
 * TTS input = characters. `audio*` are audio tokens of realtime models (billed at audio rates,
 * on top of the text tokens above). `batch`: the STT request went the pre-recorded path.
 */
export interface PriceUnits {
  inputUnits: number;
  outputUnits: number;
  cachedUnits: number;
  audioInputUnits?: number;
  audioCachedUnits?: number;
  audioOutputUnits?: number;
  batch?: boolean;
}

/** Integer nano-USD rates: STT per HOUR of audio, LLM per 1M tokens, TTS per 1M characters. */
export interface Rates {
  input: number;
  cached: number;
  output: number;
}

/**
 * One price as the gateway applies it. Rates are integer nano-USD so costs are exact: STT per hour
 * of audio (sub-nano per-minute figures such as $0.04/h stay exact), LLM per 1M tokens, TTS per 1M
 * characters.
 */
export interface PriceEntry {
  modality: Modality;
  /** `provider/model`, or `provider/*` for every model of a provider */
  model: string;
  origin: 'catalog' | 'genai-prices' | 'yaml' | 'local';
  unit: 'per_minute' | 'per_1m_tokens' | 'per_1m_characters';
  inputNanos: number;
  outputNanos: number;
  cachedNanos: number;
  /** STT: the streaming rate when it differs from the pre-recorded (`inputNanos`) one */
  streamingNanos?: number;
  /** LLM realtime models: audio-token rates per 1M */
  audio?: Rates;
  /** LLM long-context tiers: the whole request at these rates once the prompt reaches `start` tokens */
  tiers?: (Rates & { start: number })[];
  /** the same rates in USD, as a pricing page shows them */
  usd: Record<string, number>;
  /** where the figure comes from: a pricing page URL, `genai-prices@x.y.z`, `voicegw.yaml prices`, `local` */
  source: string;
  asOf: string;
  /** false when the figure could not be checked against the provider's public page */
  verified?: boolean;
  note?: string;
  /** written to each ledger row: `genai-prices@0.1.8`, `voicegateway-catalog@2026-12-03`, `yaml`, `local` */
  tag: string;
}

const HOUR_MS = 3_600_000n;
const MILLION = 1_000_000n;

/**
 * Cost of one attempt in integer arithmetic (BigInt), rounded ONCE, half up, to a whole nano-USD.
 * Audio seconds count to the millisecond, tokens and characters to whole units. `null` when the
 * attempt used units this entry has no rate for (audio tokens on a text-only price).
 */
export function costOf(entry: PriceEntry, units: PriceUnits): Nanos | null {
  switch (entry.modality) {
    case 'stt': {
      const rate = units.batch ? entry.inputNanos : (entry.streamingNanos ?? entry.inputNanos);
      const ms = BigInt(Math.round(nonNegative(units.inputUnits) * 1000));
      return divRoundHalfUp(ms * BigInt(rate), HOUR_MS);
    }
    case 'llm':
    case 'realtime': {
      const prompt = whole(units.inputUnits);
      const rates = ratesFor(entry, prompt + whole(units.audioInputUnits));
      let scaled = tokens(rates, prompt, whole(units.cachedUnits), whole(units.outputUnits));
      const audioIn = whole(units.audioInputUnits);
      const audioOut = whole(units.audioOutputUnits);
      if (audioIn + audioOut > 0) {
        if (!entry.audio) return null;
        scaled += tokens(entry.audio, audioIn, whole(units.audioCachedUnits), audioOut);
      }
      return divRoundHalfUp(scaled, MILLION);
    }
    case 'tts':
      return divRoundHalfUp(BigInt(whole(units.inputUnits)) * BigInt(entry.inputNanos), MILLION);
  }
}

/** The tag a row carries: which rate of a two-rate STT entry applied is part of it. */
export function tagFor(entry: PriceEntry, units: PriceUnits): string {
  if (entry.streamingNanos === undefined) return entry.tag;
  return `${entry.tag}:${units.batch ? 'pre-recorded' : 'streaming'}`;
}

function ratesFor(entry: PriceEntry, prompt: number): Rates {
  let rates: Rates = { input: entry.inputNanos, cached: entry.cachedNanos, output: entry.outputNanos };
  for (const t of entry.tiers ?? []) if (prompt >= t.start) rates = t;
  return rates;
}

/** cached tokens are a subset of the prompt (clamped to it) */
function tokens(r: Rates, prompt: number, cachedRaw: number, output: number): bigint {
  const cached = Math.min(cachedRaw, prompt);
  return BigInt(prompt - cached) * BigInt(r.input) + BigInt(cached) * BigInt(r.cached) + BigInt(output) * BigInt(r.output);
}

function divRoundHalfUp(numerator: bigint, denominator: bigint): Nanos {
  return Number((numerator + denominator / 2n) / denominator);
}

function nonNegative(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) && x > 0 ? x : 0;
}

function whole(x: number | undefined): number {
  return Math.round(nonNegative(x));
}

/** USD → integer nanos at `scale` (e.g. 60 for a per-minute figure stored per hour). */
function nanos(usd: number, scale = 1): number {
  return Math.round(usd * scale * NANOS_PER_USD);
}

interface Origin {
  origin: 'catalog' | 'yaml';
  source: string;
  as_of: string;
  note?: string;
  verified?: boolean;
}

function provenance(model: string, o: Origin) {
  return {
    model,
    origin: o.origin,
    source: o.source,
    asOf: o.as_of,
    ...(o.note ? { note: o.note } : {}),
    ...(o.verified === false ? { verified: false } : {}),
    tag: o.origin === 'yaml' ? YAML_SOURCE : `${CATALOG_SOURCE}@${o.as_of}`,
  };
}

export function sttEntry(p: Omit<SttPriceData, 'source' | 'as_of'>, o: Origin): PriceEntry {
  const perHour = p.per_hour !== undefined ? nanos(p.per_hour) : nanos(p.per_minute ?? 0, 60);
  const streaming = p.streaming_per_minute !== undefined ? nanos(p.streaming_per_minute, 60) : undefined;
  return {
    ...provenance(p.model, o),
    modality: 'stt',
    unit: 'per_minute',
    inputNanos: perHour,
    outputNanos: 0,
    cachedNanos: 0,
    ...(streaming !== undefined ? { streamingNanos: streaming } : {}),
    usd: { per_minute: perHour / 60 / NANOS_PER_USD, ...(streaming !== undefined ? { streaming_per_minute: streaming / 60 / NANOS_PER_USD } : {}) },
  };
}

export function ttsEntry(p: Omit<TtsPriceData, 'source' | 'as_of'>, o: Origin): PriceEntry {
  const perMillion = p.per_character !== undefined ? nanos(p.per_character, 1_000_000) : nanos(p.per_1m_characters ?? 0);
  return {
    ...provenance(p.model, o),
    modality: 'tts',
    unit: 'per_1m_characters',
    inputNanos: perMillion,
    outputNanos: 0,
    cachedNanos: 0,
    usd: { per_1m_characters: perMillion / NANOS_PER_USD },
  };
}

export interface LlmRatesUsd {
  input_per_1m: number;
  output_per_1m: number;
  /** without it, cached prompt tokens cost the input rate */
  cached_input_per_1m?: number;
}

export function llmEntry(model: string, p: LlmRatesUsd, o: Origin): PriceEntry {
  const cached = p.cached_input_per_1m ?? p.input_per_1m;
  return {
    ...provenance(model, o),
    modality: 'llm',
    unit: 'per_1m_tokens',
    inputNanos: nanos(p.input_per_1m),
    outputNanos: nanos(p.output_per_1m),
    cachedNanos: nanos(cached),
    usd: { input_per_1m: p.input_per_1m, cached_input_per_1m: cached, output_per_1m: p.output_per_1m },
  };
}

/** A model of `provider` as genai-prices prices it (under genai-prices' own id, `m.id`). */
export function genaiEntry(provider: string, m: GenaiModel): PriceEntry {
  const r = m.rates;
  const audio = r.audioInput !== undefined || r.audioOutput !== undefined;
  return {
    modality: 'llm',
    model: `${provider}/${m.id}`,
    origin: 'genai-prices',
    unit: 'per_1m_tokens',
    inputNanos: nanos(r.input),
    cachedNanos: nanos(r.cachedInput),
    outputNanos: nanos(r.output),
    ...(audio ? { audio: { input: nanos(r.audioInput ?? 0), cached: nanos(r.audioCachedInput ?? r.audioInput ?? 0), output: nanos(r.audioOutput ?? 0) } } : {}),
    ...(r.tiers.length > 0 ? { tiers: r.tiers.map((t) => ({ start: t.start, input: nanos(t.input), cached: nanos(t.cachedInput), output: nanos(t.output) })) } : {}),
    usd: {
      input_per_1m: r.input,
      cached_input_per_1m: r.cachedInput,
      output_per_1m: r.output,
      ...(r.audioInput !== undefined ? { audio_input_per_1m: r.audioInput } : {}),
      ...(r.audioOutput !== undefined ? { audio_output_per_1m: r.audioOutput } : {}),
    },
    source: m.pricingUrls[0] ? `${GENAI_SOURCE} (${m.pricingUrls[0]})` : GENAI_SOURCE,
    asOf: GENAI_PRICES_DATE[GENAI_PRICES_VERSION] ?? '',
    ...(m.name ? { note: m.name } : {}),
    tag: GENAI_SOURCE,
  };
}

export function localEntry(modality: Modality, provider: string): PriceEntry {
  const unit = modality === 'stt' ? 'per_minute' : modality === 'llm' ? 'per_1m_tokens' : 'per_1m_characters';
  return { modality, model: `${provider}/*`, origin: 'local', unit, inputNanos: 0, outputNanos: 0, cachedNanos: 0, usd: {}, source: LOCAL_SOURCE, asOf: '', tag: LOCAL_SOURCE };
}
