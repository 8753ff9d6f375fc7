import type { ScanContext } from '../context.js';
import { IBAN_LENGTHS, ibanMod97Valid } from './checksums.js';
import { ibanStarts, numberCandidates, type NumberKind } from './numbers.js';
import { isAsciiAlnum } from './chars.js';

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


export function detectFinancial(ctx: ScanContext): void {
  for (const c of numberCandidates(ctx)) {
    const spec = c.kind ? NUMERIC[c.kind] : undefined;
    if (spec) ctx.addNorm('financial', spec.detector, c.start, c.end, spec.placeholder, c.keyed ? spec.keyedScore : spec.score);
  }
  detectIbans(ctx);
}

/** two letters and two check digits start every IBAN; the numeric pass already found where */
function detectIbans(ctx: ScanContext): void {
  const text = ctx.norm.text;
  let after = 0;
  for (const start of ibanStarts(ctx)) {
    if (start < after) continue;
    const end = ibanEnd(text, start);
    if (end > 0) {
      ctx.addNorm('financial', 'iban', start, end, '[IBAN]', 0.97);
      after = end;
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
    if (isAsciiAlnum(c)) {
      compact += text[i]!.toUpperCase();
      i++;
      if (i >= text.length || !isAsciiAlnum(text.charCodeAt(i))) boundaries.push([compact.length, i]);
    } else if ((c === 32 || c === 45) && i + 1 < text.length && isAsciiAlnum(text.charCodeAt(i + 1)) && compact.length > 0) {
      i++;
    } else break;
  }
  for (const [len, offset] of boundaries) {
    if (expected !== undefined ? len !== expected : len < 15) continue;
    if (ibanMod97Valid(compact.slice(0, len))) return offset;
  }
  return -1;
}

