import { log } from '../log.js';
import { type Nanos, NANOS_PER_USD } from '../money.js';
import type { Modality } from '../types.js';
import { LLM_PRICES } from './prices/llm.js';
import { LOCAL_PROVIDERS, LOCAL_SOURCE } from './prices/local.js';
import type { PricesConfig } from './prices/schema.js';
import { STT_PRICES } from './prices/stt.js';
import { TTS_PRICES } from './prices/tts.js';
import type { LlmPriceData, SttPriceData, TtsPriceData } from './prices/types.js';

/** STT input = audio seconds; LLM input = prompt tokens INCLUDING cached ones; TTS input = characters. */
export interface PriceUnits {
  inputUnits: number;
  outputUnits: number;
  cachedUnits: number;
}

export interface PriceResult {
  /** null = no known price (never a silent 0) */
  costNanos: Nanos | null;
  /** written to the ledger row: `<pricing page>@<as_of>`, `config`, `local`; '' when unknown */
  source: string;
}

/**
 * One price with integer nano-USD rates, so costs are computed exactly:
 * STT rates are per HOUR of audio (sub-nano per-minute figures such as $0.04/h stay exact),
 * LLM rates per 1M tokens, TTS rates per 1M characters.
 */
export interface PriceEntry {
  modality: Modality;
  /** `provider/model`, or `provider/*` for every model of a provider */
  model: string;
  origin: 'catalog' | 'config' | 'local';
  unit: 'per_minute' | 'per_1m_tokens' | 'per_1m_characters';
  inputNanos: number;
  outputNanos: number;
  cachedNanos: number;
  /** the same rates in USD, as a pricing page shows them */
  usd: Record<string, number>;
  source: string;
  asOf: string;
  note?: string;
  tag: string;
}

export type UnknownPriceHandler = (modality: Modality, model: string) => void;

const HOUR_MS = 3_600_000n;
const MILLION = 1_000_000n;
/** Remainders that name a snapshot of the same model: `-2024-07-18`, `-20250219`, `-0125`, `-latest`. */
const VERSION_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest|general)$/;

/**
 * Prices requests from the built-in catalog (`src/metering/prices/`) plus `prices:` overrides.
 *
 * Rounding: every row's cost is computed in integer arithmetic (BigInt) and rounded ONCE, half up,
 * to a whole nano-USD. Audio seconds are taken to the millisecond and token/character counts to
 * whole units before that. Example: 3.2 s on $0.0043/min = 3200 ms × 258,000,000 nano/h ÷ 3,600,000
 * = 229,333.33… → 229,333 nanos.
 */
export class PriceBook {
  readonly #entries = new Map<string, PriceEntry>();
  readonly #resolved = new Map<string, PriceEntry | null>();
  readonly #warned = new Set<string>();
  readonly #onUnknown: UnknownPriceHandler;

  constructor(overrides?: PricesConfig, onUnknown?: UnknownPriceHandler) {
    this.#onUnknown =
      onUnknown ??
      ((modality, model) =>
        log.warn(`No ${modality.toUpperCase()} price for '${model}': its cost is recorded as unknown. Add it under prices.${modality} in voicegw.yaml.`));
    for (const modality of ['stt', 'llm', 'tts'] as const) {
      for (const provider of LOCAL_PROVIDERS) this.#add(localEntry(modality, provider));
    }
    for (const p of STT_PRICES) this.#add(sttEntry(p, 'catalog'));
    for (const p of LLM_PRICES) this.#add(llmEntry(p, 'catalog'));
    for (const p of TTS_PRICES) this.#add(ttsEntry(p, 'catalog'));
    for (const [model, p] of Object.entries(overrides?.stt ?? {})) this.#add(sttEntry({ ...p, model, ...configMeta(p) }, 'config'));
    for (const [model, p] of Object.entries(overrides?.llm ?? {})) this.#add(llmEntry({ ...p, model, ...configMeta(p) }, 'config'));
    for (const [model, p] of Object.entries(overrides?.tts ?? {})) this.#add(ttsEntry({ ...p, model, ...configMeta(p) }, 'config'));
  }

