import { findLexiconHits, type LexiconHits } from './lexicon.js';
import { normalizeSpoken, toNormalizedPos, toOriginalSpan, type NormalizedText } from './spoken.js';
import type { CompiledPolicy } from './policy.js';
import type { Finding, GuardrailCategory } from './types.js';

/**
 * One text being scanned. Derived views (lower case, spoken-number normalised text, numeric
 * candidates) are computed at most once and only when a detector asks for them.
 */
export class ScanContext {
  readonly findings: Finding[] = [];
  #lower: string | undefined;
  #norm: NormalizedText | undefined;
  #normLower: string | undefined;
  #lexicon: LexiconHits | undefined;
  #cache = new Map<string, unknown>();

  constructor(
    readonly text: string,
    readonly policy: CompiledPolicy,
  ) {}

  /** lower-cased text with the same length (offsets stay valid) */
  get lower(): string {
    return (this.#lower ??= sameLengthLower(this.text));
  }

  /** words of every enabled detector's list, found in one pass (offsets in the original text) */
  get lexicon(): LexiconHits {
    if (!this.#lexicon) {
      const lex = this.policy.lexicon;
      this.#lexicon = lex ? findLexiconHits(lex, this.lower) : { number: [], pii: [], medical: [], injection: [] };
    }
    return this.#lexicon;
  }

  /** spoken numbers ("four one one …") as digits, with a map back to the original offsets */
  get norm(): NormalizedText {
    return (this.#norm ??= normalizeSpoken(this.text, this.lower, this.policy.lexicon?.has.number ? this.lexicon.number : undefined));
  }

  /** an offset of the original text in the normalised text (for words outside spoken numbers) */
  toNorm(pos: number): number {
    return toNormalizedPos(this.norm, pos);
  }

  get normLower(): string {
    if (this.#normLower === undefined) {
      const n = this.norm;
      this.#normLower = n.segments.length > 0 ? sameLengthLower(n.text) : this.lower;
    }
    return this.#normLower;
  }

  /** memo for values several detectors share (e.g. the numeric candidates) */
  memo<T>(key: string, make: () => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const v = make();
    this.#cache.set(key, v);
    return v;
  }

  add(category: GuardrailCategory, detector: string, start: number, end: number, placeholder: string, score: number): void {
    if (end <= start) return;
    this.findings.push({ category, detector, start, end, placeholder, score });
  }

  /** add a finding whose offsets are in the normalised text */
  addNorm(category: GuardrailCategory, detector: string, start: number, end: number, placeholder: string, score: number): void {
    const [s, e] = toOriginalSpan(this.norm, start, end);
    this.add(category, detector, s, e, placeholder, score);
  }
}

/** toLowerCase, except characters whose lower case changes length ('İ') are kept as they are */
export function sameLengthLower(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}
