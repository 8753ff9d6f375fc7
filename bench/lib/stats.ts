/** Order statistics for benchmark samples (milliseconds unless a caller says otherwise). */

export interface Summary {
  n: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: number[], digits = 4): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length,
    median: round(percentile(s, 50), digits),
    p99: round(percentile(s, 99), digits),
    mean: round(mean, digits),
    min: round(s[0] ?? Number.NaN, digits),
    max: round(s.at(-1) ?? Number.NaN, digits),
  };
}

/** Drop-in vs raw measured in one run: each summary, then what the drop-in adds (difference and ratio). */
export interface Comparison {
  dropIn: Summary;
  raw: Summary;
  addedMedianMs: number;
  addedP99Ms: number;
  ratioMedian: number;
  ratioP99: number;
  /** median of the per-pair differences (pairs run back to back, so slow phases of the machine cancel out) */
  pairedMedianMs: number;
}

export function compare(dropIn: number[], raw: number[]): Comparison {
  const a = summarize(dropIn);
  const b = summarize(raw);
  const paired = dropIn.map((x, i) => x - raw[i]!);
  return {
    dropIn: a,
    raw: b,
    addedMedianMs: round(a.median - b.median, 4),
    addedP99Ms: round(a.p99 - b.p99, 4),
    ratioMedian: round(a.median / b.median, 3),
    ratioP99: round(a.p99 / b.p99, 3),
    pairedMedianMs: round(percentile([...paired].sort((x, y) => x - y), 50), 4),
  };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
