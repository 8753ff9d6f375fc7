/** Cue words of the word-shaped pii detectors (data only: the shared lexicon pass finds them). */

export type PiiCue = 'us' | 'french' | 'nameFirst' | 'box' | 'dob' | 'name' | 'callMe' | 'weakName' | 'emailJoiner';

const US_SUFFIXES =
  'street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl terrace ter circle cir parkway pkwy highway hwy square sq trail trl alley crescent close plaza loop pike path crossing expressway freeway'.split(' ');
/** "allée" is left out: a word boundary after a non-ASCII letter never matches in a JS regex */
const FRENCH_STREETS = 'rue avenue boulevard bd chemin impasse quai'.split(' ');
const NAME_FIRST_STREETS = 'via viale piazza corso calle avenida carrer rua plaza'.split(' ');

export const PII_CUES = new Map<string, PiiCue[]>();
const add = (words: string[], cue: PiiCue) => words.forEach((w) => PII_CUES.set(w, [...(PII_CUES.get(w) ?? []), cue]));
add(US_SUFFIXES, 'us');
add(FRENCH_STREETS, 'french');
add(NAME_FIRST_STREETS, 'nameFirst');
add(['box'], 'box');
add(['born', 'birth', 'dob', 'd.o.b', 'birthday'], 'dob');
add(['name'], 'name');
add(['call'], 'callMe');
add(['speaking', 'calling', 'here'], 'weakName');
/** spoken emails ("john dot smith at …"): found by the shared pass, so pii.ts needs no pass of its own */
add(['dot', 'underscore'], 'emailJoiner');
