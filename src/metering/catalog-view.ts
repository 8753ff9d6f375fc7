import type { Modality } from '../types.js';
import type { PriceEntry } from './price-entry.js';
import type { PriceBook } from './pricing.js';

/** One price as the CLI, the HTTP API/dashboard and MCP show it (USD at the edge). */
export interface PriceRow {
  modality: Modality;
  /** the entry that prices it (`anthropic/claude-sonnet-4-0` for `anthropic/claude-sonnet-4-20250514`) */
  model: string;
  /** the id asked for, when it resolved to a different entry */
  requested?: string;
  unit: PriceEntry['unit'];
  /** USD per unit: `per_minute` (+ `streaming_per_minute`), `input_per_1m` / `cached_input_per_1m` / `output_per_1m`, `per_1m_characters` */
  prices: Record<string, number>;
  origin: PriceEntry['origin'];
  /** true when voicegw.yaml `prices:` set it */
  override: boolean;
  /** what a ledger row records as its pricing source */
  source: string;
  /** where the figure was read: pricing page, genai-prices (page), voicegw.yaml */
  reference: string;
  as_of: string;
  verified: boolean;
  /** older than `--stale-days` */
  stale: boolean;
  note?: string;
}

export interface PriceCatalog {
  rows: PriceRow[];
  /** requested models with no price, each with how to add one */
  missing: { model: string; hint: string }[];
  /** rows older than `staleDays` (local prices never are) */
  stale: number;
}

const DAY_MS = 86_400_000;

/**
 * The catalog as the gateway will apply it. With `models`, each one's entry (any modality it is
 * priced under, variants and snapshots resolved the way rows are priced) or a `missing` line.
 */
export function priceCatalog(book: PriceBook, o: { models?: string[]; modality?: Modality; staleDays?: number; now?: number } = {}): PriceCatalog {
  const now = o.now ?? Date.now();
  // a YAML price without as_of has no age to judge
  const isStale = (e: PriceEntry) => o.staleDays !== undefined && e.asOf !== '' && now - Date.parse(`${e.asOf}T00:00:00Z`) > o.staleDays * DAY_MS;
  const rows: PriceRow[] = [];
  const missing: PriceCatalog['missing'] = [];
  if (o.models && o.models.length > 0) {
    for (const model of o.models) {
      const found = (['stt', 'llm', 'tts'] as const).filter((m) => !o.modality || m === o.modality).map((m) => book.lookup(m, model)).filter((e) => e !== null);
      if (found.length === 0) missing.push({ model, hint: hint(model) });
      for (const e of found) rows.push({ ...row(e, isStale(e)), ...(e.model !== model ? { requested: model } : {}) });
    }
  } else {
    rows.push(...book.list(o.modality).map((e) => row(e, isStale(e))));
  }
  return { rows, missing, stale: rows.filter((r) => r.stale).length };
}

function row(e: PriceEntry, stale: boolean): PriceRow {
  return {
    modality: e.modality,
    model: e.model,
    unit: e.unit,
    prices: { ...e.usd },
    origin: e.origin,
    override: e.origin === 'yaml',
    source: e.tag,
    reference: e.source,
    as_of: e.asOf,
    verified: e.verified !== false,
    stale,
    ...(e.note ? { note: e.note } : {}),
  };
}

function hint(model: string): string {
  if (!/^[^/\s]+\/\S+$/.test(model)) return `'${model}' is not a 'provider/model' id (e.g. openai/gpt-4o-mini)`;
  return `add it to voicegw.yaml: prices: { llm: { "${model}": { input_per_1m: …, output_per_1m: … } } } (or stt: per_minute, tts: per_1m_characters)`;
}

/** One line for a row's price, as the CLI table and the dashboard show it. */
export function priceSummary(r: PriceRow): string {
  const p = r.prices;
  if (r.origin === 'local') return '0 (local)';
  if (r.unit === 'per_minute') return `${p.per_minute}/min${p.streaming_per_minute !== undefined ? ` (streaming ${p.streaming_per_minute}/min)` : ''}`;
  if (r.unit === 'per_1m_characters') return `${p.per_1m_characters}/1M chars`;
  return `in ${p.input_per_1m} / cached ${p.cached_input_per_1m} / out ${p.output_per_1m} per 1M tok`;
}
