import { INJECTION_PATTERNS, isWordHead } from './detectors/injection-patterns.js';
import { DOSAGE_UNITS, MEDICAL_KIND_OF } from './detectors/medical-lexicon.js';
import { PII_CUES } from './detectors/pii-cues.js';
import { NUMBER_WORDS } from './spoken.js';
import type { GuardrailCategory } from './types.js';

/**
 * The shared lexicon pass. Every full pass over a 4 KB text costs a few microseconds, so the word
 * lists of all enabled detectors (spoken number words, pii cue words, medical terms, injection head
 * words) are compiled per policy into ONE literal alternation and found in one pass; each hit is
 * handed to the detectors whose list holds the word.
 */

const LexiconKind = { Number: 1, Pii: 2, Medical: 4, Injection: 8 } as const;
type LexiconKind = (typeof LexiconKind)[keyof typeof LexiconKind];

export interface LexiconHit {
  start: number;
  end: number;
  word: string;
}

export interface CompiledLexicon {
  re: RegExp;
  kinds: Map<string, number>;
  /** which word lists it holds (a detector whose list is missing finds its words itself) */
  has: { number: boolean; pii: boolean; medical: boolean; injection: boolean };
}

export interface LexiconHits {
  number: LexiconHit[];
  pii: LexiconHit[];
  medical: LexiconHit[];
  injection: LexiconHit[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileLexicon(categories: readonly GuardrailCategory[]): CompiledLexicon | null {
  const kinds = new Map<string, number>();
  const add = (words: Iterable<string>, kind: LexiconKind) => {
    for (const w of words) kinds.set(w, (kinds.get(w) ?? 0) | kind);
  };
  const has = {
    number: categories.includes('pii') || categories.includes('financial'),
    pii: categories.includes('pii'),
    medical: categories.includes('medical'),
    injection: categories.includes('prompt_injection'),
  };
  if (has.number) add(NUMBER_WORDS, LexiconKind.Number);
  if (has.pii) add(PII_CUES.keys(), LexiconKind.Pii);
  if (has.medical) add([...MEDICAL_KIND_OF.keys(), ...DOSAGE_UNITS], LexiconKind.Medical);
  if (has.injection) add(INJECTION_PATTERNS.flatMap((p) => p.heads.filter(isWordHead)), LexiconKind.Injection);
  if (kinds.size === 0) return null;
  // longest first, no capture groups: V8 compiles a literal alternation into a fast matcher
  const alternation = [...kinds.keys()].sort((a, b) => b.length - a.length).map(escape).join('|');
  return { re: new RegExp(`\\b(?:${alternation})(?:s|es)?\\b`, 'g'), kinds, has };
}

/** the kinds of a matched word, allowing a plural "s" / "es" */
function kindsOf(lex: CompiledLexicon, word: string): [string, number] | null {
  let k = lex.kinds.get(word);
  if (k !== undefined) return [word, k];
  for (const cut of [1, 2]) {
    const base = word.slice(0, -cut);
    k = lex.kinds.get(base);
    if (k !== undefined) return [base, k];
  }
  return null;
}

/**
 * One pass over the lower-cased text. After a multi-word match ("birth control") scanning resumes
 * after its first word, and the first word is looked up on its own too, so a shorter word of
 * another list ("birth", a pii cue) is never hidden by a longer one.
 */
export function findLexiconHits(lex: CompiledLexicon, lower: string): LexiconHits {
  const hits: LexiconHits = { number: [], pii: [], medical: [], injection: [] };
  const re = lex.re;
  re.lastIndex = 0;
  for (let m = re.exec(lower); m; m = re.exec(lower)) {
    const start = m.index;
    const text = m[0];
    const space = text.indexOf(' ');
    record(hits, kindsOf(lex, text), start, text.length, true);
    if (space > 0) {
      const first = text.slice(0, space);
      const alone = kindsOf(lex, first);
      if (alone && alone[0] !== text) record(hits, alone, start, first.length, false);
      re.lastIndex = start + space;
    }
  }
  return hits;
}

function record(hits: LexiconHits, found: [string, number] | null, start: number, length: number, whole: boolean): void {
  if (!found) return;
  const [word, kind] = found;
  const hit = { start, end: start + (whole ? length : word.length), word };
  if (kind & LexiconKind.Number) hits.number.push(hit);
  if (kind & LexiconKind.Pii) hits.pii.push(hit);
  if (kind & LexiconKind.Medical && whole) hits.medical.push({ ...hit, end: start + length });
  if (kind & LexiconKind.Injection) hits.injection.push(hit);
}
