import { loadCorpus } from './corpus.js';
import { INJECTION_SETS } from './sets.js';
import { fnv1a, normalise } from './split.js';

/**
 * The rows the prompt-injection classifier is trained on (scripts/train-injection.ts): the `train`
 * rows of the public injection sets (split.ts) and our own corpus, one row per distinct normalised
 * text. Two sets are left out on purpose (both are reported, not pooled, in recall.ts): Tensor
 * Trust (attacks on a game's "access granted" defence, passwords as negatives) and the TrustAIRLab
 * "regular" rows (relabelled by a third party; most of its "benign" rows hand the model a new
 * persona, which the issue counts as an attack).
 *
 * deepset and jackhhao keep their own train / test files, and some of jackhhao's train prompts are
 * held-out in-the-wild jailbreaks (and the other way round). A text that is a test row anywhere is
 * therefore dropped from training: test texts are read only to be excluded, never to learn from.
 */

export const CLASSIFIER_EXCLUDED_SETS = ['tensor-trust', 'trustairlab regular'];

export interface TrainingRow {
  text: string;
  label: 0 | 1;
  /** the set the row comes from ('corpus' for test/guardrails/corpus) */
  source: string;
}

const excluded = (name: string) => CLASSIFIER_EXCLUDED_SETS.some((x) => name.startsWith(x));

/** normalised texts of every test row of every injection set */
export function heldOutTexts(): Set<string> {
  return new Set(INJECTION_SETS.flatMap((s) => s.rows('test')).map((r) => normalise(r.text)));
}

export function trainingRows(): TrainingRow[] {
  const heldOut = heldOutTexts();
  const seen = new Set<string>();
  const out: TrainingRow[] = [];
  const take = (text: string, label: 0 | 1, source: string) => {
    const key = normalise(text);
    if (heldOut.has(key) || seen.has(key)) return;
    seen.add(key);
    out.push({ text, label, source });
  };
  for (const set of INJECTION_SETS) {
    if (excluded(set.name)) continue;
    for (const r of set.rows('train')) take(r.text, r.label, set.name);
  }
  for (const c of loadCorpus('prompt_injection')) take(c.text, c.label, 'corpus');
  return out;
}

/** a fingerprint of the training rows, stored with the weights so a stale asset is noticed */
export function trainingDigest(rows: TrainingRow[]): string {
  let h = 0x811c9dc5;
  for (const r of rows) h = fnv1a(`${h}|${r.label}|${normalise(r.text)}`);
  return `${rows.length}:${h.toString(16).padStart(8, '0')}`;
}
