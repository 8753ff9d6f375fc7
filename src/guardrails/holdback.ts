import { NOT_IN_ADDRESS } from './detectors/pii-text.js';
import { NUMBER_WORDS } from './spoken.js';

/**
 * Where a streamed text could still turn into a match. Each rule looks only at the tail of the text
 * and returns the earliest offset that must be held back (or the text length when nothing must).
 * Text before that offset cannot change its findings when more text arrives, so it can be spoken now.
 */

export interface HoldRules {
  /** pii is redacted on output: emails, names, addresses, dates of birth, phones, SSNs */
  pii: boolean;
  /** financial is redacted on output: cards, IBANs, account numbers */
  financial: boolean;
  /** also hold a trailing bare word (a one-word email local part could follow) */
  trailingWord: boolean;
}

/** the longest tail a rule inspects; a match longer than this is released (spoken cards are ~120 chars) */
export const MAX_HOLD = 200;

const NUMBER_SEPARATORS = new Set([' ', '\t', ',', '.', '-', '/', '(', ')', '+']);
const JOIN_WORDS = new Set(['plus', 'dash', 'hyphen', 'double', 'triple', 'hundred']);
const IBAN_TAIL_RE = /\b[A-Z]{2}\d{2}[A-Z0-9 -]{0,36}$/;
/** "GB" or "GB2" at the very end may be the start of an IBAN */
const IBAN_COUNTRY_TAIL_RE = /\b[A-Z]{2}\d?$/;
const EMAIL_TOKEN_TAIL_RE = /[A-Za-z0-9._%+@-]+$/;
const SPOKEN_EMAIL_TAIL_RE =
  /\b[a-z0-9]+(?:[ ]+(?:dot|underscore|dash|hyphen)[ ]+[a-z0-9]+)*(?:[ ]+(?:dot|underscore|dash|hyphen))?(?:[ ]+at(?:[ ]+([a-z0-9-]+)(?:[ ]+dot(?:[ ]+[a-z0-9-]+)?)*)?)?[ ]*$/;
const NOT_A_DOMAIN = new Set(['the', 'a', 'an', 'this', 'that', 'my', 'your', 'our', 'least', 'all', 'once', 'first', 'last', 'home', 'work', 'noon', 'night', 'any', 'some', 'which', 'what', 'about', 'around']);
const ADDRESS_TAIL_RE = /\b\d{1,6}[A-Za-z]?((?:[ ]+[A-Za-z][A-Za-z'.-]*){0,4})[ ]*$/;
const NAME_TAIL_RE = /\b(?:name(?:[ ]+is|'s|[ ]*:)|call[ ]+me|name[ ]+on[ ]+the[ ]+(?:card|account)[ ]+is)((?:[ ]+[A-Za-z][A-Za-z'-]*){0,3})[ ]*$/i;
const WEAK_NAME_TAIL_RE = /\b(?:this[ ]+is|i'm|i[ ]+am)((?:[ ]+[A-Z][A-Za-z'-]*){1,2})[ ]*$/;
const DOB_TAIL_RE = /\b(born|birth|dob|birthday)\b([^.!?\n]{0,48})$/i;
const DOB_VALUE_RE = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)/i;

export function holdStart(text: string, emitted: number, rules: HoldRules): number {
  const len = text.length;
  if (emitted >= len) return len;
  // rules read context that may already be emitted ("your name is" before a held name)
  const from = Math.max(0, len - MAX_HOLD);
  const tail = text.slice(from);
  let hold = len;
  const at = (i: number) => (hold = Math.min(hold, from + i));

  const numeric = numericRunStart(tail);
  if (numeric >= 0) at(numeric);
  if (rules.financial) {
    const iban = IBAN_TAIL_RE.exec(tail) ?? IBAN_COUNTRY_TAIL_RE.exec(tail);
    if (iban) at(iban.index);
  }
  if (rules.pii) {
    emailTail(tail, rules.trailingWord, at);
    const lowerTail = tail.toLowerCase();
    const spoken = SPOKEN_EMAIL_TAIL_RE.exec(lowerTail);
    if (spoken && /[ ](?:dot|underscore|dash|hyphen|at)\b/.test(spoken[0]) && !NOT_A_DOMAIN.has(spoken[1] ?? '')) at(spoken.index);
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
  if (rules.trailingWord) {
    const word = /[A-Za-z0-9'-]+$/.exec(tail);
    if (word) at(word.index);
  }
  // a held match may have started earlier: "415 555 " before a held "2671 today" belongs to it
  for (let guard = 0; hold < len && hold > from && guard < 8; guard++) {
    const before = text.slice(from, hold);
    let earlier = numericRunStart(before);
    const token = /[A-Za-z0-9._%+@-]+$/.exec(before);
    if (token && /[A-Za-z0-9._%+@-]/.test(text[hold]!)) earlier = earlier < 0 ? token.index : Math.min(earlier, token.index);
    if (rules.financial) {
      const iban = IBAN_TAIL_RE.exec(before);
      if (iban) earlier = earlier < 0 ? iban.index : Math.min(earlier, iban.index);
    }
    if (earlier < 0 || from + earlier >= hold) break;
    hold = from + earlier;
  }
  return Math.max(hold, emitted);
}

/**
 * Walk back over digits, number words ("four", "oh", "double"), a partial number word at the very
 * end ("fo"), and separators. Returns the start of the run, or -1 when the tail does not end in one.
 */
function numericRunStart(tail: string): number {
  let pos = tail.length;
  let start = -1;
  let atEnd = true;
  while (pos > 0) {
    let p = pos;
    while (p > 0 && NUMBER_SEPARATORS.has(tail[p - 1]!)) p--;
    let ts = p;
    while (ts > 0 && /[A-Za-z0-9']/.test(tail[ts - 1]!)) ts--;
    const token = tail.slice(ts, p).toLowerCase();
    const touchesEnd = atEnd && p === tail.length;
    const isNumber = token !== '' && (/^\d+$/.test(token) || NUMBER_WORDS.has(token) || JOIN_WORDS.has(token));
    const partial = touchesEnd && !isNumber && token !== '' && isNumberWordPrefix(token) && ts > 0 && precededByNumber(tail, ts);
    if (!isNumber && !partial) {
      // a '+' or '(' right before the run (or at the very end) belongs to it: "(415) …", "+44 …"
      const lead = tail.slice(p, start >= 0 ? start : tail.length).search(/[+(]/);
      if (lead >= 0) start = p + lead;
      break;
    }
    start = ts;
    pos = ts;
    atEnd = false;
  }
  return start;
}

function isNumberWordPrefix(token: string): boolean {
  if (token.length === 0 || token.length > 8) return false;
  for (const w of NUMBER_WORDS) if (w.startsWith(token)) return true;
  return false;
}

function precededByNumber(tail: string, ts: number): boolean {
  const before = tail.slice(Math.max(0, ts - 12), ts).trimEnd().toLowerCase();
  const last = /[a-z0-9]+$/.exec(before)?.[0] ?? '';
  return /^\d+$/.test(last) || NUMBER_WORDS.has(last);
}

/** a trailing token that is becoming an email ("john.d", "john@exa", "jd42") */
function emailTail(tail: string, trailingWord: boolean, at: (i: number) => void): void {
  const m = EMAIL_TOKEN_TAIL_RE.exec(tail);
  if (!m) return;
  const token = m[0];
  const inner = token.replace(/[.,]+$/, '');
  if (token.includes('@') || /[._%+-]/.test(inner) || (/\d/.test(inner) && /[A-Za-z]/.test(inner)) || trailingWord) at(m.index);
}
