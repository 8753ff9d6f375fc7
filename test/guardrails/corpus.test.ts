import { describe, expect, it } from 'vitest';
import { CORPUS_CATEGORIES, evaluateCorpus, loadCorpus } from './eval/corpus.js';

/**
 * The labelled corpus under test/guardrails/corpus is the regression gate for every detector:
 * bench/guardrails.ts reports the exact figures; here they must stay above a floor.
 */
describe('labelled corpus', () => {
  it('holds hundreds of cases of both classes', () => {
    const all = CORPUS_CATEGORIES.flatMap((c) => loadCorpus(c));
    expect(all.length).toBeGreaterThanOrEqual(500);
    for (const category of CORPUS_CATEGORIES) {
      const cases = loadCorpus(category);
      expect(cases.filter((c) => c.label === 1).length, category).toBeGreaterThanOrEqual(40);
      expect(cases.filter((c) => c.label === 0).length, category).toBeGreaterThanOrEqual(40);
    }
  });

  it.each(CORPUS_CATEGORIES)('%s: precision ≥ 0.95 and recall ≥ 0.9', (category) => {
    const r = evaluateCorpus(category);
    expect(r.scores.precision, JSON.stringify(r.errors, null, 1)).toBeGreaterThanOrEqual(0.95);
    expect(r.scores.recall, JSON.stringify(r.errors, null, 1)).toBeGreaterThanOrEqual(0.9);
  });

  it.each(CORPUS_CATEGORIES)('%s: every case of a fixed failure class is classified right', (category) => {
    const classed = loadCorpus(category).filter((c) => c.class);
    const wrong = evaluateCorpus(category).errors.filter((e) => e.class);
    if (category === 'medical' || category === 'prompt_injection') expect(classed.length).toBeGreaterThanOrEqual(20);
    expect(wrong).toEqual([]);
  });
});
