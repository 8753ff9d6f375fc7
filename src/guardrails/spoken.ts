/**
 * Spoken-number normaliser. STT transcripts say "four one one one", "double five", "oh" for zero,
 * "forty one", "nineteen eighty five". Runs of such words become digits so the numeric detectors see
 * "4111…"; an offset map takes every normalised character back to the words it came from.
 */

export interface NormalizedText {
  /** the text with spoken number runs replaced by digits */
  text: string;
  /** the replaced runs in order; empty when nothing changed (identity) */
  segments: Segment[];
}

/** one replaced run: where it sits in both texts, and the original span of each digit */
export interface Segment {
  normStart: number;
  normEnd: number;
  origStart: number;
  origEnd: number;
  from: Int32Array;
  to: Int32Array;
}

const UNITS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', nought: '0', one: '1', two: '2', three: '3', four: '4', five: '5',
  six: '6', seven: '7', eight: '8', nine: '9',
};
const TEENS: Record<string, string> = {
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16',
  seventeen: '17', eighteen: '18', nineteen: '19',
  tenth: '10', eleventh: '11', twelfth: '12', thirteenth: '13', fourteenth: '14', fifteenth: '15',
  sixteenth: '16', seventeenth: '17', eighteenth: '18', nineteenth: '19', twentieth: '20', thirtieth: '30',
};
const TENS: Record<string, string> = {
  twenty: '2', thirty: '3', forty: '4', fourty: '4', fifty: '5', sixty: '6', seventy: '7', eighty: '8', ninety: '9',
};
/** ordinals only count after a tens word ("twenty third"); alone, "second" is usually time */
const ORDINAL_UNITS: Record<string, string> = {
  first: '1', second: '2', third: '3', fourth: '4', fifth: '5', sixth: '6', seventh: '7', eighth: '8', ninth: '9',
};

/** every word that can be part of a spoken number */
export const NUMBER_WORDS: ReadonlySet<string> = new Set([
  ...Object.keys(UNITS), ...Object.keys(TEENS), ...Object.keys(TENS), ...Object.keys(ORDINAL_UNITS), 'hundred', 'double', 'triple',
]);

const WORD_ALTERNATION = [...NUMBER_WORDS].sort((a, b) => b.length - a.length).join('|');

const TOKEN = `(?:${WORD_ALTERNATION}|\\d+)`;
const TOKEN_RE = new RegExp(`\\b(?:plus|${TOKEN})\\b`, 'g');
/** number words only: a literal alternation, which V8 scans fast */
const NUMBER_WORD_RE = new RegExp(`\\b(?:${WORD_ALTERNATION})\\b`, 'g');
/** what may sit between two tokens of one run: separators, "dash", or written digit groups */
const GAP_RE = /^(?:[ \t]*[,-]?[ \t]*|[ \t]+(?:dash|hyphen)[ \t]+)$/;
/**
 * Digit groups joined by separators (blanks with at most one ',' or '-'). Written as
 * `(?:\d+[ \t]*[,-]?[ \t]*)+$` these backtracked exponentially: every split of a long digit run was
 * retried before `$` failed (22 digits: ~200 ms). A separator here is never empty, so each
 * string has exactly one parse.
 */
const SEP = '(?:[ \\t]+(?:[,-][ \\t]*)?|[,-][ \\t]*)';
const DIGIT_GROUPS = `\\d(?:\\d|${SEP}\\d)*`;
const DIGITS_GAP_RE = new RegExp(`^${SEP}?${DIGIT_GROUPS}${SEP}?$`);
const DIGITS_BEFORE_RE = new RegExp(`${DIGIT_GROUPS}${SEP}?$`);
const DIGITS_AFTER_RE = /^(?:[ \t]*[,-]?[ \t]*\d+)+/;
const PLUS_BEFORE_RE = /plus[ \t]+$/;
const MAX_GAP = 24;

interface Token {
  word: string;
  start: number;
  end: number;
}

interface Replacement {
  start: number;
  end: number;
  digits: string;
  /** per output character: the original span it came from */
  from: Int32Array;
  to: Int32Array;
}

const IDENTITY: Segment[] = [];

/**
 * `lower` is text.toLowerCase() (same length) when the caller already has it, `numberWords` the
 * number words already found by the shared lexicon pass.
 */
