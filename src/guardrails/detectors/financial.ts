import type { ScanContext } from '../context.js';
import { IBAN_LENGTHS, ibanMod97Valid } from './checksums.js';
import { numberCandidates, type NumberKind } from './numbers.js';

/**
 * financial: payment card numbers (Luhn + issuer prefix), IBANs (mod-97 + country length), ABA routing
 * numbers (checksum + keyword), bank account numbers, CVV and expiry (only with a card in the text).
 */

const NUMERIC: Partial<Record<NumberKind, { detector: string; placeholder: string; score: number; keyedScore: number }>> = {
  card: { detector: 'card', placeholder: '[CARD]', score: 0.9, keyedScore: 0.99 },
  routing: { detector: 'routing_number', placeholder: '[ROUTING]', score: 0.9, keyedScore: 0.9 },
  account: { detector: 'bank_account', placeholder: '[ACCOUNT]', score: 0.75, keyedScore: 0.75 },
  cvv: { detector: 'cvv', placeholder: '[CVV]', score: 0.85, keyedScore: 0.85 },
  expiry: { detector: 'card_expiry', placeholder: '[EXPIRY]', score: 0.8, keyedScore: 0.8 },
};

/** two letters and two check digits start every IBAN */
const IBAN_START_RE = /\b[A-Za-z]{2}\d{2}(?=[ -]?[A-Za-z0-9])/g;
const IBAN_GATE_RE = /[A-Za-z]{2}\d{2}/;

export function detectFinancial(ctx: ScanContext): void {
  for (const c of numberCandidates(ctx)) {
    const spec = c.kind ? NUMERIC[c.kind] : undefined;
    if (spec) ctx.addNorm('financial', spec.detector, c.start, c.end, spec.placeholder, c.keyed ? spec.keyedScore : spec.score);
  }
  detectIbans(ctx);
}

function detectIbans(ctx: ScanContext): void {
  const text = ctx.norm.text;
  if (!IBAN_GATE_RE.test(text)) return;
  IBAN_START_RE.lastIndex = 0;
  for (let m = IBAN_START_RE.exec(text); m; m = IBAN_START_RE.exec(text)) {
    const end = ibanEnd(text, m.index);
    if (end > 0) {
      ctx.addNorm('financial', 'iban', m.index, end, '[IBAN]', 0.97);
      IBAN_START_RE.lastIndex = end;
    }
  }
}

/**
 * Read groups of letters/digits separated by single spaces or dashes; accept the shortest prefix that
 * ends on a group boundary, has the country's registered length (any length 15-34 for others) and
 * passes mod-97. Returns the end offset, or -1.
 */
function ibanEnd(text: string, start: number): number {
  const country = text.slice(start, start + 2).toUpperCase();
  const expected = IBAN_LENGTHS[country];
  let compact = '';
  const boundaries: Array<[number, number]> = []; // [compact length, text offset] at each group end
  let i = start;
  while (i < text.length && compact.length < 34) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      compact += text[i]!.toUpperCase();
      i++;
      if (i >= text.length || !isAlnum(text.charCodeAt(i))) boundaries.push([compact.length, i]);
    } else if ((c === 32 || c === 45) && i + 1 < text.length && isAlnum(text.charCodeAt(i + 1)) && compact.length > 0) {
      i++;
    } else break;
  }
  for (const [len, offset] of boundaries) {
    if (expected !== undefined ? len !== expected : len < 15) continue;
    if (ibanMod97Valid(compact.slice(0, len))) return offset;
  }
  return -1;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
