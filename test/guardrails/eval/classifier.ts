import { compilePolicy, scanText } from '../../../src/guardrails/index.js';
import { classifierFlags, INJECTION_CLASSIFIER } from '../../../src/guardrails/detectors/injection-classifier.js';
import type { Labelled } from './datasets.js';
import { TARGETS } from './recall.js';
import { INJECTION_SETS, pooledInjectionPositives } from './sets.js';
import type { Split } from './split.js';

/**
 * Issue #21's prompt-injection target for the three ways of running the detector: the patterns
 * alone (the default), the optional classifier alone, and both (`classifier: true`: a text is
 * flagged when either flags it). Per set and pooled, on a split of split.ts (`test` is held out).
 */

type Mode = 'rules' | 'classifier' | 'both';
const MODES: Mode[] = ['rules', 'classifier', 'both'];

const rulesPolicy = compilePolicy({ enabled: true, categories: { prompt_injection: 'alert' } });
const bothPolicy = compilePolicy({ enabled: true, categories: { prompt_injection: 'alert' }, injectionClassifier: true });

const flaggedBy: Record<Mode, (text: string) => boolean> = {
  rules: (t) => scanText(t, rulesPolicy).length > 0,
  classifier: (t) => classifierFlags(t),
  both: (t) => scanText(t, bothPolicy).length > 0,
};

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function rate(rows: Labelled[], flag: (text: string) => boolean) {
  const hit = rows.filter((r) => flag(r.text)).length;
  return { n: rows.length, flagged: hit, rate: rows.length ? r3(hit / rows.length) : null };
}

export function classifierFigures(split: Split) {
  const positives = pooledInjectionPositives(split);
  const benign = INJECTION_SETS.filter((s) => s.kind === 'benign' && s.pooled);
  const pooled = Object.fromEntries(
    MODES.map((mode) => {
      const recall = rate(positives, flaggedBy[mode]);
      const fpr = Object.fromEntries(benign.map((s) => [s.name, rate(s.rows(split), flaggedBy[mode])]));
      const worst = Math.max(...Object.values(fpr).map((f) => f.rate ?? 0));
      return [mode, { recall, fprPerBenignSet: fpr, met: (recall.rate ?? 0) >= TARGETS.prompt_injection.pooledRecall && worst <= TARGETS.prompt_injection.benignFpr }];
    }),
  );
  const perSet = Object.fromEntries(
    INJECTION_SETS.map((s) => {
      const rows = s.rows(split);
      const pos = rows.filter((r) => r.label === 1);
      const neg = rows.filter((r) => r.label === 0);
      return [
        s.name,
        Object.fromEntries(
          MODES.map((mode) => [mode, { ...(pos.length ? { recall: rate(pos, flaggedBy[mode]) } : {}), ...(neg.length ? { fpr: rate(neg, flaggedBy[mode]) } : {}) }]),
        ),
      ];
    }),
  );
  return { pooled, perSet };
}

export function classifierResults() {
  return {
    note: 'rules = the patterns alone (default); classifier = the optional classifier alone; both = `prompt_injection: { action, classifier: true }` (either flags). Threshold chosen on train out-of-fold scores (scripts/train-injection.ts), never on test.',
    classifier: INJECTION_CLASSIFIER,
    test: classifierFigures('test'),
    train: { note: 'the classifier was fitted on these rows: optimistic', ...classifierFigures('train') },
  };
}
