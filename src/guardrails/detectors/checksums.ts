/** Check-digit algorithms that turn "a run of digits" into "almost certainly a card / IBAN / routing number". */

/** Luhn (ISO/IEC 7812) over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes of the card schemes (Visa, Mastercard incl. 2-series, Amex, Discover, JCB, Diners,
 * UnionPay, Maestro, Mir, RuPay) with their lengths. A Luhn-valid number outside these is an id, not a card.
 */
export function plausibleCard(digits: string): boolean {
  const n = digits.length;
  if (n < 13 || n > 19) return false;
  const d1 = digits.charCodeAt(0) - 48;
  const d2 = Number(digits.slice(0, 2));
  const d4 = Number(digits.slice(0, 4));
  switch (d1) {
    case 4: // Visa
      return n === 13 || n === 16 || n === 19;
    case 5: // Mastercard 51-55, Maestro 50/56-59
      return d2 >= 51 && d2 <= 55 ? n === 16 : n >= 12;
    case 2: // Mastercard 2221-2720, Mir 2200-2204
      return (d4 >= 2221 && d4 <= 2720 && n === 16) || (d4 >= 2200 && d4 <= 2204 && n >= 16);
    case 3: // Amex 34/37, JCB 3528-3589, Diners 36/38/300-305
      if (d2 === 34 || d2 === 37) return n === 15;
      if (d4 >= 3528 && d4 <= 3589) return n >= 16;
      return d2 === 36 || d2 === 38 || (d2 === 30 && d4 <= 3059) ? n >= 14 : false;
    case 6: // Discover 6011/644-649/65, UnionPay 62, Maestro 6x, RuPay 60/65
      return n >= 16 || (d2 === 63 || d2 === 67 ? n >= 12 : false);
    default:
      return false;
  }
}

/** ABA routing number: 9 digits, weights 3-7-1, valid Federal Reserve prefix. */
export function abaValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const prefix = Number(digits.slice(0, 2));
  const prefixOk = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!prefixOk) return false;
  const w = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * w[i % 3]!;
  return sum % 10 === 0 && digits !== '000000000';
}

/** IBAN lengths of the countries in the SWIFT IBAN registry; others are checked by mod-97 alone. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
  IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24,
  ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23,
  ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** ISO 13616 mod-97 over an IBAN without spaces (uppercase letters and digits). */
export function ibanMod97Valid(iban: string): boolean {
  const n = iban.length;
  if (n < 15 || n > 34) return false;
  let rem = 0;
  // move the first four characters to the end; letters count as 10..35
  for (let k = 0; k < n; k++) {
    const c = iban.charCodeAt((k + 4) % n);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}
