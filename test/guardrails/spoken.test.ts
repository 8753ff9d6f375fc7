import { describe, expect, it } from 'vitest';
import { normalizeSpoken, toOriginalSpan } from '../../src/guardrails/spoken.js';

const digitsOf = (text: string) => normalizeSpoken(text).text;

describe('spoken-number normaliser', () => {
  it('turns runs of digit words into digits', () => {
    expect(digitsOf('my card is four one one one one one one one one one one one one one one one thanks')).toBe('my card is 4111111111111111 thanks');
  });

  it('reads "oh" and "o" as zero, "double" / "triple" as repeats', () => {
    expect(digitsOf('five oh two, double seven, triple nine')).toBe('50277999');
    expect(digitsOf('nine o five')).toBe('905');
  });

  it('reads tens, teens, hundreds and years', () => {
    expect(digitsOf('forty one eleven')).toBe('4111');
    expect(digitsOf('nineteen eighty five')).toBe('1985');
    expect(digitsOf('one eight hundred five five five')).toBe('1800555');
    expect(digitsOf('five hundred five')).toBe('505');
    expect(digitsOf('two hundred twenty three')).toBe('223');
    expect(digitsOf('the twenty first of march')).toBe('the 21 of march');
  });

  it('converts spoken words between written digit groups, keeping the written groups as they are', () => {
    expect(digitsOf('415 five five five 2671')).toBe('415 555 2671');
  });

  it('keeps a leading "plus" as +', () => {
    expect(digitsOf('plus four four seven nine one one')).toBe('+447911');
  });

  it('leaves prose alone: a lone number word is not a number', () => {
    const prose = 'one of the two options is fine, oh well';
    expect(normalizeSpoken(prose)).toEqual({ text: prose, segments: [] });
    expect(digitsOf('I have 3 kids and one dog')).toBe('I have 3 kids and one dog');
  });

  it('does not glue a word onto a complete written number', () => {
    expect(digitsOf('card 4111 1111 1111 1111 one more thing')).toBe('card 4111 1111 1111 1111 one more thing');
  });

  it('maps every normalised span back to the original words', () => {
    const text = 'call four one five, five five five, two six seven one now';
    const n = normalizeSpoken(text);
    const start = n.text.indexOf('4155552671');
    const [s, e] = toOriginalSpan(n, start, start + 10);
    expect(text.slice(s, e)).toBe('four one five, five five five, two six seven one');
    // text after a replaced run maps by its offset shift
    const now = n.text.indexOf('now');
    expect(toOriginalSpan(n, now, now + 3)).toEqual([text.indexOf('now'), text.indexOf('now') + 3]);
    // a sub-span inside the run maps to the words that produced it
    const [s2, e2] = toOriginalSpan(n, start + 3, start + 6);
    expect(text.slice(s2, e2)).toBe('five five five');
  });

  it('is the identity (no map) when nothing is spoken', () => {
    const n = normalizeSpoken('call 415 555 2671');
    expect(n.segments).toHaveLength(0);
    expect(toOriginalSpan(n, 5, 17)).toEqual([5, 17]);
  });
});
