import type { ScanContext } from '../context.js';
import { abaValid, luhnValid, plausibleCard } from './checksums.js';
import { isAsciiLetter, isDigit } from './chars.js';

/**
 * Numeric candidates shared by the pii and financial detectors: every run of digits (after spoken
 * numbers became digits) is found once and classified once, by shape, checksum and the nearest
 * keyword before it. Versions, SHAs, order ids, times and prices are rejected here.
 */

export type NumberKind = 'card' | 'ssn' | 'routing' | 'account' | 'cvv' | 'expiry' | 'dob' | 'ip' | 'phone';

export interface NumberCandidate {
  /** offsets in the normalised text */
  start: number;
  end: number;
  raw: string;
  digits: string;
  kind: NumberKind | null;
  /** a keyword right before the number named its kind ("card number is …") */
  keyed: boolean;
}

/** digits joined by at most one space, dot, slash or dash, or by phone parentheses */
const NUMBER_RE = /(?:\+[ ]?)?\(?\d(?:(?:[ ./-]|\)[ -]?|[ ]?\()?\d)*\)?/g;
const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const DOTTED_PHONE_RE = /^\(?\d{3}\)?\.\d{3}\.\d{4}$/;
const DATE_RE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))$/;
/** MM/YY, MM/YYYY, MM-YY, or MMYY written as four digits */
const EXPIRY_RE = /^(?:(?:0?[1-9]|1[0-2])[ ]?[/-][ ]?(?:\d{2}|20\d{2})|(?:0[1-9]|1[0-2])\d{2})$/;
const SSN_FORMAT_RE = /^\d{3}([- ])\d{2}\1\d{4}$/;
const SPACE_DASH_ONLY_RE = /^[\d -]+$/;
const DIGITS_SPACES_RE = /^[\d ]+$/;

