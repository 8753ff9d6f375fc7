import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

const pii = (text: string, region?: string) => found(text, 'pii', region ? { region } : {});

describe('pii: emails', () => {
  it('finds written addresses and trims punctuation', () => {
    expect(pii('Write to jane.doe+billing@mail.example.co.uk.')).toEqual(['email:jane.doe+billing@mail.example.co.uk']);
    expect(pii('<support@company.com>')).toEqual(['email:support@company.com']);
  });

  it('finds spoken addresses and maps them to the spoken words', () => {
    expect(pii('you can email me on sachin dot rao at rediffmail dot com')).toEqual(['email:sachin dot rao at rediffmail dot com']);
    expect(pii("it's priya underscore mehta at gmail dot com")).toEqual(['email:priya underscore mehta at gmail dot com']);
    expect(pii('send it to john at example dot com')).toEqual(['email:john at example dot com']);
  });

  it('does not fire on near misses', () => {
    expect(pii('not@email without a TLD')).toEqual([]);
    expect(pii('look at example.com for details')).toEqual([]);
    expect(pii('meet me at the station dot com-style cafe')).toEqual([]);
    expect(pii('email me at noon')).toEqual([]);
  });
});

describe('pii: false positives and near misses from the public sets', () => {
  it('an IP address after the word "address" is found; a version is not', () => {
    expect(pii('my IP address is 8.8.8.8')).toEqual(['ip_address:8.8.8.8']);
    expect(pii('firmware version 1.2.3.4 is out')).toEqual([]);
  });

  it('an scp-style git remote is not an email', () => {
    expect(pii('clone git@github.com:org/repo.git first')).toEqual([]);
    expect(pii('mail git@github.com: they answer')).toEqual(['email:git@github.com']);
  });

  it('an SSN grouped other than 3-2-4 is not an SSN', () => {
    expect(pii('my ssn is 536-228-726')).toEqual([]);
    expect(pii('my ssn is 536-22-8726')).toEqual(['ssn:536-22-8726']);
  });
});

describe('pii: phone numbers (libphonenumber, region aware)', () => {
  it('finds common written formats', () => {
    expect(pii('Call me back at (415) 555-2671 after five.')).toEqual(['phone:(415) 555-2671']);
    expect(pii('text me at 415.555.2671')).toEqual(['phone:415.555.2671']);
    expect(pii('reach me on +44 20 7946 0958')).toEqual(['phone:+44 20 7946 0958']);
  });

  it('uses the policy region for national numbers', () => {
    expect(pii('ring 020 7946 0958 tomorrow', 'GB')).toEqual(['phone:020 7946 0958']);
    expect(pii('ring 020 7946 0958 tomorrow', 'US')).toEqual([]);
  });

  it('reads national numbers of every region in `regions` (after `region`), written and spoken', () => {
    const regions = (text: string, list: string[]) => found(text, 'pii', { regions: list });
    expect(regions('ring 020 7946 0958 tomorrow', ['CA', 'GB'])).toEqual(['phone:020 7946 0958']);
    expect(regions('my mobile is oh seven nine one one, one two three four five six', ['GB'])).toEqual([
      'phone:oh seven nine one one, one two three four five six',
    ]);
    expect(regions('my number is 98765 43210', ['IN'])).toEqual(['phone:98765 43210']);
    expect(regions('my number is 98765 43210', ['GB'])).toEqual([]);
    // a NANP number outside the US is valid with the default region too (the fast path once missed it)
    expect(pii('call me at (416) 979-2671')).toEqual(['phone:(416) 979-2671']);
  });

  it('finds spoken numbers, including "oh" and "plus"', () => {
    expect(pii('my cell is four one five five five five two six seven one')).toEqual(['phone:four one five five five five two six seven one']);
    expect(pii('the number is two one two, five five five, oh one nine nine')).toEqual(['phone:two one two, five five five, oh one nine nine']);
    expect(pii('call me on plus four four seven nine one one one two three four five six')).toEqual([
      'phone:plus four four seven nine one one one two three four five six',
    ]);
  });

  it('rejects numbers that are not valid phone numbers or are ids', () => {
    expect(pii('the timestamp was 1700000000')).toEqual([]);
    expect(pii('my order number is 4155552671')).toEqual([]);
    expect(pii('ticket 5512098733 was closed')).toEqual([]);
    expect(pii('it happened at 2024-01-15 10:30:00 UTC')).toEqual([]);
  });
});

