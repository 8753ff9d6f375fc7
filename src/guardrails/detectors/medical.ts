import type { ScanContext } from '../context.js';
import { CONDITIONS, CUES, MEDICATIONS, POSSESSIVE_CUES, PROCEDURES, RECORD_PHRASES } from './medical-lexicon.js';

/**
 * medical: conditions, medications, procedures and health-record context. One pass of a compiled
 * alternation finds lexicon terms; a term counts only with a context word a few words around it
 * ("I have asthma", "taking metformin 500 mg"), while record phrases ("my medical records",
 * "diagnosed with") count alone.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Kind = 'medical.record' | 'medical.condition' | 'medical.medication' | 'medical.procedure';
/** term → kind; record phrases win over the other lists when a term is in several */
const KIND_OF = new Map<string, Kind>();
for (const [terms, kind] of [
  [PROCEDURES, 'medical.procedure'],
  [MEDICATIONS, 'medical.medication'],
  [CONDITIONS, 'medical.condition'],
  [RECORD_PHRASES, 'medical.record'],
] as const) {
  for (const t of terms) KIND_OF.set(t, kind);
}

const DOSAGE_RE_SOURCE = '\\d+(?:\\.\\d+)?[ ]?(?:mg|mcg|milligrams?|micrograms?|ml|units of insulin)';
const DOSAGE_RE = new RegExp(`^${DOSAGE_RE_SOURCE}$`);
/**
 * One alternation of literal terms, longest first, without capture groups: V8 compiles that into
 * a fast matcher (captures or optional separators inside it make it several times slower).
 */
const TERM_RE = new RegExp(
  `\\b(?:${[...KIND_OF.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')}|${DOSAGE_RE_SOURCE})(?:s|es)?\\b`,
  'g',
);
const cueRe = (cues: string[]) => new RegExp(`\\b(?:${[...new Set(cues)].sort((a, b) => b.length - a.length).map(escape).join('|')})\\b`);
const CUE_RE = cueRe(CUES);
/** after a term, possessives belong to the next phrase ("I'm a Cancer, my birthday …") */
const CUE_AFTER_RE = cueRe(CUES.filter((c) => !POSSESSIVE_CUES.has(c)));
const CUE_BEFORE = 40;
const CUE_AFTER = 30;
/** "I'm diabetic", "she is pregnant": a state verb right before the term, with no article between */
const STATE_BEFORE_RE = /\b(?:i'm|i am|i've been|she's|she is|he's|he is|they're|they are|we're|is|was|been|became|got|getting)[ ]+(?:(?:very|currently|still|now|also|recently|newly|just)[ ]+)?$/;
/** two lexicon terms this close are context for each other ("on chemo for lymphoma") */
const PAIR_DISTANCE = 40;
/** "stroke of luck", "fever pitch", "cancer season" */
const FALSE_FRIEND_AFTER = /^[ ](?:of luck|of genius|of midnight|pitch|season|sign|free)\b/;

function kindOf(term: string): Kind | undefined {
  return KIND_OF.get(term) ?? KIND_OF.get(term.slice(0, -1)) ?? KIND_OF.get(term.slice(0, -2)) ?? (DOSAGE_RE.test(term) ? 'medical.medication' : undefined);
}

export function detectMedical(ctx: ScanContext): void {
  const lower = ctx.lower;
  let unpaired: Array<{ start: number; end: number; detector: Kind }> | null = null;
  let lastTermEnd = -Infinity;
  let lastAccepted = false;
  TERM_RE.lastIndex = 0;
  for (let m = TERM_RE.exec(lower); m; m = TERM_RE.exec(lower)) {
    const start = m.index;
    const end = start + m[0].length;
    const detector = kindOf(m[0]);
    if (!detector) continue;
    if (detector === 'medical.record') {
      ctx.add('medical', detector, start, end, '[MEDICAL]', 0.9);
      lastTermEnd = end;
      lastAccepted = true;
      continue;
    }
    if (FALSE_FRIEND_AFTER.test(lower.slice(end, end + 16))) continue;
    const before = lower.slice(Math.max(0, start - CUE_BEFORE), start);
    const after = lower.slice(end, end + CUE_AFTER);
    const nearPrevious = start - lastTermEnd <= PAIR_DISTANCE;
    if (CUE_RE.test(before) || CUE_AFTER_RE.test(after) || STATE_BEFORE_RE.test(before) || nearPrevious) {
      ctx.add('medical', detector, start, end, '[MEDICAL]', 0.8);
      // the previous term had no cue of its own: this one is its context
      if (nearPrevious && !lastAccepted && unpaired?.length) {
        const prev = unpaired.pop()!;
        ctx.add('medical', prev.detector, prev.start, prev.end, '[MEDICAL]', 0.7);
      }
      lastAccepted = true;
    } else {
      (unpaired ??= []).push({ start, end, detector });
      lastAccepted = false;
    }
    lastTermEnd = end;
  }
}