/** the last keyword before a number decides what it is; group order = kind */
const KEYWORD_RE = new RegExp(
  '\\b(?:' +
    [
      '(card|visa|master ?card|amex|american express|discover card|credit|debit|cc|pan)',
      '(ssn|social security|social insurance|social)',
      '(routing|aba|rtn|transit)',
      '(account|acct|a/c|checking|savings|iban|bank)',
      '(cvv2?|cvc2?|csc|cid|security code|card verification(?: code| value)?)',
      '(exp|expiry|expires|expiring|expiration|valid (?:thru|through|until))',
      '(born|birth|dob|d\\.o\\.b|birthday)',
      '(phone|call|calling|mobile|cell|reach|text|tel|fax|whatsapp|dial|ring|contact)',
      '(order|invoice|tracking|ticket|ref|reference|confirmation|transaction|booking|case|claim|policy|serial|model|version|firmware|build|sku|item|id|zip|postal|code|pin|otp|room|flight|page|chapter|release|v|issue|pr|commit|address|street|apt|apartment|suite|unit|floor|building|step|line|row)',
    ].join('|') +
    ')\\b',
  'g',
);
const KEYWORD_KINDS = ['card', 'ssn', 'routing', 'account', 'cvv', 'expiry', 'dob', 'phone', 'id'] as const;
type Keyword = (typeof KEYWORD_KINDS)[number];
const KEYWORD_WINDOW = 48;
const IP_CUE_RE = /\b(?:ip|ipv4|address|host|server|gateway|dns)\b/;
const SENTENCE_BREAK_RE = /[.!?;\n](?:\s|$)/;
const ACCOUNT_GAP_RE = /^(?:\s|number|num|no\.?|#|is|was|:|-|of|my|the|it's|its|ending|reads|=)*$/;
const CARD_WORDS_RE = /\b(?:card|visa|master ?card|amex|credit|debit)\b/;
/** without one of these, no plain short number can be a CVV or an expiry */
const CVV_EXPIRY_WORDS_RE = /\b(?:cvv2?|cvc2?|csc|cid|security code|card verification|exp|expiry|expires|expiring|expiration|valid (?:thru|through|until))\b/;

interface NumberScan {
  candidates: NumberCandidate[];
  /** every standalone run of at most six digits (house numbers for the address detector) */
  shortRuns: Array<{ start: number; end: number }>;
  /** offsets of two letters glued to two digits at a word start ("DE89…"): where an IBAN may begin */
  ibanStarts: number[];
}

/** classified numeric candidates (offsets in the normalised text) */
export function numberCandidates(ctx: ScanContext): NumberCandidate[] {
  return scanNumbers(ctx).candidates;
}

export function shortNumberRuns(ctx: ScanContext): NumberScan['shortRuns'] {
  return scanNumbers(ctx).shortRuns;
}

export function ibanStarts(ctx: ScanContext): number[] {
  return scanNumbers(ctx).ibanStarts;
}

/** one pass over the digits of the text serves every numeric detector */
function scanNumbers(ctx: ScanContext): NumberScan {
  return ctx.memo('numbers', () => findCandidates(ctx));
}

function findCandidates(ctx: ScanContext): NumberScan {
  const text = ctx.norm.text;
  const all: NumberCandidate[] = [];
  const shortRuns: NumberScan['shortRuns'] = [];
  const ibans: number[] = [];
  NUMBER_RE.lastIndex = 0;
  for (let m = NUMBER_RE.exec(text); m; m = NUMBER_RE.exec(text)) {
    if (m.index >= 2 && isAsciiLetter(text.charCodeAt(m.index - 1)) && isAsciiLetter(text.charCodeAt(m.index - 2)) && isDigit(text.charCodeAt(m.index + 1))) {
      if (m.index === 2 || !isWordChar(text.charCodeAt(m.index - 3))) ibans.push(m.index - 2);
    }
    // "AL 47 2121 …": a capitalised country code, a space, then the check digits
    else if (m.index >= 3 && text.charCodeAt(m.index - 1) === 32 && isUpper(text.charCodeAt(m.index - 2)) && isUpper(text.charCodeAt(m.index - 3)) && isDigit(text.charCodeAt(m.index + 1))) {
      if (m.index === 3 || !isWordChar(text.charCodeAt(m.index - 4))) ibans.push(m.index - 3);
    }
    let raw = m[0];
    let start = m.index;
    // a trailing ')' or '(' only belongs to the number when balanced
    if (raw.endsWith('(')) raw = raw.slice(0, -1);
    if (raw.endsWith(')') && !raw.includes('(')) raw = raw.slice(0, -1);
    if (raw.startsWith('(') && !raw.includes(')')) {
      raw = raw.slice(1);
      start++;
    }
    const end = start + raw.length;
    if (!standsAlone(text, start, end)) continue;
    const digits = onlyDigits(raw);
    if (digits.length <= 6) shortRuns.push({ start, end });
    all.push({ start, end, raw, digits, kind: null, keyed: false });
  }
  const out: NumberCandidate[] = [];
  for (const c of all) {
    const r = kindOf(ctx, c, all);
    if (r) {
      c.kind = r.kind;
      c.keyed = r.keyed;
      out.push(c);
    }
  }
  return { candidates: out, shortRuns, ibanStarts: ibans };
}

function isCardNumber(c: NumberCandidate): boolean {
  const nd = c.digits.length;
  return nd >= 13 && nd <= 19 && SPACE_DASH_ONLY_RE.test(c.raw) && luhnValid(c.digits) && plausibleCard(c.digits);
}

/** a CVV or expiry needs a card nearby in the text: card words or a card number */
function cardContext(ctx: ScanContext, all: NumberCandidate[]): boolean {
  return ctx.memo('cardContext', () => CARD_WORDS_RE.test(ctx.normLower) || all.some(isCardNumber));
}

/** reject digits glued to letters (SHAs, "v2", "500mg", UUID parts), times ("10:30") and decimals ("4.5") */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : 32;
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (isWordChar(before) || (isWordChar(after) && !isExtension(text, end))) return false;
  if ((before === 58 || before === 46 || before === 44) && start > 1 && isDigit(text.charCodeAt(start - 2))) return false; // 10:|3.|1,
  if ((after === 58 || after === 44 || after === 46) && end + 1 < text.length && isDigit(text.charCodeAt(end + 1))) return false;
  if (before === 35 || before === 36 || before === 8364 || before === 163) return false; // '#', '$', '€', '£'
  return true;
}

/** the digits of a candidate, copied a digit group at a time (most have no separator at all) */
function onlyDigits(raw: string): string {
  let out = '';
  let group = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch < 48 || ch > 57) {
      out += raw.slice(group, i);
      group = i + 1;
    }
  }
  return group === 0 ? raw : out + raw.slice(group);
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isExtension(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  return (c === 120 || c === 88) && isDigit(text.charCodeAt(end + 1)); // "…4567x123"
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 192 && c <= 687);
}

/**
 * The kind named by the last keyword before a number, within the same sentence. An account number
 * has no checksum, so its keyword must lead straight to it ("account number is …", "acct #").
 */
function nearestKeyword(ctx: ScanContext, start: number): Keyword | null {
  const lower = ctx.normLower;
  const from = Math.max(0, start - KEYWORD_WINDOW);
  // search only up to the number (and its first character, so the closing \b sees it): on the whole
  // text the last exec ran on past the number to the next keyword, often to the end of the text
  const upTo = lower.slice(0, start + 1);
  KEYWORD_RE.lastIndex = from;
  let kind: Keyword | null = null;
  let keywordEnd = from;
  for (let m = KEYWORD_RE.exec(upTo); m && m.index < start; m = KEYWORD_RE.exec(upTo)) {
    if (m.index + m[0].length > start) break;
    for (let g = 1; g <= KEYWORD_KINDS.length; g++) {
      if (m[g] !== undefined) {
        kind = KEYWORD_KINDS[g - 1]!;
        keywordEnd = m.index + m[0].length;
        break;
      }
    }
  }
  if (kind === null) return null;
  const gap = lower.slice(keywordEnd, start);
  if (SENTENCE_BREAK_RE.test(gap)) return null;
  if (kind === 'account' && !ACCOUNT_GAP_RE.test(gap)) return null;
  return kind;
}

