import { log } from '../log.js';
import type { Nanos } from '../money.js';
import type { Modality } from '../types.js';
import { costOf, genaiEntry, llmEntry, localEntry, type PriceEntry, type PriceUnits, sttEntry, tagFor, ttsEntry, YAML_SOURCE } from './price-entry.js';
import { GENAI_LISTED_PROVIDERS, genaiModel, genaiModelIds } from './prices/genai.js';
import { LOCAL_PROVIDERS } from './prices/local.js';
import type { PricesConfig } from './prices/schema.js';
import { STT_PRICES } from './prices/stt.js';
import { TTS_PRICES } from './prices/tts.js';

export { CATALOG_SOURCE, type PriceEntry, type PriceUnits, YAML_SOURCE } from './price-entry.js';
export { GENAI_SOURCE } from './prices/genai.js';

export interface PriceResult {
  /** null = no known price (never a silent 0) */
  costNanos: Nanos | null;
  /** written to the ledger row: `genai-prices@x.y.z`, `voicegateway-catalog@<date>`, `yaml`, `local`; '' when unknown */
  source: string;
}

export type UnknownPriceHandler = (modality: Modality, model: string) => void;

/** Remainders that name a snapshot of the same model: `-2024-07-18`, `-20250219`, `-0125`, `-latest`. */
const VERSION_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest|general)$/;

/**
 * The one place a price comes from. Precedence: `prices:` in voicegw.yaml, then our catalog for
 * STT per minute and TTS per character (`src/metering/prices/`), then `@pydantic/genai-prices` for
 * LLMs (bundled data), then `provider/*` (local providers at 0). `lookup()` answers "is it priced",
 * `price()` what an attempt costs; budgets, the drop-ins, realtime and every surface use these two.
 */
export class PriceBook {
  readonly #entries = new Map<string, PriceEntry>();
  readonly #resolved = new Map<string, PriceEntry | null>();
  readonly #warned = new Set<string>();
  readonly #onUnknown: UnknownPriceHandler;
  #listed: PriceEntry[] | null = null;

  constructor(overrides?: PricesConfig, onUnknown?: UnknownPriceHandler) {
    this.#onUnknown =
      onUnknown ??
      ((modality, model) =>
        log.warn(`No ${modality.toUpperCase()} price for '${model}': its cost is recorded as unknown. Add it under prices.${modality} in voicegw.yaml.`));
    for (const modality of ['stt', 'llm', 'tts'] as const) {
      for (const provider of LOCAL_PROVIDERS) this.#add(localEntry(modality, provider));
    }
    for (const p of STT_PRICES) this.#add(sttEntry(p, { ...p, origin: 'catalog' }));
    for (const p of TTS_PRICES) this.#add(ttsEntry(p, { ...p, origin: 'catalog' }));
    const yaml = (p: { source?: string; as_of?: string; note?: string }) => ({ origin: 'yaml' as const, source: p.source ?? 'voicegw.yaml prices', as_of: p.as_of ?? '', note: p.note });
    for (const [model, p] of Object.entries(overrides?.stt ?? {})) this.#add(sttEntry({ ...p, model }, yaml(p)));
    for (const [model, p] of Object.entries(overrides?.llm ?? {})) this.#add(llmEntry(model, p, yaml(p)));
    for (const [model, p] of Object.entries(overrides?.tts ?? {})) this.#add(ttsEntry({ ...p, model }, yaml(p)));
  }

  /** Cost of one attempt. An unknown model costs `null` and is reported once through `onUnknown`. */
  price(modality: Modality, provider: string, model: string, units: PriceUnits): PriceResult {
    const id = `${provider}/${model}`;
    const entry = this.lookup(modality, id);
    const cost = entry && costOf(entry, units);
    if (!entry || cost === null) {
      const key = `${modality}:${id}`;
      if (!this.#warned.has(key)) {
        this.#warned.add(key);
        this.#onUnknown(modality, entry ? `${id} (audio tokens)` : id);
      }
      return { costNanos: null, source: '' };
    }
    return { costNanos: cost, source: tagFor(entry, units) };
  }

  /** Whether a model has a price (local providers are priced at $0): the one answer budgets rely on. */
  isPriced(modality: Modality, modelId: string): boolean {
    return this.lookup(modality, modelId) !== null;
  }

  /**
   * The entry pricing `provider/model[:variant]`, or null when it is not priced: exact id, then
   * without the `:variant` (STT language, TTS voice), then a dated snapshot of a known model
   * (`…-2024-07-18`, longest match), then genai-prices (LLM), then a `provider/*` entry.
   */
  lookup(modality: Modality, modelId: string): PriceEntry | null {
    // realtime models are LLM entries with audio-token rates (genai-prices carries both)
    if (modality === 'realtime') return this.lookup('llm', modelId);
    const key = `${modality}\0${modelId}`;
    const cached = this.#resolved.get(key);
    if (cached !== undefined) return cached;
    const found = this.#resolve(modality, modelId);
    this.#resolved.set(key, found);
    return found;
  }

  /**
   * Every price as the gateway applies it (overrides on top): our STT/TTS catalog, YAML entries,
   * local providers and the genai-prices LLMs of the providers we serve.
   */
  list(modality?: Modality): PriceEntry[] {
    this.#listed ??= this.#listAll();
    return this.#listed.filter((e) => !modality || e.modality === modality);
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

  #listAll(): PriceEntry[] {
    const all = new Map(this.#entries);
    for (const provider of GENAI_LISTED_PROVIDERS) {
      for (const id of genaiModelIds(provider)) {
        const model = `${provider}/${id}`;
        const entry = this.lookup('llm', model);
        if (entry && !all.has(`llm\0${entry.model}`)) all.set(`llm\0${entry.model}`, entry);
      }
    }
    return [...all.values()].sort((a, b) => a.modality.localeCompare(b.modality) || a.model.localeCompare(b.model));
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
    if (snapshot) return snapshot;
    const wildcard = this.#get(modality, `${provider}/*`);
    if (wildcard?.origin === YAML_SOURCE || wildcard?.origin === 'local') return wildcard;
    if (modality === 'llm') {
      const m = genaiModel(provider, modelId.slice(slash + 1));
      if (m) return this.#resolved.get(`llm\0${provider}/${m.id}`) ?? genaiEntry(provider, m);
    }
    return wildcard ?? null;
  }
}
