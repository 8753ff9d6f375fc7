import type { ScanContext } from '../context.js';
import { shortNumberRuns } from './numbers.js';
import { PII_CUES } from './pii-cues.js';
import { hasDigit, isAsciiLetter } from './chars.js';

/**
 * Word-shaped pii: street addresses, dates of birth written with a month name, and names after an
 * explicit cue. The shared lexicon pass finds every cue word; each cue then checks its own
 * neighbourhood in the spoken-number normalised text. House-number-last addresses ("Hauptstraße 5")
 * start from the short numbers the numeric pass already found.
 */

/** function words never appear inside a street name: "5 blocks down the road" is not an address */
export const NOT_IN_ADDRESS = new Set(
  'a an the at on in of to and or for from with by my your our his her their is are was were be i we you he she it they this that than per about over into up down more less very just only also'.split(' '),
);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** the cue words on their own, for callers without a compiled policy lexicon */
const CUE_RE = new RegExp(`\\b(?:${[...PII_CUES.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})\\b`, 'g');

const LETTERS = "A-Za-zÀ-ÖØ-öø-ÿ'-";
const UNIT = '(?:,?[ ]+(?:apt|apartment|suite|ste|unit|floor|fl|#)\\.?[ ]*#?[a-z0-9-]{1,6}\\b)?';
const HOUSE_NUMBER_BEFORE_RE = /\b\d{1,6}[a-z]?((?:[ ]+[a-z][a-z'.-]*){1,4})[ ]+$/i;
const AFTER_SUFFIX_RE = new RegExp(`^\\.?(?:[ ]+(?:n|s|e|w|ne|nw|se|sw)\\b\\.?)?${UNIT}`, 'i');
const NUMBER_BEFORE_FRENCH_RE = /\b\d{1,4}(?:bis|ter)?,?[ ]+$/;
const AFTER_FRENCH_RE = new RegExp(`^[ ]+(?:(?:de|du|des|la|le|l'|d')[ ]*){0,2}[A-Z][${LETTERS}]+`);
const NAME_FIRST_RE = new RegExp(`[A-Z][a-z]+[ ]+(?:(?:de|del|della|di|da|do|dos|la)[ ]+)?[A-Z][${LETTERS}]+(?:[ ]+[A-Z][${LETTERS}]+)?,?[ ]+\\d{1,4}\\b`, 'y');
const PO_BEFORE_RE = /\bp\.?[ ]?o\.?[ ]+$/;
const BOX_NUMBER_RE = /^[ ]+\d{1,6}\b/;
/** "Hauptstraße 5", "Koskikatu 25", "Kungsgatan 12" */
const SUFFIX_WORD_RE = /(?:straße|strasse|str\.|weg|platz|gasse|allee|damm|katu|tie|gatan|vägen|vej|gade|straat|laan|plein|gracht)$/;

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '(?:\\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)';
/** month-name dates; numeric dates come from the numeric candidates */
const TEXT_DATE_RE = new RegExp(`\\b(?:${MONTH}\\.?[ ]+${DAY},?[ ]+\\d{4}|(?:the[ ]+)?${DAY}[ ]+(?:of[ ]+)?${MONTH},?[ ]+\\d{4})\\b`, 'g');
const DOB_WINDOW = 64;

const NAME_AFTER_CUE_RE = /name(?:[ ]+is|'s|[ ]*:|[ ]+on[ ]+the[ ]+(?:card|account)[ ]+is)[ ]+/y;
const CALL_ME_RE = /call[ ]+me[ ]+/y;
const NAME_OWNER_RE = /(?:^|\b(?:my|your|his|her|their|full|first|last|middle|legal|maiden|the|caller's|card)[ ]+|[\n(])$/;
const WEAK_CUE_BEFORE_RE = new RegExp(`\\b(?:this[ ]+is|i'm|i[ ]+am)[ ]+([A-Za-z][${LETTERS}]+(?:[ ]+[A-Za-z][${LETTERS}]+)?)[ ,]+$`, 'i');
const NAME_WORD_RE = new RegExp(`[A-Za-zÀ-ÖØ-öø-ÿ][${LETTERS}]*`, 'y');
/** words that follow the cues but are not names ("call me back", "I'm not sure", "this is great") */
const NOT_A_NAME = new Set(
  (
    'a an the and or but so if then than to at on in of for from with by as is was be been not no yes just really very ' +
    'back later tomorrow today tonight now again soon sometime anytime whenever when please maybe actually also still ' +
    'i you he she we they it me him her us them my your his our their this that there here what who how why where ' +
    'calling speaking sorry sure fine good great okay ok well glad happy afraid going trying looking interested ' +
    'um uh like gonna wanna unknown none unsure anonymous private'
  ).split(' '),
);

export function detectPiiText(ctx: ScanContext): void {
  const norm = ctx.norm.text;
  const lower = ctx.normLower;
  const cased = /[A-Z]/.test(ctx.text);
  let dobSearchedTo = 0;
  for (const hit of cueHits(ctx)) {
    const at = ctx.toNorm(hit.start);
    const end = at + hit.word.length;
    for (const cue of PII_CUES.get(hit.word)!) {
      switch (cue) {
        case 'us':
          usAddress(ctx, at, end, cased);
          break;
        case 'french':
          frenchAddress(ctx, at, end);
          break;
        case 'nameFirst':
          NAME_FIRST_RE.lastIndex = at;
          if (NAME_FIRST_RE.exec(norm)) ctx.addNorm('pii', 'street_address', at, NAME_FIRST_RE.lastIndex, '[ADDRESS]', 0.8);
          break;
        case 'box': {
          const after = BOX_NUMBER_RE.exec(lower.slice(end, end + 10));
          const before = PO_BEFORE_RE.exec(lower.slice(Math.max(0, at - 8), at));
          if (after && before) ctx.addNorm('pii', 'street_address', at - before[0].length, end + after[0].length, '[ADDRESS]', 0.8);
          break;
        }
        case 'dob':
          if (at >= dobSearchedTo) dobSearchedTo = textDob(ctx, Math.max(at, dobSearchedTo), end);
          break;
        case 'name':
          NAME_AFTER_CUE_RE.lastIndex = at;
          if (NAME_AFTER_CUE_RE.exec(lower) && NAME_OWNER_RE.test(lower.slice(Math.max(0, at - 24), at))) {
            nameAt(ctx, NAME_AFTER_CUE_RE.lastIndex, cased, 0.8);
          }
          break;
        case 'callMe':
          CALL_ME_RE.lastIndex = at;
          if (CALL_ME_RE.exec(lower)) nameAt(ctx, CALL_ME_RE.lastIndex, cased, 0.8);
          break;
        case 'weakName':
          weakName(ctx, at, cased);
          break;
        case 'emailJoiner': // spoken emails, in pii.ts
          break;
      }
    }
  }
  suffixWordAddresses(ctx);
}

function cueHits(ctx: ScanContext): Array<{ start: number; word: string }> {
  if (ctx.policy.lexicon?.has.pii) return ctx.lexicon.pii;
  const out: Array<{ start: number; word: string }> = [];
  CUE_RE.lastIndex = 0;
  for (let m = CUE_RE.exec(ctx.lower); m; m = CUE_RE.exec(ctx.lower)) out.push({ start: m.index, word: m[0] });
  return out;
}

/** "742 Evergreen Terrace": back from the suffix to a house number at most four words earlier */
function usAddress(ctx: ScanContext, at: number, end: number, cased: boolean): void {
  const norm = ctx.norm.text;
  const from = Math.max(0, at - 64);
  // most suffix words ("way", "close", "square") are prose with no number before them at all
  if (!hasDigit(norm, from, at)) return;
  const house = HOUSE_NUMBER_BEFORE_RE.exec(norm.slice(from, at));
  if (!house) return;
  const words = house[1]!.trim().split(/[ ]+/);
  if (words.some((w) => NOT_IN_ADDRESS.has(w.toLowerCase()))) return;
  // in properly cased text a street name is capitalised: "3 apples at the street market" is prose
  if (cased && (words.some((w) => !isCapitalised(w)) || !isCapitalised(norm[at]!))) return;
  const tail = AFTER_SUFFIX_RE.exec(norm.slice(end, end + 24))?.[0].length ?? 0;
  ctx.addNorm('pii', 'street_address', from + house.index, end + tail, '[ADDRESS]', 0.85);
}

/** "12 rue de la Paix" */
function frenchAddress(ctx: ScanContext, at: number, end: number): void {
  const norm = ctx.norm.text;
  const from = Math.max(0, at - 12);
  const number = NUMBER_BEFORE_FRENCH_RE.exec(norm.slice(from, at));
  const name = number && AFTER_FRENCH_RE.exec(norm.slice(end, end + 48));
  if (number && name) ctx.addNorm('pii', 'street_address', from + number.index, end + name[0].length, '[ADDRESS]', 0.8);
}

/** "Hauptstraße 5": a short number right after a capitalised word ending in a street suffix */
function suffixWordAddresses(ctx: ScanContext): void {
  const norm = ctx.norm.text;
  const lower = ctx.normLower;
  for (const run of shortNumberRuns(ctx)) {
    if (run.start < 5 || norm[run.start - 1] !== ' ') continue;
    let s = run.start - 1;
    while (s > 0 && isStreetNameChar(norm.charCodeAt(s - 1))) s--;
    if (!isCapitalised(norm[s] ?? '') || !SUFFIX_WORD_RE.test(lower.slice(s, run.start - 1))) continue;
    ctx.addNorm('pii', 'street_address', s, run.end, '[ADDRESS]', 0.8);
  }
}

/** a month-name date a few words after a birth cue; returns how far the text was searched */
function textDob(ctx: ScanContext, from: number, cueEnd: number): number {
  const lower = ctx.normLower;
  const windowEnd = Math.min(lower.length, cueEnd + DOB_WINDOW);
  const window = lower.slice(from, windowEnd);
  TEXT_DATE_RE.lastIndex = 0;
  for (let m = TEXT_DATE_RE.exec(window); m; m = TEXT_DATE_RE.exec(window)) {
    const s = from + (m[0].startsWith('the ') ? m.index + 4 : m.index);
    ctx.addNorm('pii', 'date_of_birth', s, from + m.index + m[0].length, '[DOB]', 0.9);
  }
  return windowEnd;
}

function nameAt(ctx: ScanContext, pos: number, cased: boolean, score: number): void {
  const span = nameAfter(ctx.norm.text, pos, cased);
  if (span) ctx.addNorm('pii', 'person_name', span[0], span[1], '[NAME]', score);
}

/** "this is Michael Chen speaking": weak cues only count before speaking / calling / here */
function weakName(ctx: ScanContext, trailerAt: number, cased: boolean): void {
  const norm = ctx.norm.text;
  const from = Math.max(0, trailerAt - 48);
  const cue = WEAK_CUE_BEFORE_RE.exec(norm.slice(from, trailerAt));
  if (!cue) return;
  const nameStart = from + cue.index + cue[0].lastIndexOf(cue[1]!);
  const span = nameAfter(norm, nameStart, cased);
  if (span && span[1] === nameStart + cue[1]!.length) ctx.addNorm('pii', 'person_name', span[0], span[1], '[NAME]', 0.7);
}

/** one to three name words from `pos`: not function words, capitalised when the text uses capitals */
function nameAfter(t: string, pos: number, cased: boolean): [number, number] | null {
  let start = -1;
  let end = -1;
  for (let n = 0; n < 3; n++) {
    NAME_WORD_RE.lastIndex = pos;
    const w = NAME_WORD_RE.exec(t);
    if (!w) break;
    const word = w[0];
    if (NOT_A_NAME.has(word.toLowerCase()) || word.length < 2) break;
    // in cased text names are capitalised; lower-case transcripts carry no such signal
    if (cased && !isCapitalised(word)) break;
    if (start < 0) start = w.index;
    end = w.index + word.length;
    pos = end + 1;
    if (t[end] !== ' ') break;
  }
  return start < 0 ? null : [start, end];
}

/** [A-Za-zÀ-ÖØ-öø-ÿ.] by char code, instead of a regex test per character */
function isStreetNameChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 192 && c <= 255 && c !== 215 && c !== 247) || c === 46;
}

function isCapitalised(w: string): boolean {
  const c = w.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 192 && c <= 222);
}
