import type { FallbackEntry } from '../config/schema.js';
import type { Gateway } from '../gateway.js';
import type { Project } from '../projects.js';
import type { ModelRef } from '../providers/types.js';
import type { Modality } from '../types.js';

/** `fallback` option of a drop-in: like LiveKit's `inference.*` (string, `{ model, … }` or an array). */
export type FallbackOption = string | { model: string; [option: string]: unknown } | Array<string | { model: string; [option: string]: unknown }>;

/**
 * The chain a drop-in walks: its primary model, then the instance `fallback` option, else the
 * project's `fallbacks.<modality>`, else the top-level one. The primary is never tried twice.
 */
export function buildChain(gw: Gateway, modality: Modality, primary: ModelRef, project: Project, fallback?: FallbackOption): ModelRef[] {
  const configured: FallbackEntry[] =
    fallback !== undefined
      ? Array.isArray(fallback)
        ? fallback
        : [fallback]
      : (project.config.fallbacks?.[modality] ?? gw.config.fallbacks[modality] ?? []);
  const chain = [primary];
  for (const entry of configured) {
    const { model, ...options } = typeof entry === 'string' ? { model: entry } : entry;
    const ref = gw.registry.resolve(modality, model, options);
    if (!chain.some((c) => sameEntry(c, ref))) chain.push(ref);
  }
  return chain;
}

function sameEntry(a: ModelRef, b: ModelRef): boolean {
  return a.provider === b.provider && a.model === b.model && a.variant === b.variant;
}

/**
 * The order a throttled request walks: local entries first, then priced entries cheapest first.
 * Returns null when the chain has nothing cheaper than its primary (the caller slows down instead).
 * Paid entries at or above the primary's price are dropped: a throttled project never falls back
 * onto a provider it is being kept from.
 */
export function throttledOrder(chain: ModelRef[], unitPrice: (ref: ModelRef) => number | null): ModelRef[] | null {
  const primaryPrice = unitPrice(chain[0]!);
  const local = chain.filter((r) => r.spec.kind === 'local');
  const cheaper = chain
    .filter((r) => r.spec.kind !== 'local' && r !== chain[0])
    .map((r) => ({ r, p: unitPrice(r) }))
    .filter((x): x is { r: ModelRef; p: number } => x.p !== null && primaryPrice !== null && x.p < primaryPrice)
    .sort((a, b) => a.p - b.p)
    .map((x) => x.r);
  const order = [...local, ...cheaper];
  return order.length > 0 && order[0] !== chain[0] ? order : chain[0]!.spec.kind === 'local' ? [chain[0]!] : null;
}
