import { NOT_IN_ADDRESS } from './detectors/pii-text.js';
import { isAsciiAlnum, isDigit } from './detectors/chars.js';
import { NUMBER_WORDS } from './spoken.js';

/**
 * Where a streamed text could still turn into a match. Each rule looks only at the last MAX_HOLD
 * characters and returns the earliest offset that must be held back. Text before that offset
 * cannot change its findings when more text arrives, so it can be spoken now.
 */

/**
 * `word` (default, leak-free): also hold the last complete word, because the next one may make it
 * part of a value ("jane" + " dot doe at example dot com"); one token of delay.
 * `value`: hold only what already looks like a value in progress; a plain word that only the next
 * words turn into a spoken email local part is spoken before they arrive.
 */
export type StreamHoldback = 'word' | 'value';
export const STREAM_HOLDBACKS: readonly StreamHoldback[] = ['word', 'value'];

export interface HoldRules {
  /** pii is redacted on output: emails, names, addresses, dates of birth, phones, SSNs */
  pii: boolean;
  /** financial is redacted on output: cards, IBANs, account numbers */
  financial: boolean;
  holdback: StreamHoldback;
}

/**
 * The longest tail a rule inspects. No finding is longer (emails are capped at 64 + 189
 * characters, spoken cards take ~120), so text that leaves this window can be released.
 */
export const MAX_HOLD = 256;

const SEPARATORS = new Set([32, 9, 10, 44, 46, 45, 47, 40, 41, 43]); // space tab \n , . - / ( ) +
const JOIN_WORDS = new Set(['plus', 'dash', 'hyphen', 'double', 'triple', 'hundred', 'thousand']);
/** an IBAN in progress: country code and check digits, then groups ("AL 79 2081 …" too) */
const IBAN_TAIL_RE = /\b[A-Z]{2}[ ]?\d{2}[A-Z0-9 -]{0,36}$/;
/** "G", "GB", "GB2", "GB 2" at the very end may be the start of an IBAN */
const IBAN_COUNTRY_TAIL_RE = /\b[A-Z]{1,2}(?:[ ]?\d)?[ ]?$/;
const SPOKEN_EMAIL_TAIL_RE =
  /\b[a-z0-9]+(?:[ ]+(?:dot|underscore|dash|hyphen)[ ]+[a-z0-9]+)*(?:[ ]+(?:dot|underscore|dash|hyphen))?(?:[ ]+(?:at|the[ ]+rate)(?:[ ]+([a-z0-9-]+)(?:[ ]+dot(?:[ ]+[a-z0-9-]+)?)*)?)?[ ]*$/;
const SPOKEN_JOINER_RE = /[ ](?:dot|underscore|dash|hyphen|at)\b/;
const NOT_A_DOMAIN = new Set(['the', 'a', 'an', 'this', 'that', 'my', 'your', 'our', 'least', 'all', 'once', 'first', 'last', 'home', 'work', 'noon', 'night', 'any', 'some', 'which', 'what', 'about', 'around']);
const ADDRESS_TAIL_RE = /\b\d{1,6}[A-Za-z]?((?:[ ]+[A-Za-z][A-Za-z'.-]*){0,4})[ ,]*$/;
/** a name-first street before its house number: "Hauptstraße 5", "Via Roma 12" */
const STREET_BEFORE_NUMBER_RE = /(?:^|[ ])((?:[A-Z][^\s\d,.;:!?]*[ ]+){1,3})$/;
const NAME_TAIL_RE = /\b(?:name(?:[ ]+is|'s|[ ]*:)|call[ ]+me|name[ ]+on[ ]+the[ ]+(?:card|account)[ ]+is)((?:[ ]+[A-Za-z][A-Za-z'-]*){0,3})[ ]*$/i;
const WEAK_NAME_TAIL_RE = /\b(?:this[ ]+is|i'm|i[ ]+am)((?:[ ]+[A-Z][A-Za-z'-]*){1,2})[ ]*$/;
const DOB_TAIL_RE = /\b(born|birth|dob|birthday)\b([^.!?\n]{0,48})$/i;
const DOB_VALUE_RE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)/i;

