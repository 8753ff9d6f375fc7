import { FEATURE_BITS, forEachFeature, type InjectionModel } from './injection-features.js';
import { INJECTION_MODEL } from './injection-model.generated.js';

/**
 * The optional prompt-injection classifier (`prompt_injection: { action, classifier: true }`): a
 * logistic regression over hashed word, word-pair and character n-gram features
 * (injection-features.ts), trained by `npm run train:injection` on the train split of the public
 * eval data and our corpus. Its weights ship inside this package as a generated module
 * (injection-model.generated.ts), so nothing is downloaded and it runs in-process on the CPU.
 *
 * It complements the patterns: role-play set-ups and task hijacks spread their evidence over many
 * ordinary words that no single pattern can weigh. Off by default; the rules still run first and
 * the classifier only looks at texts they did not flag.
 */

export type { InjectionModel };

let dense: Int8Array | null = null;

/**
 * The weights as a dense table indexed by feature (2^bits bytes, built on first use). The asset is
 * base64 of (LEB128 gap to the previous index, int8 weight) pairs in index order.
 */
export function modelWeights(model: InjectionModel = INJECTION_MODEL): Int8Array {
  if (model === INJECTION_MODEL && dense) return dense;
  if (model.bits !== FEATURE_BITS) throw new Error(`injection model has ${model.bits}-bit features, this build hashes ${FEATURE_BITS}`);
  const bytes = Buffer.from(model.data.join(''), 'base64');
  const table = new Int8Array(1 << model.bits);
  let index = -1;
  let p = 0;
  let n = 0;
  while (p < bytes.length) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      gap |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    index += gap;
    table[index] = (bytes[p++]! << 24) >> 24;
    n++;
  }
  if (n !== model.weights || index >= table.length) throw new Error(`injection model asset is corrupt: ${n} weights decoded, ${model.weights} expected`);
  if (model === INJECTION_MODEL) dense = table;
  return table;
}

/** the classifier's logit for a text (higher = more like an injection) */
export function injectionLogit(text: string, model: InjectionModel = INJECTION_MODEL): number {
  const w = modelWeights(model);
  let sum = 0;
  const count = forEachFeature(text, (i) => {
    sum += w[i]!;
  });
  return count === 0 ? model.bias : model.bias + (model.scale * sum) / Math.sqrt(count);
}

/** the probability the classifier gives a text, 0..1 */
export const injectionProbability = (text: string, model: InjectionModel = INJECTION_MODEL) => 1 / (1 + Math.exp(-injectionLogit(text, model)));

/** true when the classifier alone flags the text (at the threshold chosen on train) */
export const classifierFlags = (text: string, model: InjectionModel = INJECTION_MODEL) => injectionLogit(text, model) >= model.threshold;

export const INJECTION_CLASSIFIER = {
  threshold: INJECTION_MODEL.threshold,
  weights: INJECTION_MODEL.weights,
  trainedOn: INJECTION_MODEL.trainedOn,
  trainingDigest: INJECTION_MODEL.trainingDigest,
};