  /** Cost of one attempt. An unknown model costs `null` and is reported once through `onUnknown`. */
  price(modality: Modality, provider: string, model: string, units: PriceUnits): PriceResult {
    const id = `${provider}/${model}`;
    const entry = this.lookup(modality, id);
    if (!entry) {
      const key = `${modality}:${id}`;
      if (!this.#warned.has(key)) {
        this.#warned.add(key);
        this.#onUnknown(modality, id);
      }
      return { costNanos: null, source: '' };
    }
    return { costNanos: costOf(entry, units), source: entry.tag };
  }

  /**
   * The entry pricing `provider/model[:variant]`: exact id, then without the `:variant` (STT language,
   * TTS voice), then a dated snapshot of a known model (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`,
   * longest match), then a `provider/*` entry (local providers).
   */
  lookup(modality: Modality, modelId: string): PriceEntry | null {
    const key = `${modality}\0${modelId}`;
    const cached = this.#resolved.get(key);
    if (cached !== undefined) return cached;
    const found = this.#resolve(modality, modelId);
    this.#resolved.set(key, found);
    return found;
  }

  /** Every known price, overrides applied (for `list_models`, the CLI and the dashboard). */
  list(modality?: Modality): PriceEntry[] {
    return [...this.#entries.values()]
      .filter((e) => !modality || e.modality === modality)
      .sort((a, b) => a.modality.localeCompare(b.modality) || a.model.localeCompare(b.model));
  }

  /** The cheapest priced model among `modelIds` (LLM compared at a 3:1 input:output token mix). */
  cheapest(modality: Modality, modelIds: string[]): { model: string; entry: PriceEntry } | null {
    let best: { model: string; entry: PriceEntry; nominal: number } | null = null;
    for (const model of modelIds) {
      const entry = this.lookup(modality, model);
      if (!entry) continue;
      const nominal = modality === 'llm' ? 3 * entry.inputNanos + entry.outputNanos : entry.inputNanos;
      if (!best || nominal < best.nominal) best = { model, entry, nominal };
    }
    return best && { model: best.model, entry: best.entry };
  }

  #add(entry: PriceEntry): void {
    this.#entries.set(`${entry.modality}\0${entry.model}`, entry);
  }

  #get(modality: Modality, id: string): PriceEntry | undefined {
    return this.#entries.get(`${modality}\0${id}`);
  }

  #resolve(modality: Modality, modelId: string): PriceEntry | null {
    const slash = modelId.indexOf('/');
    if (slash <= 0) return null;
    const provider = modelId.slice(0, slash);
    const exact = this.#get(modality, modelId);
    if (exact) return exact;
    const colon = modelId.indexOf(':', slash);
    const base = modality !== 'llm' && colon > 0 ? modelId.slice(0, colon) : modelId;
    if (base !== modelId) {
      const plain = this.#get(modality, base);
      if (plain) return plain;
    }
    let snapshot: PriceEntry | null = null;
    for (const entry of this.#entries.values()) {
      if (entry.modality !== modality || entry.model.endsWith('/*') || !base.startsWith(entry.model)) continue;
      if (!VERSION_SUFFIX.test(base.slice(entry.model.length))) continue;
      if (!snapshot || entry.model.length > snapshot.model.length) snapshot = entry;
    }
    return snapshot ?? this.#get(modality, `${provider}/*`) ?? null;
  }
}