/** the hold for `text`, of which `emitted` characters are already out; `capped` when a run outgrew MAX_HOLD */
export function holdStart(text: string, emitted: number, rules: HoldRules): { hold: number; capped: boolean } {
  const len = text.length;
  if (emitted >= len) return { hold: len, capped: false };
  // rules read context that may already be emitted ("your name is" before a held name)
  const from = Math.max(0, len - MAX_HOLD);
  const tail = text.slice(from);
  let hold = len;
  const at = (i: number) => (hold = Math.min(hold, from + i));

  // the last token is unfinished until whitespace follows it ("john" + "@example.com"); in `word`
  // mode the last finished word is held too
  const partial = lastToken(tail, false);
  if (partial >= 0) at(partial);
  if (rules.holdback === 'word') {
    const word = lastToken(partial >= 0 ? tail.slice(0, partial) : tail, true);
    if (word >= 0 && (partial < 0 || mayJoin(tail, word, partial))) at(word);
  }
  // one token fills the whole window (a long run of digits or letters): nothing can hold more
  if (hold === from && from > 0) return { hold: Math.max(hold, emitted), capped: true };
  const numeric = numericRunStart(tail, tail.length);
  if (numeric >= 0) at(numeric);
  if (rules.financial) {
    const iban = IBAN_TAIL_RE.exec(tail) ?? IBAN_COUNTRY_TAIL_RE.exec(tail);
    if (iban) at(iban.index);
  }
  if (rules.pii) {
    piiTails(tail, at);
    // the rules read whole words: also ask them about the text without a half-written last word ("… at example d")
    if (partial > 0) piiTails(tail.slice(0, partial), at);
  }
  // a held match may have started earlier: "415 555 " before a held "2671 today" belongs to it
  for (let guard = 0; hold < len && hold > from && guard < 8; guard++) {
    const before = hold - from;
    let earlier = numberAt(tail, before) ? numericRunStart(tail, before) : -1;
    const glued = gluedTokenStart(tail, before);
    if (glued >= 0) earlier = earlier < 0 ? glued : Math.min(earlier, glued);
    if (rules.financial) {
      const iban = IBAN_TAIL_RE.exec(tail.slice(0, before));
      if (iban) earlier = earlier < 0 ? iban.index : Math.min(earlier, iban.index);
    }
    if (rules.pii && isDigit(tail.charCodeAt(before))) {
      const street = STREET_BEFORE_NUMBER_RE.exec(tail.slice(Math.max(0, before - 64), before));
      if (street) earlier = Math.min(earlier < 0 ? before : earlier, before - street[1]!.length);
    }
    if (earlier < 0 || from + earlier >= hold) break;
    hold = from + earlier;
  }
  // a run reaching back to the start of the window is longer than any finding: release past it
  const capped = hold === from && from > 0;
  return { hold: Math.max(hold, emitted), capped };
}

/** how far back the word rules look: a spoken email's local part and domain, a cue and its value */
const SPOKEN_EMAIL_REACH = 160;
const CUE_REACH = 96;

function piiTails(whole: string, hold: (i: number) => void): void {
  const emailFrom = Math.max(0, whole.length - SPOKEN_EMAIL_REACH);
  const spoken = SPOKEN_EMAIL_TAIL_RE.exec(whole.slice(emailFrom).toLowerCase());
  if (spoken && SPOKEN_JOINER_RE.test(spoken[0]) && !NOT_A_DOMAIN.has(spoken[1] ?? '')) hold(emailFrom + spoken.index);
  const from = Math.max(0, whole.length - CUE_REACH);
  const tail = whole.slice(from);
  const at = (i: number) => hold(from + i);
  const address = ADDRESS_TAIL_RE.exec(tail);
  if (address) {
    const words = address[1]!.trim().split(/[ ]+/).filter(Boolean);
    // as in the detector: no function words, and capitalised street names in cased text
    const cased = /[A-Z]/.test(tail);
    if (!words.some((w) => NOT_IN_ADDRESS.has(w.toLowerCase()) || (cased && !/^[A-Z]/.test(w)))) at(address.index);
  }
  const name = NAME_TAIL_RE.exec(tail) ?? WEAK_NAME_TAIL_RE.exec(tail);
  if (name && name[1]!.trim()) at(name.index + name[0].length - name[1]!.length - (name[0].length - name[0].trimEnd().length));
  const dob = DOB_TAIL_RE.exec(tail);
  if (dob) {
    const value = DOB_VALUE_RE.exec(dob[2]!);
    if (value) at(dob.index + dob[1]!.length + value.index);
  }
}

const SPOKEN_JOINERS = ['dot', 'at', 'underscore', 'dash', 'hyphen'];

/**
 * Can the half-written token at `partial` still make the finished word at `word` part of a value?
 * A joiner or number word in progress can ("jane d…" → "jane dot …"), and so can a capitalised word
 * or a number after a capitalised word ("Via R…", "Hauptstraße 5"); other prose cannot.
 */
