/** P5: the guardrail scan's speed and the detectors' precision / recall, from bench/guardrails.ts. */
import { runChild } from './child.js';
import { type Figure, MIN } from './figure.js';
import type { Row } from './report.js';

type Timing = { p50_us: number; p99_us: number };
interface GuardrailsOut {
  performance: {
    scanText_4kb_all_categories: Timing;
    guardChatContext_4kb_in_messages: { p50_us: number };
    context: { chars: number };
    machineReference: { charLoop_4kb_us: number; ns_per_char: number };
    injectionClassifier: { turn_chars_mean: number; classifier_per_turn: Timing; classifier_4kb: Timing; scanText_4kb_all_categories_no_attack: { classifier_off: Timing; classifier_on: Timing } };
  };
  corpus?: Record<string, { cases: number; precision: number; recall: number } | string>;
  public?: { prompt_injection?: HeldOutInjection; prompt_injection_classifier?: { test: { pooled: Record<'rules' | 'classifier' | 'both', HeldOutPooled> } }; medical?: HeldOutMedical };
}

interface Rate {
  n: number;
  flagged: number;
  rate: number | null;
}
type HeldOutPooled = { recall: Rate; fprPerBenignSet: Record<string, Rate>; met: boolean };
interface HeldOutInjection {
  pooled: Record<'test' | 'train', HeldOutPooled>;
}
interface HeldOutMedical {
  test: { recall: Rate; bankingFpr: Rate; met: boolean };
  train: { recall: Rate; bankingFpr: Rate };
}

const rate = (r: Rate) => `${(r.rate ?? 0).toFixed(3)} (${r.flagged}/${r.n})`;

export const P5: Figure = {
  id: 'P5',
  title: 'guardrail scan of a 4 KB chat context (all categories); precision/recall per category',
  async run(ctx) {
    const out = await runChild<GuardrailsOut>('guardrails.ts', ctx.quick ? ['--iterations', '2000'] : [], { timeoutMs: 5 * MIN });
    const p = out.performance;
    const rows: Row[] = [
      {
        figure: `P5 guardrail scan, ${p.context.chars} chars, all categories, median`,
        measured: `${p.scanText_4kb_all_categories.p50_us} µs (p99 ${p.scanText_4kb_all_categories.p99_us}; as chat context ${p.guardChatContext_4kb_in_messages.p50_us} µs)`,
        target: '≤ 100 µs',
        pass: p.scanText_4kb_all_categories.p50_us <= 100,
      },
      {
        figure: 'P5 machine reference: one charCodeAt pass over the same 4 KB',
        measured: `${p.machineReference.charLoop_4kb_us} µs (${p.machineReference.ns_per_char} ns per character)`,
        target: '—',
        pass: null,
      },
    ];
    for (const [category, r] of Object.entries(out.corpus ?? {})) {
      if (typeof r === 'string') continue;
      rows.push({ figure: `P5 ${category} precision / recall (labelled corpus)`, measured: `${r.precision.toFixed(3)} / ${r.recall.toFixed(3)} (${r.cases} cases)`, target: '—', pass: null });
    }
    const inj = out.public?.prompt_injection?.pooled;
    if (inj) {
      const fprs = (s: 'test' | 'train') => Object.values(inj[s].fprPerBenignSet).map(rate).join(', ');
      rows.push({
        figure: 'P5 prompt_injection held-out, patterns alone (the default): pooled recall; FPR on NotInject, wildguard, Clean_Benign',
        measured: `${rate(inj.test.recall)}; ${fprs('test')} (train ${rate(inj.train.recall)}; ${fprs('train')})`,
        // issue #21 asks for the target with the optional classifier if the patterns cannot reach it: next row
        target: inj.test.met || !out.public?.prompt_injection_classifier ? '≥ 0.75 at FPR ≤ 0.02' : '— (target: with the classifier, next row)',
        pass: inj.test.met || !out.public?.prompt_injection_classifier ? inj.test.met : null,
      });
    }
    const clf = out.public?.prompt_injection_classifier?.test.pooled;
    if (clf) {
      const fprs = (m: HeldOutPooled) => Object.values(m.fprPerBenignSet).map(rate).join(', ');
      rows.push({
        figure: 'P5 prompt_injection held-out, optional classifier on (patterns ∪ classifier): pooled recall; FPR on NotInject, wildguard, Clean_Benign',
        measured: `${rate(clf.both.recall)}; ${fprs(clf.both)} (classifier alone ${rate(clf.classifier.recall)}; ${fprs(clf.classifier)})`,
        target: '≥ 0.75 at FPR ≤ 0.02',
        pass: clf.both.met,
      });
    }
    const c = p.injectionClassifier;
    rows.push({
      figure: `P5 prompt_injection classifier (off by default): per caller turn (${c.turn_chars_mean} chars) / per 4 KB, median (p99); 4 KB scan, all categories, classifier on`,
      measured: `${c.classifier_per_turn.p50_us} µs (${c.classifier_per_turn.p99_us}) / ${c.classifier_4kb.p50_us} µs (${c.classifier_4kb.p99_us}); scan ${c.scanText_4kb_all_categories_no_attack.classifier_on.p50_us} µs (off: ${c.scanText_4kb_all_categories_no_attack.classifier_off.p50_us})`,
      target: '—',
      pass: null,
    });
    const med = out.public?.medical;
    if (med) {
      rows.push({
        figure: 'P5 medical held-out: recall on medical-question-pairs; FPR on banking77',
        measured: `${rate(med.test.recall)}; ${rate(med.test.bankingFpr)} (train ${rate(med.train.recall)}; ${rate(med.train.bankingFpr)})`,
        target: '≥ 0.6 at FPR ≤ 0.01',
        pass: med.test.met,
      });
    }
    return { rows, data: out };
  },
};