function costOf(entry: PriceEntry, units: PriceUnits): Nanos {
  switch (entry.modality) {
    case 'stt': {
      const ms = BigInt(Math.round(nonNegative(units.inputUnits) * 1000));
      return divRoundHalfUp(ms * BigInt(entry.inputNanos), HOUR_MS);
    }
    case 'llm': {
      const prompt = Math.round(nonNegative(units.inputUnits));
      const cached = Math.min(Math.round(nonNegative(units.cachedUnits)), prompt);
      const output = Math.round(nonNegative(units.outputUnits));
      const scaled =
        BigInt(prompt - cached) * BigInt(entry.inputNanos) +
        BigInt(cached) * BigInt(entry.cachedNanos) +
        BigInt(output) * BigInt(entry.outputNanos);
      return divRoundHalfUp(scaled, MILLION);
    }
    case 'tts': {
      const chars = BigInt(Math.round(nonNegative(units.inputUnits)));
      return divRoundHalfUp(chars * BigInt(entry.inputNanos), MILLION);
    }
  }
}

function divRoundHalfUp(numerator: bigint, denominator: bigint): Nanos {
  return Number((numerator + denominator / 2n) / denominator);
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}

/** USD → integer nanos at `scale` (e.g. 60 for a per-minute figure stored per hour). */
function nanos(usd: number, scale = 1): number {
  return Math.round(usd * scale * NANOS_PER_USD);
}

/** `https://openai.com/api/pricing/` + `2025-06-01` → `openai.com/api/pricing@2025-06-01` */
function catalogTag(source: string, asOf: string): string {
  return `${source.replace(/^https?:\/\//, '').replace(/\/+$/, '')}@${asOf}`;
}

function configMeta(p: { source?: string; as_of?: string }): { source: string; as_of: string } {
  return { source: p.source ?? 'voicegw.yaml prices', as_of: p.as_of ?? '' };
}

function base(p: SttPriceData | LlmPriceData | TtsPriceData, origin: PriceEntry['origin']) {
  return {
    model: p.model,
    origin,
    source: p.source,
    asOf: p.as_of,
    note: p.note,
    tag: origin === 'config' ? 'config' : catalogTag(p.source, p.as_of),
  };
}

function sttEntry(p: SttPriceData, origin: PriceEntry['origin']): PriceEntry {
  const perHour = p.per_hour !== undefined ? nanos(p.per_hour) : nanos(p.per_minute ?? 0, 60);
  return {
    ...base(p, origin),
    modality: 'stt',
    unit: 'per_minute',
    inputNanos: perHour,
    outputNanos: 0,
    cachedNanos: 0,
    usd: { per_minute: perHour / 60 / NANOS_PER_USD },
  };
}

function llmEntry(p: LlmPriceData, origin: PriceEntry['origin']): PriceEntry {
  const cached = p.cached_input_per_1m ?? p.input_per_1m;
  return {
    ...base(p, origin),
    modality: 'llm',
    unit: 'per_1m_tokens',
    inputNanos: nanos(p.input_per_1m),
    outputNanos: nanos(p.output_per_1m),
    cachedNanos: nanos(cached),
    usd: { input_per_1m: p.input_per_1m, cached_input_per_1m: cached, output_per_1m: p.output_per_1m },
  };
}

function ttsEntry(p: TtsPriceData, origin: PriceEntry['origin']): PriceEntry {
  const perMillion = p.per_character !== undefined ? nanos(p.per_character, 1_000_000) : nanos(p.per_1m_characters ?? 0);
  return {
    ...base(p, origin),
    modality: 'tts',
    unit: 'per_1m_characters',
    inputNanos: perMillion,
    outputNanos: 0,
    cachedNanos: 0,
    usd: { per_1m_characters: perMillion / NANOS_PER_USD },
  };
}

function localEntry(modality: Modality, provider: string): PriceEntry {
  const unit = modality === 'stt' ? 'per_minute' : modality === 'llm' ? 'per_1m_tokens' : 'per_1m_characters';
  return {
    modality,
    model: `${provider}/*`,
    origin: 'local',
    unit,
    inputNanos: 0,
    outputNanos: 0,
    cachedNanos: 0,
    usd: {},
    source: LOCAL_SOURCE,
    asOf: '',
    tag: LOCAL_SOURCE,
  };
}
