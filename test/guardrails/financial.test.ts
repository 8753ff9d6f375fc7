import { describe, expect, it } from 'vitest';
import { abaValid, IBAN_LENGTHS, ibanMod97Valid, luhnValid, plausibleCard } from '../../src/guardrails/detectors/checksums.js';
import { found } from './helpers.js';

const fin = (text: string) => found(text, 'financial');

describe('checksums', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
  });

  it('issuer prefixes and lengths', () => {
    expect(plausibleCard('4111111111111111')).toBe(true); // Visa 16
    expect(plausibleCard('378282246310005')).toBe(true); // Amex 15
    expect(plausibleCard('2223003122003222')).toBe(true); // Mastercard 2-series
    expect(plausibleCard('1234567812345670')).toBe(false); // Luhn-valid, no scheme starts with 1
  });

  it('IBAN mod-97', () => {
    expect(ibanMod97Valid('DE89370400440532013000')).toBe(true);
    expect(ibanMod97Valid('GB29NWBK60161331926819')).toBe(true);
    expect(ibanMod97Valid('DE89370400440532013001')).toBe(false);
  });

  it('ABA routing checksum', () => {
    expect(abaValid('021000021')).toBe(true);
    expect(abaValid('011000015')).toBe(true);
    expect(abaValid('123456789')).toBe(false);
  });
});

describe('financial: cards', () => {
  it('finds Luhn-valid card numbers in the usual groupings', () => {
    expect(fin('My card number is 4111 1111 1111 1111.')).toEqual(['card:4111 1111 1111 1111']);
    expect(fin('use 4242-4242-4242-4242 please')).toEqual(['card:4242-4242-4242-4242']);
    expect(fin('my amex is 3782 822463 10005')).toEqual(['card:3782 822463 10005']);
    expect(fin('card 5555555555554444')).toEqual(['card:5555555555554444']);
  });

  it('finds spoken card numbers and maps them to the words', () => {
    const text = 'my credit card number is four one one one one one one one one one one one one one one one thanks';
    expect(fin(text)).toEqual(['card:four one one one one one one one one one one one one one one one']);
    expect(fin('card number four two four two, four two four two, four two four two, four two four two')).toEqual([
      'card:four two four two, four two four two, four two four two, four two four two',
    ]);
  });

  it('ignores numbers that fail Luhn, have no card scheme, or are named as ids', () => {
    expect(fin('Invalid card: 1234567890123456 should not pass Luhn')).toEqual([]);
    expect(fin('the order number is 4111 1111 1111 1111')).toEqual([]);
    expect(fin('the serial number is 4539 1488 0343 6467')).toEqual([]);
    expect(fin('tracking 9400 1000 0000 0000 0000 00')).toEqual([]);
  });

  it('finds CVV and expiry only with a card in the text', () => {
    expect(fin('the number is 4000 0566 5566 5556, expiry 12/27, cvv 123')).toEqual([
      'card:4000 0566 5566 5556',
      'card_expiry:12/27',
      'cvv:123',
    ]);
    expect(fin('the code is 123 and it expires 12/27')).toEqual([]);
    expect(fin('expiry 12/27, and the billing address is 742 Evergreen Terrace, visa card')).toEqual(['card_expiry:12/27']);
  });
});

describe('financial: IBAN, routing and account numbers', () => {
  it('finds IBANs (grouped, compact, lower case) and stops at the registered length', () => {
    expect(fin('My IBAN is DE89 3704 0044 0532 0130 00 and that is all.')).toEqual(['iban:DE89 3704 0044 0532 0130 00']);
    expect(fin('iban GB29 NWBK 6016 1331 9268 19')).toEqual(['iban:GB29 NWBK 6016 1331 9268 19']);
    expect(fin('the account is NL91ABNA0417164300')).toEqual(['iban:NL91ABNA0417164300']);
    expect(fin('iban de89 3704 0044 0532 0130 00')).toEqual(['iban:de89 3704 0044 0532 0130 00']);
  });

  it('rejects IBAN-shaped strings that fail mod-97', () => {
    expect(fin('DE89 3704 0044 0532 0130 01')).toEqual([]);
    expect(fin('the product code is DE89-ALPHA')).toEqual([]);
  });

  it('finds routing numbers (ABA checksum + keyword) and account numbers after an account keyword', () => {
    expect(fin('my routing number is 021000021')).toEqual(['routing_number:021000021']);
    expect(fin('routing number one two one zero zero zero two four eight')).toEqual(['routing_number:one two one zero zero zero two four eight']);
    expect(fin('routing number 123456789 is what they told me')).toEqual([]);
    expect(fin('my account number is 123456789012')).toEqual(['bank_account:123456789012']);
    expect(fin('My account is fine, but 1234567890 is the number on the parcel.')).toEqual([]);
    expect(fin('my account was opened in 2019')).toEqual([]);
  });
});

describe('financial: the false-positive list', () => {
  it.each([
    'version 4.1.1.1 of the app',
    'commit 4111111111111111abcdef is tagged',
    'order 4532015112830366 shipped today',
    'timestamp 1699999999999 in milliseconds',
    'I paid $1,299.00 with my card',
    'the hash is 5f4dcc3b5aa765d61d8327deb882cf99',
    'UUID 123e4567-e89b-12d3-a456-426614174000',
    'my card ends in 1111',
  ])('%s', (text) => {
    expect(fin(text)).toEqual([]);
  });
});

describe('financial: IBANs of every registered country', () => {
  /** a valid IBAN for a country: numeric BBAN of the registered length, check digits computed */
  function makeIban(country: string, length: number, seed: number, bankLetters = ''): string {
    let bban = bankLetters;
    for (let i = bban.length; i < length - 4; i++) bban += String((seed * 7 + i * 13) % 10);
    const digits = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
    let rem = 0;
    for (const ch of digits) rem = (rem * 10 + Number(ch)) % 97;
    return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
  }

  it.each(Object.entries(IBAN_LENGTHS))('%s (%i characters), compact and grouped by four', (country, length) => {
    const iban = makeIban(country, length, country.charCodeAt(0) + country.charCodeAt(1));
    expect(ibanMod97Valid(iban)).toBe(true);
    expect(fin(`please pay into ${iban} today`)).toEqual([`iban:${iban}`]);
    const grouped = iban.replace(/(.{4})(?=.)/g, '$1 ');
    expect(fin(`please pay into ${grouped} today`)).toEqual([`iban:${grouped}`]);
    // many countries carry a bank code in letters ("GB29 NWBK …")
    const lettered = makeIban(country, length, 3, 'NWBK');
    expect(fin(`iban: ${lettered}.`)).toEqual([`iban:${lettered}`]);
    expect(fin(`iban: ${lettered.replace(/(.{4})(?=.)/g, '$1 ')}.`)).toHaveLength(1);
  });
});

describe('financial: IBANs written with a space after the country code', () => {
  it('finds "AL 47 2121 …" and "GB 29 NWBK …", not "AT 12 noon"', () => {
    expect(fin('the IBAN is AL 47 2121 1009 0000 0002 3569 8741')).toEqual(['iban:AL 47 2121 1009 0000 0002 3569 8741']);
    expect(fin('IBAN GB 29 NWBK 6016 1331 9268 19 please')).toEqual(['iban:GB 29 NWBK 6016 1331 9268 19']);
    expect(fin('we meet AT 12 noon')).toEqual([]);
  });
});
