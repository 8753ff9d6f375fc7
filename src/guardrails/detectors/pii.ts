import { isIPv6 } from 'node:net';
import { parsePhoneNumberFromString, PhoneNumber, type CountryCode } from 'libphonenumber-js/max';
import type { ScanContext } from '../context.js';
import { numberCandidates, type NumberCandidate } from './numbers.js';
import { detectPiiText } from './pii-text.js';
import { isAsciiAlnum } from './chars.js';

/**
 * pii: emails (written and spoken "john at example dot com"), phone numbers (libphonenumber, region
 * aware), US SSNs, IPv4/IPv6 addresses, dates of birth, street addresses, and names after a cheap,
 * precise cue ("my name is …").
 */
export function detectPii(ctx: ScanContext): void {
  for (const c of numberCandidates(ctx)) {
    switch (c.kind) {
      case 'phone':
        if (validPhone(c, ctx.policy.regions)) ctx.addNorm('pii', 'phone', c.start, c.end, '[PHONE]', c.keyed ? 0.95 : 0.8);
        break;
      case 'ssn':
        ctx.addNorm('pii', 'ssn', c.start, c.end, '[SSN]', c.keyed ? 0.98 : 0.85);
        break;
      case 'ip':
        ctx.addNorm('pii', 'ip_address', c.start, c.end, '[IP]', 0.9);
        break;
      case 'dob':
        ctx.addNorm('pii', 'date_of_birth', c.start, c.end, '[DOB]', 0.9);
        break;
    }
  }
  detectEmails(ctx);
  detectSpokenEmails(ctx);
  detectIpv6(ctx);
  detectPiiText(ctx);
}

/** North American numbering plan regions: a cheap shape check saves most libphonenumber calls */
const NANP = new Set(['US', 'CA', 'PR', 'GU', 'VI', 'AS', 'MP', 'BS', 'BB', 'JM', 'TT', 'DO']);

/**
 * Validity by libphonenumber's full metadata, for an international number or a national one in any
 * of the policy's regions. NANP national numbers, whose shape we can read ourselves, try PhoneNumber
 * first (≈5 µs); the full parse (≈12 µs) also resolves calling codes shared by several countries
 * (+1: US, CA …; +44: GB, GG, IM, JE).
 */
function validPhone(c: NumberCandidate, regions: readonly CountryCode[]): boolean {
  const d = c.digits;
  if (c.raw.startsWith('+')) return parsePhoneNumberFromString(c.raw)?.isValid() === true;
  let nanpTried = false;
  for (const region of regions) {
    if (NANP.has(region)) {
      if (nanpTried) continue;
      nanpTried = true;
      const national = d.length === 11 && d[0] === '1' ? d.slice(1) : d;
      if (national.length !== 10 || national[0]! < '2' || national[3]! < '2') continue;
      try {
        if (new PhoneNumber(`+1${national}`).isValid()) return true;
      } catch {
        // not a NANP number: the full parse below decides
      }
    }
    if (parsePhoneNumberFromString(c.raw, region)?.isValid()) return true;
  }
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** [A-Za-z0-9.-], and with `local` also [_%+] */
function isAddressChar(c: number, local: boolean): boolean {
  return isAsciiAlnum(c) || c === 45 || c === 46 || (local && (c === 95 || c === 37 || c === 43));
}

/** written emails: find each '@' and grow the address around it (cheaper than a regex over the text) */
function detectEmails(ctx: ScanContext): void {
  const t = ctx.text;
  for (let at = t.indexOf('@'); at >= 0; at = t.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && isAddressChar(t.charCodeAt(s - 1), true)) s--;
    while (s < at && (t[s] === '.' || t[s] === '-')) s++;
    let e = at + 1;
    while (e < t.length && isAddressChar(t.charCodeAt(e), false)) e++;
    while (e > at + 1 && (t[e - 1] === '.' || t[e - 1] === '-')) e--;
    if (s === at || e === at + 1) continue;
    const domain = t.slice(at + 1, e);
    const dot = domain.lastIndexOf('.');
    if (dot <= 0 || !/^[A-Za-z]{2,24}$/.test(domain.slice(dot + 1))) continue;
    // "git@github.com:org/repo.git" is an scp-style remote, not a mailbox
    if (t.charCodeAt(e) === 58 && e + 1 < t.length && !isSpace(t.charCodeAt(e + 1))) continue;
    ctx.add('pii', 'email', s, e, '[EMAIL]', 0.99);
  }
}

const SPOKEN_TLD = 'com|net|org|edu|gov|mil|io|co|in|uk|us|de|fr|es|it|nl|ch|se|ca|au|jp|ai|me|info|biz';
/** after " at ": a domain whose parts are joined by "dot" (or '.') and that ends in a common TLD */
const SPOKEN_DOMAIN_RE = new RegExp(
  `(?:the[ ]+rate[ ]+)?[a-z0-9-]+(?:(?:[ ]+dot[ ]+|\\.)[a-z0-9-]+)*(?:[ ]+dot[ ]+|\\.)(?:${SPOKEN_TLD})\\b`,
  'y',
);
/**
 * before " at ": words joined by dot / underscore / dash, read from the end. The leftmost match
 * never starts inside a word (it would extend to the word's start), so the lookbehind changes no
 * result; it only spares the engine retrying from every letter of every word in the window.
 */
