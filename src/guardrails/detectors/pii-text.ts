import type { ScanContext } from '../context.js';

/** Word-shaped pii: street addresses and names after an explicit cue. */

/** function words never appear inside a street name: "5 blocks down the road" is not an address */
export const NOT_IN_ADDRESS = new Set(
  'a an the at on in of to and or for from with by my your our his her their is are was were be i we you he she it they this that than per about over into up down more less very just only also'.split(' '),
);
const SUFFIX =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|alley|crescent|close|plaza|loop|pike|path|crossing|expressway|freeway';
const UNIT = '(?:,?[ ]+(?:apt|apartment|suite|ste|unit|floor|fl|#)\\.?[ ]*#?[a-z0-9-]{1,6}\\b)?';
/**
 * "1600 Pennsylvania Avenue NW", "742 evergreen terrace", "4 5 6 main street" (after normalisation).
 * Found from the street suffix (rare in prose), then back to a house number at most four words earlier.
 */
const STREET_SUFFIX_RE = new RegExp(`\\b(?:${SUFFIX})\\b`, 'gi');
const HOUSE_NUMBER_BEFORE_RE = /\b\d{1,6}[a-z]?((?:[ ]+[a-z][a-z'.-]*){1,4})[ ]+$/i;
const AFTER_SUFFIX_RE = new RegExp(`^\\.?(?:[ ]+(?:n|s|e|w|ne|nw|se|sw)\\b\\.?)?${UNIT}`, 'i');
/** "Hauptstraße 5", "Koskikatu 25", "Kungsgatan 12": found from the suffix, then back to a capitalised word start */
const STREET_SUFFIX_THEN_NUMBER_RE =
  /(?:straße|strasse|str\.|weg|platz|gasse|allee|damm|katu|tie|gatan|vägen|vej|gade|straat|laan|plein|gracht)[ ]+\d{1,5}[a-z]?\b/g;
const LETTER_RE = /[A-Za-zÀ-ÖØ-öø-ÿ]/;
/** "12 rue de la Paix", "Via Roma 12", "Calle Mayor 5" */
const ROMANCE_ADDRESS_RE =
  /\b(?:\d{1,4}(?:bis|ter)?,?[ ]+(?:rue|avenue|boulevard|bd|chemin|allée|impasse|quai)[ ]+(?:(?:de|du|des|la|le|l'|d')[ ]*){0,2}[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'-]+|(?:Via|Viale|Piazza|Corso|Calle|Avenida|Carrer|Rua|Plaza)[ ]+(?:(?:de|del|della|di|da|do|dos|la)[ ]+)?[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'-]+(?:[ ]+[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'-]+)?,?[ ]+\d{1,4})\b/g;
const PO_BOX_RE = /\bp\.?[ ]?o\.?[ ]+box[ ]+\d{1,6}\b/gi;

export function detectAddresses(ctx: ScanContext): void {
  const norm = ctx.norm.text;
  const cased = hasCapitals(ctx.text);
  STREET_SUFFIX_RE.lastIndex = 0;
  for (let m = STREET_SUFFIX_RE.exec(norm); m; m = STREET_SUFFIX_RE.exec(norm)) {
    const from = Math.max(0, m.index - 64);
    const house = HOUSE_NUMBER_BEFORE_RE.exec(norm.slice(from, m.index));
    if (!house) continue;
    const words = house[1]!.trim().split(/[ ]+/);
    if (words.some((w) => NOT_IN_ADDRESS.has(w.toLowerCase()))) continue;
    // in properly cased text a street name is capitalised: "3 apples at the street market" is prose
    if (cased && (words.some((w) => !isCapitalised(w)) || !isCapitalised(m[0]))) continue;
    const end = m.index + m[0].length + (AFTER_SUFFIX_RE.exec(norm.slice(m.index + m[0].length, m.index + m[0].length + 24))?.[0].length ?? 0);
    ctx.addNorm('pii', 'street_address', from + house.index, end, '[ADDRESS]', 0.85);
  }
  STREET_SUFFIX_THEN_NUMBER_RE.lastIndex = 0;
  for (let m = STREET_SUFFIX_THEN_NUMBER_RE.exec(norm); m; m = STREET_SUFFIX_THEN_NUMBER_RE.exec(norm)) {
    let s = m.index;
    while (s > 0 && LETTER_RE.test(norm[s - 1]!)) s--;
    if (!isCapitalised(norm.slice(s, s + 1))) continue;
    ctx.addNorm('pii', 'street_address', s, m.index + m[0].length, '[ADDRESS]', 0.8);
  }
  for (const re of [ROMANCE_ADDRESS_RE, PO_BOX_RE]) {
    re.lastIndex = 0;
    for (let m = re.exec(norm); m; m = re.exec(norm)) ctx.addNorm('pii', 'street_address', m.index, m.index + m[0].length, '[ADDRESS]', 0.8);
  }
}

/** strong cues: "my name is", "name:", "call me"; the word before "name" is checked in code */
const NAME_CUE_RE = /\b(?:name(?:[ ]+is|'s|[ ]*:|[ ]+on[ ]+the[ ]+(?:card|account)[ ]+is)|call[ ]+me)[ ]+/gi;
const NAME_OWNER_RE = /(?:^|\b(?:my|your|his|her|their|full|first|last|middle|legal|maiden|the|caller's|card)[ ]+|[\n(])$/i;
/** weak cues ("this is", "I'm") only count before "speaking / calling / here": found from the trailer back */
const NAME_TRAILER_RE = /\b(?:speaking|calling|here)\b/gi;
const WEAK_CUE_BEFORE_RE = /\b(?:this[ ]+is|i'm|i[ ]+am)[ ]+([A-Za-z][A-Za-z'-]+(?:[ ]+[A-Za-z][A-Za-z'-]+)?)[ ,]+$/i;
const NAME_WORD_RE = /[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'-]*/y;
/** words that follow the cues but are not names ("call me back", "I'm not sure", "this is great") */
const NOT_A_NAME = new Set(
  (
    'a an the and or but so if then than to at on in of for from with by as is was be been not no yes just really very ' +
    'back later tomorrow today tonight now again soon sometime anytime whenever when please maybe actually also still ' +
    'i you he she we they it me him her us them my your his our their this that there here what who how why where ' +
    'calling speaking sorry sure fine good great okay ok well glad happy afraid going trying looking interested ' +
    'um uh like so and gonna wanna unknown none unsure anonymous private'
  ).split(' '),
);

export function detectNames(ctx: ScanContext): void {
  const t = ctx.text;
  const cased = hasCapitals(t);
  NAME_CUE_RE.lastIndex = 0;
  for (let m = NAME_CUE_RE.exec(t); m; m = NAME_CUE_RE.exec(t)) {
    if (m[0][0] !== 'c' && m[0][0] !== 'C' && !NAME_OWNER_RE.test(t.slice(Math.max(0, m.index - 24), m.index))) continue;
    const span = nameAfter(t, m.index + m[0].length, cased);
    if (!span) continue;
    ctx.add('pii', 'person_name', span[0], span[1], '[NAME]', 0.8);
    NAME_CUE_RE.lastIndex = span[1];
  }
  NAME_TRAILER_RE.lastIndex = 0;
  for (let m = NAME_TRAILER_RE.exec(t); m; m = NAME_TRAILER_RE.exec(t)) {
    const from = Math.max(0, m.index - 48);
    const cue = WEAK_CUE_BEFORE_RE.exec(t.slice(from, m.index));
    if (!cue) continue;
    const nameStart = from + cue.index + cue[0].lastIndexOf(cue[1]!);
    const span = nameAfter(t, nameStart, cased);
    if (span && span[1] === nameStart + cue[1]!.length) ctx.add('pii', 'person_name', span[0], span[1], '[NAME]', 0.7);
  }
}

/** one to three name words from `pos`: not function words, capitalised when the text uses capitals */
function nameAfter(t: string, pos: number, cased: boolean): [number, number] | null {
  let start = -1;
  let end = -1;
  for (let n = 0; n < 3; n++) {
    NAME_WORD_RE.lastIndex = pos;
    const w = NAME_WORD_RE.exec(t);
    if (!w) break;
    const word = w[0];
    if (NOT_A_NAME.has(word.toLowerCase()) || word.length < 2) break;
    // in cased text names are capitalised; lower-case transcripts carry no such signal
    if (cased && !isCapitalised(word)) break;
    if (start < 0) start = w.index;
    end = w.index + word.length;
    pos = end + 1;
    if (t[end] !== ' ') break;
  }
  return start < 0 ? null : [start, end];
}

function hasCapitals(t: string): boolean {
  return /[A-Z]/.test(t);
}

function isCapitalised(w: string): boolean {
  const c = w.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 192 && c <= 222);
}