export function normalizeSpoken(text: string, lower: string = text.toLowerCase(), numberWords?: ReadonlyArray<{ start: number; end: number }>): NormalizedText {
  const replacements: Replacement[] = [];
  let runStart = -1;
  let runEnd = -1;
  let tokens = 0;
  for (const { start, end } of numberWords ?? findNumberWords(lower)) {
    if (runStart >= 0 && start - runEnd <= MAX_GAP) {
      const gap = lower.slice(runEnd, start);
      if (GAP_RE.test(gap) || DIGITS_GAP_RE.test(gap)) {
        runEnd = end;
        tokens += 1 + (gap.match(/\d+/g)?.length ?? 0);
        continue;
      }
    }
    if (runStart >= 0) closeRun(lower, runStart, runEnd, tokens, replacements);
    runStart = start;
    runEnd = end;
    tokens = 1;
  }
  if (runStart >= 0) closeRun(lower, runStart, runEnd, tokens, replacements);
  if (replacements.length === 0) return { text, segments: IDENTITY };
  return applyReplacements(text, replacements);
}

/** is there a digit within a few separator characters from `i`, walking in direction `step`? */
function digitNear(lower: string, i: number, step: 1 | -1): boolean {
  for (let k = 0; k < 4 && i >= 0 && i < lower.length; k++, i += step) {
    const c = lower.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c !== 32 && c !== 44 && c !== 45 && c !== 9) return false;
  }
  return false;
}

