import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePolicy, scanText, type GuardrailCategory, type GuardrailPolicy } from '../../../src/guardrails/index.js';
import { messageScores, type Scores } from './metrics.js';

/** Our own labelled corpus: test/guardrails/corpus/<category>.jsonl, one {text, label, topic?, regions?} per line. */
export interface CorpusCase {
  text: string;
  label: 0 | 1;
  topic?: string;
  /** phone regions besides the default US */
  regions?: string[];
  /** a failure class fixed once (issue #21): every case of a class must be classified right */
  class?: string;
}

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'corpus');
export const CORPUS_CATEGORIES: GuardrailCategory[] = ['pii', 'financial', 'medical', 'prompt_injection', 'off_topic'];

export function loadCorpus(category: GuardrailCategory): CorpusCase[] {
  return readFileSync(join(CORPUS_DIR, `${category}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusCase);
}

/** a policy with only `category` on (alert), as the corpus measures one category at a time */
export function policyFor(category: GuardrailCategory, extra: Partial<GuardrailPolicy> = {}) {
  return compilePolicy({ enabled: true, categories: { [category]: 'alert' }, ...extra });
}

export interface CorpusResult {
  category: GuardrailCategory;
  cases: number;
  scores: Scores;
  errors: Array<{ text: string; expected: 0 | 1; class?: string }>;
}

export function evaluateCorpus(category: GuardrailCategory): CorpusResult {
  const cases = loadCorpus(category);
  const policies = new Map<string, ReturnType<typeof policyFor>>();
  const judged = cases.map((c) => {
    const key = `${c.topic ?? ''}|${c.regions?.join(',') ?? ''}`;
    let policy = policies.get(key);
    if (!policy) policies.set(key, (policy = policyFor(category, { topic: c.topic, regions: c.regions })));
    const predicted = scanText(c.text, policy).some((f) => f.category === category);
    return { c, expected: c.label === 1, predicted };
  });
  return {
    category,
    cases: cases.length,
    scores: messageScores(judged),
    errors: judged.filter((j) => j.expected !== j.predicted).map((j) => ({ text: j.c.text, expected: j.c.label, ...(j.c.class ? { class: j.c.class } : {}) })),
  };
}
