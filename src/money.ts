/**
 * Money is integer nano-USD inside voicegateway (1 USD = 1e9 nano). Float sums drift by a unit
 * and break exact-threshold budgets; integers up to 2^53 nano ($9M) are exact.
 */
export type Nanos = number;

export const NANOS_PER_USD = 1_000_000_000;

export function usdToNanos(usd: number): Nanos {
  return Math.round(usd * NANOS_PER_USD);
}

export function nanosToUsd(nanos: Nanos): number {
  return nanos / NANOS_PER_USD;
}

/** `$0.0123`: four decimals below a dollar, two above. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'n/a';
  return Math.abs(usd) >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}
