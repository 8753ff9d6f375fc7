/**
 * The features of the optional prompt-injection classifier (injection-classifier.ts), shared with
 * its training script (scripts/train-injection.ts) so both hash text the same way:
 *
 *   - every word (a run of ASCII letters / digits or non-ASCII characters) and every pair of
 *     adjacent words within a sentence;
 *   - the character 3-, 4- and 5-grams of each word padded with a space on both sides, which
 *     carry inflections and spelling variants ("ignoring", "jailbroken", "DAN's").
 *
 * Each feature is an FNV-1a hash folded to FEATURE_BITS bits. No substring is allocated: hashes are
 * computed from char codes as the text is walked once.
 */

export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;
const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** longer "words" (base64 blobs, URLs) get word features but char n-grams of their start only */
const MAX_GRAM_WORD = 40;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const isWordChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c > 127 && c !== 0x2019 && c !== 0x2018 && c !== 0x201c && c !== 0x201d && c !== 0xa0);
/** . ! ? and newline end a sentence: no word pair across them */
const isSentenceEnd = (c: number) => c === 46 || c === 33 || c === 63 || c === 10;
const lowerCode = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** a word of up to MAX_GRAM_WORD chars with its padding spaces */
const word = new Uint16Array(MAX_GRAM_WORD + 2);

/**
 * Calls `visit(index)` once per feature occurrence (a repeated word visits its index again) and
 * returns how many occurrences there were. The text may be in any case.
 */
export function forEachFeature(text: string, visit: (index: number) => void): number {
  let count = 0;
  let h = FNV_OFFSET;
  let prev = 0;
  let hasPrev = false;
  let len = 0;
  let inWord = false;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      const lc = c > 127 ? String.fromCharCode(c).toLowerCase().charCodeAt(0) : lowerCode(c);
      if (!inWord) {
        inWord = true;
        h = FNV_OFFSET;
        len = 0;
        word[0] = 32;
      }
      h = Math.imul(h ^ lc, FNV_PRIME);
      if (len < MAX_GRAM_WORD) word[++len] = lc;
      continue;
    }
    if (inWord) {
      inWord = false;
      visit(h & MASK);
      count++;
      if (hasPrev) {
        visit((Math.imul(prev ^ 0x9e3779b9, 0x85ebca6b) ^ h) & MASK);
        count++;
      }
      prev = h;
      hasPrev = true;
      word[len + 1] = 32;
      // the 3-, 4- and 5-grams starting at j share their prefix: one running hash, finalised per length
      const padded = len + 2;
      for (let j = 0; j + MIN_GRAM <= padded; j++) {
        let g = FNV_OFFSET;
        const last = Math.min(MAX_GRAM, padded - j);
        for (let t = 0; t < last; t++) {
          g = Math.imul(g ^ word[j + t]!, FNV_PRIME);
          if (t + 1 >= MIN_GRAM) {
            visit(Math.imul(g ^ (t + 1), 0x85ebca6b) & MASK);
            count++;
          }
        }
      }
    }
    if (isSentenceEnd(c)) hasPrev = false;
  }
  return count;
}

/** the shipped weights (injection-model.generated.ts, written by scripts/train-injection.ts) */
export interface InjectionModel {
  version: number;
  bits: number;
  bias: number;
  /** weight = int8 × scale */
  scale: number;
  /** decision threshold on the logit, chosen on train (see the training script) */
  threshold: number;
  weights: number;
  trainingDigest: string;
  trainedOn: string;
  data: readonly string[];
}
