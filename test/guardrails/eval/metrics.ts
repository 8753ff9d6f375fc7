/** Precision / recall / F1 from confusion counts; null when undefined (no predictions / no positives). */
export interface Scores {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export function scores(tp: number, fp: number, fn: number, tn = 0): Scores {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  const r = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return { tp, fp, fn, tn, precision: r(precision), recall: r(recall), f1: r(f1) };
}

/** message-level confusion: each case is (expected positive?, predicted positive?) */
export function messageScores(cases: Array<{ expected: boolean; predicted: boolean }>): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const c of cases) {
    if (c.expected && c.predicted) tp++;
    else if (!c.expected && c.predicted) fp++;
    else if (c.expected && !c.predicted) fn++;
    else tn++;
  }
  return scores(tp, fp, fn, tn);
}

export interface Span {
  start: number;
  end: number;
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/**
 * Span-level, overlap matching: a predicted span is correct when it overlaps a gold span; a gold
 * span is found when some prediction overlaps it.
 */
export function spanCounts(gold: Span[], predicted: Span[]): { tp: number; fp: number; fn: number; found: boolean[] } {
  const found = gold.map((g) => predicted.some((p) => overlaps(g, p)));
  const correct = predicted.filter((p) => gold.some((g) => overlaps(g, p))).length;
  return { tp: correct, fp: predicted.length - correct, fn: found.filter((f) => !f).length, found };
}
