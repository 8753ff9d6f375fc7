/** ASCII character classes by char code: a scan loop tests one code instead of a one-character regex. */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

/** regex `\w` (false for NaN, a position outside the text) */
export function isAsciiWord(c: number): boolean {
  return isAsciiAlnum(c) || c === 95;
}

/** is there a digit in t[from, to)? */
export function hasDigit(t: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isDigit(t.charCodeAt(i))) return true;
  return false;
}