function findNumberWords(lower: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  NUMBER_WORD_RE.lastIndex = 0;
  for (let m = NUMBER_WORD_RE.exec(lower); m; m = NUMBER_WORD_RE.exec(lower)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** widen a run of number words over written digits ("415 five five five") and a leading "plus" */
function closeRun(lower: string, start: number, end: number, tokens: number, out: Replacement[]): void {
  // a lone number word ("one of", "two minutes") with no digit next to it is prose: the common case
  if (tokens === 1 && !digitNear(lower, start - 1, -1) && !digitNear(lower, end, 1) && !lower.startsWith('plus', start - 5)) return;
  const before = DIGITS_BEFORE_RE.exec(lower.slice(Math.max(0, start - MAX_GAP), start));
  if (before && (start - before[0].length === 0 || !/\w/.test(lower[start - before[0].length - 1]!))) {
    start -= before[0].length;
    tokens++;
  }
  if (PLUS_BEFORE_RE.test(lower.slice(Math.max(0, start - 8), start))) start = lower.lastIndexOf('plus', start);
  const after = DIGITS_AFTER_RE.exec(lower.slice(end, end + MAX_GAP));
  if (after && !/\w/.test(lower[end + after[0].length] ?? ' ')) {
    end += after[0].length;
    tokens++;
  }
  if (tokens >= 2) collectRun(lower, start, end, out);
}

/** Map a [start, end) span of the normalised text back to the original text. */
export function toOriginalSpan(n: NormalizedText, start: number, end: number): [number, number] {
  if (n.segments.length === 0) return [start, end];
  return [originalStart(n.segments, start), originalEnd(n.segments, Math.max(start, end - 1))];
}

/** An offset of the original text in the normalised text (offsets inside a replaced run map to its start). */
export function toNormalizedPos(n: NormalizedText, pos: number): number {
  let shift = 0;
  for (const s of n.segments) {
    if (s.origEnd <= pos) shift += s.normEnd - s.normStart - (s.origEnd - s.origStart);
    else if (s.origStart < pos) return s.normStart;
    else break;
  }
  return pos + shift;
}

/** the last segment starting at or before `pos` (binary search), or -1 */
function segmentAt(segments: Segment[], pos: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.normStart <= pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function originalStart(segments: Segment[], pos: number): number {
  const i = segmentAt(segments, pos);
  if (i < 0) return pos;
  const s = segments[i]!;
  return pos < s.normEnd ? s.from[pos - s.normStart]! : pos - s.normEnd + s.origEnd;
}

/** original end of the normalised character at `pos` */
function originalEnd(segments: Segment[], pos: number): number {
  const i = segmentAt(segments, pos);
  if (i < 0) return pos + 1;
  const s = segments[i]!;
  return pos < s.normEnd ? s.to[pos - s.normStart]! : pos - s.normEnd + s.origEnd + 1;
}

function collectRun(text: string, runStart: number, runEnd: number, out: Replacement[]): void {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = runStart;
  for (let m = TOKEN_RE.exec(text); m && m.index < runEnd; m = TOKEN_RE.exec(text)) {
    tokens.push({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  // split into groups of spoken words between literal digit tokens
  let i = 0;
  while (i < tokens.length) {
    if (isLiteral(tokens[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < tokens.length && !isLiteral(tokens[j]!)) j++;
    const group = tokens.slice(i, j);
    // a lone word ("one of", "oh") is prose unless it sits between written digits
    const between = i > 0 && j < tokens.length;
    if (group.length >= 2 || between) {
      const r = convertGroup(group);
      if (r) out.push(r);
    }
    i = j;
  }
}

function isNumberWord(word: string): boolean {
  return UNITS[word] !== undefined || TEENS[word] !== undefined || TENS[word] !== undefined || word === 'double' || word === 'triple';
}

function isLiteral(t: Token): boolean {
  const c = t.word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Turn spoken number words into digits, remembering which word produced each digit. */
function convertGroup(group: Token[]): Replacement | null {
  let digits = '';
  const from: number[] = [];
  const to: number[] = [];
  const emit = (s: string, a: Token, b: Token = a) => {
    digits += s;
    for (let k = 0; k < s.length; k++) {
      from.push(a.start);
      to.push(b.end);
    }
  };
  for (let i = 0; i < group.length; i++) {
    const t = group[i]!;
    const next = group[i + 1];
    const w = t.word;
    if (w === 'plus') {
      if (digits === '') emit('+', t);
    } else if (UNITS[w] !== undefined) {
      emit(UNITS[w]!, t);
    } else if (TEENS[w] !== undefined) {
      emit(TEENS[w]!, t);
    } else if (TENS[w] !== undefined) {
      const unit = next && (ORDINAL_UNITS[next.word] ?? (next.word !== 'zero' && next.word !== 'oh' && next.word !== 'o' ? UNITS[next.word] : undefined));
      if (unit !== undefined) {
        emit(TENS[w]! + unit, t, next!);
        i++;
      } else emit(TENS[w]! + '0', t);
    } else if (w === 'double' || w === 'triple') {
      const unit = next ? UNITS[next.word] : undefined;
      if (unit !== undefined) {
        emit(unit.repeat(w === 'double' ? 2 : 3), t, next!);
        i++;
      }
    } else if (w === 'hundred') {
      if (digits === '' || digits.endsWith('+')) emit('1', t);
      const afterNext = group[i + 2];
      if (next && TENS[next.word] !== undefined) continue; // "five hundred twenty" → 5, then 20
      if (next && TEENS[next.word] !== undefined) {
        emit(TEENS[next.word]!, t, next);
        i++;
      } else if (next && UNITS[next.word] !== undefined && !(afterNext && isNumberWord(afterNext.word))) {
        emit('0' + UNITS[next.word]!, t, next); // "five hundred five" → 505
        i++;
      } else emit('00', t); // "one eight hundred five five five" → 1800555
    } else if (ORDINAL_UNITS[w] !== undefined && w !== 'first' && w !== 'second') {
      emit(ORDINAL_UNITS[w]!, t);
    }
  }
  if (digits.replace('+', '').length === 0) return null;
  return {
    start: group[0]!.start,
    end: group[group.length - 1]!.end,
    digits,
    from: Int32Array.from(from),
    to: Int32Array.from(to),
  };
}

function applyReplacements(text: string, reps: Replacement[]): NormalizedText {
  const pieces: string[] = [];
  const segments: Segment[] = [];
  let cursor = 0;
  let normPos = 0;
  for (const r of reps) {
    pieces.push(text.slice(cursor, r.start), r.digits);
    normPos += r.start - cursor;
    segments.push({ normStart: normPos, normEnd: normPos + r.digits.length, origStart: r.start, origEnd: r.end, from: r.from, to: r.to });
    normPos += r.digits.length;
    cursor = r.end;
  }
  pieces.push(text.slice(cursor));
  return { text: pieces.join(''), segments };
}