function mayJoin(tail: string, word: number, partial: number): boolean {
  const c = tail.charCodeAt(partial);
  if (c >= 65 && c <= 90) return true;
  const wordCapitalised = tail.charCodeAt(word) >= 65 && tail.charCodeAt(word) <= 90;
  if (isDigit(c)) return wordCapitalised;
  if (!(c >= 97 && c <= 122)) return false;
  const token = tail.slice(partial).toLowerCase();
  return SPOKEN_JOINERS.some((j) => j.startsWith(token)) || isNumberWordPrefix(token) || JOIN_WORDS.has(token);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Start of the last whitespace-free token when the text does not end in whitespace; with
 * `complete`, also of the last token before trailing whitespace. -1 when there is none.
 */
function lastToken(tail: string, complete: boolean): number {
  let e = tail.length;
  if (complete) while (e > 0 && isSpace(tail.charCodeAt(e - 1))) e--;
  else if (e > 0 && isSpace(tail.charCodeAt(e - 1))) return -1;
  let s = e;
  while (s > 0 && !isSpace(tail.charCodeAt(s - 1))) s--;
  return s < e ? s : -1;
}

/** a token glued to the held text ("jane." before a held "doe@…"): its start, else -1 */
function gluedTokenStart(tail: string, before: number): number {
  if (before <= 0 || before >= tail.length || isSpace(tail.charCodeAt(before)) || isSpace(tail.charCodeAt(before - 1))) return -1;
  let s = before;
  while (s > 0 && !isSpace(tail.charCodeAt(s - 1))) s--;
  return s;
}

/**
 * Walk back from `end` over digits, number words ("four", "oh", "double"), a partial number word
 * at the very end ("fo"), and separators. Returns the start of the run, or -1 when there is none.
 */
function numericRunStart(tail: string, end: number): number {
  let pos = end;
  let start = -1;
  while (pos > 0) {
    let p = pos;
    while (p > 0 && SEPARATORS.has(tail.charCodeAt(p - 1))) p--;
    let ts = p;
    while (ts > 0 && (isAsciiAlnum(tail.charCodeAt(ts - 1)) || tail.charCodeAt(ts - 1) === 39)) ts--;
    if (ts === p) break;
    const token = tail.slice(ts, p).toLowerCase();
    const isNumber = isDigit(token.charCodeAt(0)) ? /^\d+$/.test(token) : NUMBER_WORDS.has(token) || JOIN_WORDS.has(token);
    const partial = !isNumber && p === tail.length && isNumberWordPrefix(token) && precededByNumber(tail, ts);
    if (!isNumber && !partial) break;
    start = ts;
    pos = ts;
  }
  if (start < 0) return -1;
  // a '+' or '(' right before the run belongs to it: "(415) …", "+44 …"
  let lead = start;
  while (lead > 0 && SEPARATORS.has(tail.charCodeAt(lead - 1)) && start - lead < 3) {
    const c = tail.charCodeAt(lead - 1);
    lead--;
    if (c === 43 || c === 40) return lead;
  }
  return start;
}

/** does the held text at `i` go on with a number: a digit, '+', '(', or a (half-written) number word? */
function numberAt(tail: string, i: number): boolean {
  const c = tail.charCodeAt(i);
  if (isDigit(c) || c === 43 || c === 40 || c === 45) return true;
  let e = i;
  while (e < tail.length && isAsciiAlnum(tail.charCodeAt(e))) e++;
  const token = tail.slice(i, e).toLowerCase();
  return token !== '' && (NUMBER_WORDS.has(token) || JOIN_WORDS.has(token) || (e === tail.length && isNumberWordPrefix(token)));
}

function isNumberWordPrefix(token: string): boolean {
  if (token.length === 0 || token.length > 8) return false;
  for (const w of NUMBER_WORDS) if (w.startsWith(token)) return true;
  return false;
}

/** is the token before `ts` (past separators such as ", ") a digit run or a number word? */
function precededByNumber(tail: string, ts: number): boolean {
  let p = ts;
  while (p > 0 && SEPARATORS.has(tail.charCodeAt(p - 1))) p--;
  let s = p;
  while (s > 0 && isAsciiAlnum(tail.charCodeAt(s - 1)) && p - s < 12) s--;
  const last = tail.slice(s, p).toLowerCase();
  return last !== '' && (/^\d+$/.test(last) || NUMBER_WORDS.has(last));
}
