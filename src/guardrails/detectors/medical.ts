import type { ScanContext } from '../context.js';
import { CUES, DOSAGE_UNITS, MEDICAL_KIND_OF, POSSESSIVE_CUES, type MedicalKind } from './medical-lexicon.js';

/**
 * medical: conditions, medications, procedures and health-record context. One pass of a compiled
 * alternation finds lexicon terms; a term counts only with a context word a few words around it
 * ("I have asthma", "taking metformin 500 mg"), while record phrases ("my medical records",
 * "diagnosed with") count alone.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
type Kind = MedicalKind;
const DOSAGE_BEFORE_RE = /\b\d+(?:\.\d+)?[ ]?$/;
/** the terms on their own, for callers without a compiled policy lexicon */
const TERM_RE = new RegExp(`\\b(?:${[...MEDICAL_KIND_OF.keys(), ...DOSAGE_UNITS].sort((a, b) => b.length - a.length).map(escape).join('|')})(?:s|es)?\\b`, 'g');
const cueRe = (cues: string[]) => new RegExp(`\\b(?:${[...new Set(cues)].sort((a, b) => b.length - a.length).map(escape).join('|')})\\b`);
const CUE_RE = cueRe(CUES);
/** after a term, possessives belong to the next phrase ("I'm a Cancer, my birthday …") */
const CUE_AFTER_RE = cueRe(CUES.filter((c) => !POSSESSIVE_CUES.has(c)));
const CUE_BEFORE = 40;
const CUE_AFTER = 30;
/** how far after a term its sentence's "?" may be */
const QUESTION_REACH = 160;
/** "I'm diabetic", "she is pregnant": a state verb right before the term, with no article between */
const STATE_BEFORE_RE = /\b(?:i'm|i am|i've been|she's|she is|he's|he is|they're|they are|we're|is|was|been|became|got|getting)[ ]+(?:(?:very|currently|still|now|also|recently|newly|just)[ ]+)?$/;
/** two lexicon terms this close are context for each other ("on chemo for lymphoma") */
const PAIR_DISTANCE = 40;
/** "stroke of luck", "fever pitch", "cancer season" */
const FALSE_FRIEND_AFTER = /^[ ](?:of luck|of genius|of midnight|pitch|season|sign|free)\b/;

function kindOf(term: string): Kind | undefined {
  return MEDICAL_KIND_OF.get(term) ?? MEDICAL_KIND_OF.get(term.slice(0, -1)) ?? MEDICAL_KIND_OF.get(term.slice(0, -2));
}

const UNITS = new Set(DOSAGE_UNITS);

function termHits(ctx: ScanContext): Array<{ start: number; end: number; word: string }> {
  if (ctx.policy.lexicon?.has.medical) return ctx.lexicon.medical;
  const out: Array<{ start: number; end: number; word: string }> = [];
  TERM_RE.lastIndex = 0;
  for (let m = TERM_RE.exec(ctx.lower); m; m = TERM_RE.exec(ctx.lower)) out.push({ start: m.index, end: m.index + m[0].length, word: m[0] });
  return out;
}

/** the sentence holding a term ends with "?" ("Does high cholesterol run in families?") */
function inQuestion(lower: string, from: number): boolean {
  const stop = Math.min(lower.length, from + QUESTION_REACH);
  for (let i = from; i < stop; i++) {
    const c = lower.charCodeAt(i);
    if (c === 63) return true; // ?
    if (c === 46 || c === 33 || c === 10) {
      // a full stop inside a number or an abbreviation ("0.5", "e.g.") does not end the sentence
      if (c === 46 && i + 1 < lower.length && lower.charCodeAt(i + 1) !== 32 && lower.charCodeAt(i + 1) !== 10) continue;
      return false;
    }
  }
  return false;
}

export function detectMedical(ctx: ScanContext): void {
  const lower = ctx.lower;
  let unpaired: Array<{ start: number; end: number; detector: Kind }> | null = null;
  let lastTermEnd = -Infinity;
  let lastAccepted = false;
  let lastAnatomy = false;
  let coveredTo = 0;
  for (const hit of termHits(ctx)) {
    // a term inside a longer one already seen ("blood pressure" in "high blood pressure")
    if (hit.start < coveredTo) continue;
    let start = hit.start;
    const end = hit.end;
    let detector = kindOf(lower.slice(start, end));
    if (UNITS.has(hit.word) || UNITS.has(lower.slice(start, end))) {
      // "500 mg": a unit is a medication mention only with its number
      const number = DOSAGE_BEFORE_RE.exec(lower.slice(Math.max(0, start - 12), start));
      if (!number) continue;
      start -= number[0].length;
      detector = 'medical.medication';
    }
    if (!detector) continue;
    coveredTo = end;
    if (detector === 'medical.record') {
      ctx.add('medical', detector, start, end, '[MEDICAL]', 0.9);
      lastTermEnd = end;
      lastAccepted = true;
      lastAnatomy = false;
      continue;
    }
    if (FALSE_FRIEND_AFTER.test(lower.slice(end, end + 16))) continue;
    // a body part is evidence only beside another term, and two body parts are none ("head and shoulders")
    const anatomy = detector === 'medical.anatomy';
    const nearPrevious = start - lastTermEnd <= PAIR_DISTANCE && !(anatomy && lastAnatomy);
    let cue = false;
    if (!anatomy && !nearPrevious) {
      const before = lower.slice(Math.max(0, start - CUE_BEFORE), start);
      cue = CUE_RE.test(before) || CUE_AFTER_RE.test(lower.slice(end, end + CUE_AFTER)) || STATE_BEFORE_RE.test(before) || inQuestion(lower, end);
    }
    const reported: Kind = anatomy ? 'medical.condition' : detector;
    if (cue || nearPrevious) {
      ctx.add('medical', reported, start, end, '[MEDICAL]', 0.8);
      // the previous term had no cue of its own: this one is its context
      if (nearPrevious && !lastAccepted && unpaired?.length) {
        const prev = unpaired.pop()!;
        ctx.add('medical', prev.detector, prev.start, prev.end, '[MEDICAL]', 0.7);
      }
      lastAccepted = true;
    } else {
      (unpaired ??= []).push({ start, end, detector: reported });
      lastAccepted = false;
    }
    lastTermEnd = end;
    lastAnatomy = anatomy;
  }
}