const SPOKEN_LOCAL_RE = /(?<![a-z0-9])(?:[a-z0-9]+(?:[ ]+(?:dot|underscore|dash|hyphen)[ ]+|[._-]))*[a-z0-9]+$/;
const NOT_A_LOCAL_PART = new Set(['me', 'us', 'him', 'her', 'them', 'you', 'it', 'is', 'was', 'email', 'mail', 'address', 'be', 'reach', 'online', 'look', 'go']);

function detectSpokenEmails(ctx: ScanContext): void {
  const lower = ctx.lower;
  // a spoken address always spells a joiner ("dot" or "underscore"): look for " at " only near one
  let searchedTo = 0;
  for (const joiner of ['dot', 'underscore']) {
    for (const j of joinerOffsets(ctx, joiner)) {
      const from = Math.max(searchedTo, j - 80);
      const to = Math.min(lower.length, j + 80);
      for (let at = spacedWord(lower, 'at', from); at >= 0 && at < to; at = spacedWord(lower, 'at', at + 1)) spokenEmailAt(ctx, at);
      searchedTo = Math.max(searchedTo, to);
    }
    searchedTo = 0;
  }
}

/** offsets of ` ${joiner} ` in the lower-cased text, from the shared lexicon pass when it holds the pii cues */
function joinerOffsets(ctx: ScanContext, joiner: string): number[] {
  const lower = ctx.lower;
  const out: number[] = [];
  if (ctx.policy.lexicon?.has.pii) {
    for (const h of ctx.lexicon.pii) {
      if (h.word === joiner && lower.charCodeAt(h.start - 1) === 32 && lower.charCodeAt(h.start + joiner.length) === 32) out.push(h.start - 1);
    }
  } else {
    for (let j = spacedWord(lower, joiner, 0); j >= 0; j = spacedWord(lower, joiner, j + 1)) out.push(j);
  }
  return out;
}

/**
 * lower.indexOf(` ${word} `, from), found by the word itself: V8 scans for a pattern's first
 * character, and a leading space (every fifth character of prose) made that several times slower.
 */
function spacedWord(lower: string, word: string, from: number): number {
  for (let i = lower.indexOf(word, from + 1); i >= 0; i = lower.indexOf(word, i + 1)) {
    if (lower.charCodeAt(i - 1) === 32 && lower.charCodeAt(i + word.length) === 32) return i - 1;
  }
  return -1;
}

function spokenEmailAt(ctx: ScanContext, at: number): void {
  const lower = ctx.lower;
  SPOKEN_DOMAIN_RE.lastIndex = at + 4;
  const dm = SPOKEN_DOMAIN_RE.exec(lower);
  if (!dm) return;
  // a written domain after a spoken " at " counts only when the local part is spelled out too
  const spokenDomain = dm[0].includes(' dot ');
  const windowStart = Math.max(0, at - 80);
  const lm = SPOKEN_LOCAL_RE.exec(lower.slice(windowStart, at));
  if (!lm) return;
  const local = lm[0];
  if (NOT_A_LOCAL_PART.has(local)) return;
  if (!spokenDomain && !/ (?:dot|underscore) /.test(local)) return;
  const start = windowStart + lm.index;
  const end = at + 4 + dm[0].length;
  if (ctx.findings.some((f) => f.detector === 'email' && f.start === start)) return;
  ctx.add('pii', 'email', start, end, '[EMAIL]', spokenDomain ? 0.9 : 0.8);
}

/** [0-9A-Fa-f:] */
function isHexOrColon(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** IPv6: grow a run of hex digits and colons around each '::' or 'x:y:z' and let node:net decide */
function detectIpv6(ctx: ScanContext): void {
  const t = ctx.text;
  let searchFrom = 0;
  for (let colon = t.indexOf(':'); colon >= 0; colon = t.indexOf(':', searchFrom)) {
    let s = colon;
    while (s > 0 && isHexOrColon(t.charCodeAt(s - 1))) s--;
    let e = colon + 1;
    while (e < t.length && isHexOrColon(t.charCodeAt(e))) e++;
    searchFrom = e + 1;
    if (e - s < 6 || /[\w.]/.test(t[s - 1] ?? ' ') || /\w/.test(t[e] ?? ' ')) continue;
    const candidate = t.slice(s, e);
    // without '::' an address spells all eight groups: times ("10:30:00") skip node's large regex
    if (!candidate.includes('::') && candidate.split(':').length !== 8) continue;
    if (candidate.split(':').filter((g) => g.length > 0).length >= 3 && isIPv6(candidate)) ctx.add('pii', 'ip_address', s, e, '[IP]', 0.9);
  }
}