describe('pii: SSN, IP, date of birth', () => {
  it('finds formatted SSNs, and bare nine digits only after an SSN keyword', () => {
    expect(pii('SSN: 078-05-1120')).toEqual(['ssn:078-05-1120']);
    expect(pii('social security number 123456789')).toEqual(['ssn:123456789']);
    expect(pii('my social is one two three four five six seven eight nine')).toEqual(['ssn:one two three four five six seven eight nine']);
    expect(pii('the part number is 123456789')).toEqual([]);
    expect(pii('SSN 666-12-3456 is not a valid area')).toEqual([]);
  });

  it('finds IPv4 and IPv6 addresses but not versions', () => {
    expect(pii('The server IP is 192.168.1.20.')).toEqual(['ip_address:192.168.1.20']);
    expect(pii('the ipv6 address is 2001:db8::8a2e:370:7334')).toEqual(['ip_address:2001:db8::8a2e:370:7334']);
    expect(pii('upgrade to firmware 10.2.3.4 first')).toEqual([]);
    expect(pii('version 2.4.1 and 300.1.1.1')).toEqual([]);
    expect(pii('the ratio is 16:9 and the game ends at 21:00:00')).toEqual([]);
  });

  it('finds dates of birth only next to a birth keyword', () => {
    expect(pii('My date of birth is 03/14/1988.')).toEqual(['date_of_birth:03/14/1988']);
    expect(pii('I was born on April 12, 1985.')).toEqual(['date_of_birth:April 12, 1985']);
    expect(pii('I was born on the twenty first of march nineteen ninety')).toEqual(['date_of_birth:twenty first of march nineteen ninety']);
    expect(pii('The invoice is dated April 12, 1985.')).toEqual([]);
    expect(pii('I was born in a small town in Ohio')).toEqual([]);
  });
});

describe('pii: street addresses and names', () => {
  it('finds street addresses, including spoken house numbers', () => {
    expect(pii('I live at 742 Evergreen Terrace, Springfield.')).toEqual(['street_address:742 Evergreen Terrace']);
    expect(pii('The address is 350 Fifth Avenue, Suite 3400.')).toEqual(['street_address:350 Fifth Avenue, Suite 3400']);
    expect(pii('send it to four five six maple drive')).toEqual(['street_address:four five six maple drive']);
    expect(pii('the parcel goes to Hauptstraße 5 in Berlin')).toEqual(['street_address:Hauptstraße 5']);
  });

  it('does not take prose with a number and a street word for an address', () => {
    expect(pii('I bought 3 apples at the street market')).toEqual([]);
    expect(pii('it is about 5 blocks down the road')).toEqual([]);
    expect(pii('We walked 5 blocks down Main Road')).toEqual([]);
  });

  it('finds names only after a precise cue', () => {
    expect(pii('Hi, my name is Dana Whitfield.')).toEqual(['person_name:Dana Whitfield']);
    expect(pii('my name is anita patel i work in pune')).toEqual(['person_name:anita patel']);
    expect(pii('This is Michael Chen speaking.')).toEqual(['person_name:Michael Chen']);
    expect(pii("the name on the card is Sarah O'Connor")).toEqual(["person_name:Sarah O'Connor"]);
  });

  it('does not take cue words followed by ordinary words for names', () => {
    expect(pii('call me back tomorrow')).toEqual([]);
    expect(pii('my name is not important')).toEqual([]);
    expect(pii('This is great, thank you.')).toEqual([]);
    expect(pii("I'm Canadian and this is my first call")).toEqual([]);
    expect(pii('The product name is Echo.')).toEqual([]);
  });
});

describe('pii: the false-positive list', () => {
  it.each([
    'Version 2.4.1 fixes the router issue.',
    'commit 9f86d081884c7d659a2feaa0c55ad015 broke the build',
    'order #88231 still has not arrived',
    'the tracking number is 1Z999AA10123456784',
    'log line 2023-11-02T14:05:33Z shows the error',
    'It cost $49.99 per month, 1,299.00 in total.',
    'Please ignore the noise in the background.',
    'the request id is 550e8400-e29b-41d4-a716-446655440000',
    'the meeting is at 10:30 in room 101',
  ])('%s', (text) => {
    expect(pii(text)).toEqual([]);
  });
});
