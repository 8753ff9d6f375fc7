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

/**
 * `$12.34` from a dollar up, `$0.0123` below, and two significant digits under a hundredth of a
 * cent (`$0.000028`) so a real cost never prints as zero.
 */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'n/a';
  const abs = Math.abs(usd);
  if (abs >= 1) return `$${usd.toFixed(2)}`;
  if (abs >= 0.0001 || abs === 0) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(Math.min(9, 1 - Math.floor(Math.log10(abs))))}`;
}
