/**
 * Trains the optional prompt-injection classifier and writes its weights into the package as
 * src/guardrails/detectors/injection-model.generated.ts (committed; `tsc` puts it in dist).
 *
 *   npm run train:injection            # needs the eval data (VOICEGW_EVAL_DATA, see datasets.ts)
 *
 * Deterministic: the same rows give the same bytes. Reads only training rows (training.ts: the
 * train split of the public sets plus our corpus, minus any text held out anywhere).
 *
 * Model: logistic regression over hashed features (injection-features.ts), each occurrence worth
 * 1/sqrt(occurrences in the text); AdaGrad, L2, benign rows weighted ×3 (false positives cost more
 * on a live call than misses). Then the 50 000 largest weights are kept, quantised to int8.
 *
 * Threshold: 5-fold out-of-fold scores on the training rows (each row scored by a model that did not
 * see it); the lowest logit at which the classifier alone flags at most 0.5 % of each pooled benign
 * set (NotInject, wildguard, Clean_Benign_Corpus). The issue allows 2 % for rules and classifier
 * together, and the rules already spend up to 1.7 % of it on train.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FEATURE_BITS, forEachFeature, type InjectionModel } from '../src/guardrails/detectors/injection-features.js';
import { available, EVAL_DATA } from '../test/guardrails/eval/datasets.js';
import { INJECTION_SETS } from '../test/guardrails/eval/sets.js';
import { trainingDigest, trainingRows, type TrainingRow } from '../test/guardrails/eval/training.js';

const EPOCHS = 10;
const LEARNING_RATE = 0.5;
const L2 = 1e-6;
const BENIGN_WEIGHT = 3;
const KEEP_WEIGHTS = 50_000;
const FOLDS = 5;
const CLASSIFIER_BENIGN_FPR = 0.005;
const OUT = fileURLToPath(new URL('../src/guardrails/detectors/injection-model.generated.ts', import.meta.url));

export interface Vec {
  idx: Int32Array;
  val: Float64Array;
}

/** the same features and scaling as injectionLogit, as a sparse vector */
export function vectorise(text: string): Vec {
  const counts = new Map<number, number>();
  const n = forEachFeature(text, (i) => counts.set(i, (counts.get(i) ?? 0) + 1));
  const z = n ? 1 / Math.sqrt(n) : 0;
  return { idx: Int32Array.from(counts.keys()), val: Float64Array.from(counts.values(), (c) => c * z) };
}

export interface Quantised {
  bias: number;
  scale: number;
  q: Int8Array;
}

export function fit(rows: Array<{ x: Vec; y: 0 | 1 }>): Quantised {
  const size = 1 << FEATURE_BITS;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size);
  let bias = 0;
  let biasG2 = 0;
  let seed = 20261203;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const r of order.map((i) => rows[i]!)) {
      let z = bias;
      for (let k = 0; k < r.x.idx.length; k++) z += w[r.x.idx[k]!]! * r.x.val[k]!;
      const g = (1 / (1 + Math.exp(-z)) - r.y) * (r.y ? 1 : BENIGN_WEIGHT);
      for (let k = 0; k < r.x.idx.length; k++) {
        const j = r.x.idx[k]!;
        const gj = g * r.x.val[k]! + L2 * w[j]!;
        g2[j]! += gj * gj;
        w[j]! -= (LEARNING_RATE * gj) / Math.sqrt(g2[j]! + 1e-8);
      }
      biasG2 += g * g;
      bias -= (LEARNING_RATE * g) / Math.sqrt(biasG2 + 1e-8);
    }
  }
  // keep the largest weights, int8 with one scale: a ~130 KB asset instead of 2 MB of doubles
  const magnitudes = Float64Array.from(w, Math.abs).sort().reverse();
  const cut = magnitudes[KEEP_WEIGHTS] ?? 0;
  const scale = magnitudes[0]! / 127;
  const q = new Int8Array(size);
  for (let j = 0; j < size; j++) if (Math.abs(w[j]!) > cut) q[j] = Math.round(w[j]! / scale);
  return { bias, scale, q };
}