const KIND_CACHE = new Map<string, { kind: NumberKind; keyed: boolean }>();
const result = (kind: NumberKind, keyed: boolean) => {
  const key = kind + (keyed ? '+' : '-');
  let r = KIND_CACHE.get(key);
  if (!r) KIND_CACHE.set(key, (r = { kind, keyed }));
  return r;
};

/** cheapest checks first: shape, then checksums, and the keyword lookup only when it matters */
function kindOf(ctx: ScanContext, c: NumberCandidate, all: NumberCandidate[]): { kind: NumberKind; keyed: boolean } | null {
  const { raw, digits } = c;
  const nd = digits.length;
  if (nd < 3) return null;
  // plain short numbers (counts, years, order numbers): only a CVV can be one
  if (nd < 6 && raw.length === nd) {
    if (nd > 4 && !EXPIRY_RE.test(raw)) return null;
    if (!ctx.memo('cvvWords', () => CVV_EXPIRY_WORDS_RE.test(ctx.normLower))) return null;
    const kw = nearestKeyword(ctx, c.start);
    if (kw === 'cvv' && nd <= 4 && cardContext(ctx, all)) return result('cvv', true);
    if (kw === 'expiry' && EXPIRY_RE.test(raw) && cardContext(ctx, all)) return result('expiry', true);
    return null;
  }
  const hasDot = raw.includes('.');
  if (hasDot && IPV4_RE.test(raw)) {
    const octets = raw.split('.');
    if (!octets.every((o) => Number(o) <= 255 && (o.length === 1 || o[0] !== '0'))) return null;
    // "version 1.2.3.4" is not an address, but "IP address 8.8.8.8" is
    if (nearestKeyword(ctx, c.start) !== 'id') return result('ip', false);
    return IP_CUE_RE.test(ctx.normLower.slice(Math.max(0, c.start - KEYWORD_WINDOW), c.start)) ? result('ip', true) : null;
  }
  const isDate = DATE_RE.test(raw);
  if (hasDot && !isDate && !DOTTED_PHONE_RE.test(raw)) return null; // prices, versions
  if (nd > 19) return null;
  // short numbers (prices, counts, years) matter only as a CVV or expiry next to a card
  if (!isDate && nd < 6 && !(nd <= 4 || EXPIRY_RE.test(raw))) return null;
  if (!isDate && nd < 6 && !cardContext(ctx, all)) return null;
  const kw = nearestKeyword(ctx, c.start);
  if (isDate) {
    if (kw === 'dob') return result('dob', true);
    if (kw === 'expiry' && EXPIRY_RE.test(raw)) return result('expiry', true);
    return null;
  }
  if (kw === 'id') return null;
  if (isCardNumber(c)) return result('card', kw === 'card');
  switch (kw) {
    case 'ssn':
      // grouped, an SSN reads 3-2-4: "536-228-726" is something else
      if (nd === 9 && ssnValid(digits) && (!/[-.]/.test(raw) || SSN_FORMAT_RE.test(raw))) return result('ssn', true);
      break;
    case 'routing':
      if (nd === 9 && abaValid(digits)) return result('routing', true);
      break;
    case 'account':
      if (nd >= 6 && nd <= 17 && !raw.includes('(')) return result('account', true);
      break;
    case 'cvv':
      if ((nd === 3 || nd === 4) && raw.length === nd && cardContext(ctx, all)) return result('cvv', true);
      break;
    case 'expiry':
      if (EXPIRY_RE.test(raw) && cardContext(ctx, all)) return result('expiry', true);
      break;
    case 'dob':
      if (nd >= 6 && nd <= 8 && DIGITS_SPACES_RE.test(raw)) return result('dob', true); // "one two oh four nineteen eighty five"
      break;
  }
  if (nd === 9 && SSN_FORMAT_RE.test(raw) && ssnValid(digits)) return result('ssn', kw === 'ssn');
  if (nd >= 7 && nd <= 15) return result('phone', kw === 'phone');
  return null;
}

/** SSA rules: area 001-899 except 666, group 01-99, serial 0001-9999 */
function ssnValid(d: string): boolean {
  const area = Number(d.slice(0, 3));
  return area > 0 && area !== 666 && area < 900 && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}