export const logit = (m: Quantised, x: Vec) => {
  // the same arithmetic as injectionLogit: sum the int8 weights, then scale once
  let sum = 0;
  let n = 0;
  for (let k = 0; k < x.idx.length; k++) {
    sum += m.q[x.idx[k]!]! * x.val[k]!;
    n += x.val[k]!;
  }
  return n === 0 ? m.bias : m.bias + m.scale * sum;
};

export function encode(q: Int8Array): { data: string; weights: number } {
  const bytes: number[] = [];
  let last = -1;
  let weights = 0;
  for (let j = 0; j < q.length; j++) {
    if (q[j] === 0) continue;
    let gap = j - last;
    last = j;
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    bytes.push(gap, q[j]! & 0xff);
    weights++;
  }
  return { data: Buffer.from(bytes).toString('base64'), weights };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function main() {
  if (!available()) throw new Error(`eval data not found at ${EVAL_DATA} (set VOICEGW_EVAL_DATA)`);
  const rows: TrainingRow[] = trainingRows();
  const data = rows.map((r) => ({ x: vectorise(r.text), y: r.label, source: r.source }));
  console.error(`training rows: ${rows.length} (${rows.filter((r) => r.label === 1).length} injections)`);

  const oof = new Float64Array(data.length);
  for (let f = 0; f < FOLDS; f++) {
    const m = fit(data.filter((_, i) => i % FOLDS !== f));
    data.forEach((r, i) => {
      if (i % FOLDS === f) oof[i] = logit(m, r.x);
    });
    console.error(`fold ${f + 1}/${FOLDS}`);
  }

  const benignSets = INJECTION_SETS.filter((s) => s.kind === 'benign' && s.pooled).map((s) => s.name);
  let threshold = -Infinity;
  for (const name of benignSets) {
    const scores = data.flatMap((r, i) => (r.source === name ? [oof[i]!] : [])).sort((a, b) => b - a);
    const allowed = Math.floor(CLASSIFIER_BENIGN_FPR * scores.length);
    threshold = Math.max(threshold, (scores[allowed] ?? -Infinity) + 1e-3);
  }
  threshold = Math.ceil(threshold * 1000) / 1000;

  const report: Record<string, string> = {};
  for (const source of [...new Set(data.map((r) => r.source))]) {
    const idx = data.flatMap((r, i) => (r.source === source ? [i] : []));
    for (const label of [1, 0] as const) {
      const of = idx.filter((i) => data[i]!.y === label);
      if (of.length) report[`${source} ${label ? 'recall' : 'fpr'}`] = `${r3(of.filter((i) => oof[i]! >= threshold).length / of.length)} (${of.filter((i) => oof[i]! >= threshold).length}/${of.length})`;
    }
  }
  console.error(`threshold (logit) ${threshold}; out-of-fold on train, classifier alone:`, report);

  const model = fit(data);
  const { data: b64, weights } = encode(model.q);
  const asset: InjectionModel = {
    version: 1,
    bits: FEATURE_BITS,
    bias: model.bias,
    scale: model.scale,
    threshold,
    weights,
    trainingDigest: trainingDigest(rows),
    trainedOn: `train split (test/guardrails/eval/split.ts) of the public injection sets except ${['Tensor Trust', 'TrustAIRLab regular'].join(' and ')}, plus test/guardrails/corpus/prompt_injection.jsonl`,
    data: b64.match(/.{1,4000}/g) ?? [],
  };
  const chunks = asset.data.map((c) => `    '${c}',`).join('\n');
  writeFileSync(
    OUT,
    `// Generated by \`npm run train:injection\` (scripts/train-injection.ts). Do not edit.
import type { InjectionModel } from './injection-features.js';

export const INJECTION_MODEL: InjectionModel = {
  version: ${asset.version},
  bits: ${asset.bits},
  bias: ${asset.bias},
  scale: ${asset.scale},
  threshold: ${asset.threshold},
  weights: ${asset.weights},
  trainingDigest: '${asset.trainingDigest}',
  trainedOn: '${asset.trainedOn}',
  data: [
${chunks}
  ],
};
`,
  );
  console.error(`wrote ${OUT}: ${weights} weights, ${b64.length} base64 chars`);
}

// run when executed (npm run train:injection), not when a test imports the trainer
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
