import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

const med = (text: string) => found(text, 'medical');

describe('medical', () => {
  it('finds conditions, medications and procedures next to a context word', () => {
    expect(med('I have diabetes and take metformin 500 mg twice a day.')).toEqual([
      'medical.condition:diabetes',
      'medical.medication:metformin',
      'medical.medication:500 mg',
    ]);
    expect(med("I'm pregnant, due in October")).toEqual(['medical.condition:pregnant']);
    expect(med('he had a heart attack in March')).toEqual(['medical.condition:heart attack']);
    expect(med('my MRI is scheduled for next Tuesday')).toEqual(['medical.procedure:MRI']);
  });

  it('counts two nearby lexicon terms as context for each other', () => {
    expect(med('she is on chemo for lymphoma')).toEqual(['medical.procedure:chemo', 'medical.condition:lymphoma']);
  });

  it('finds health-record phrases on their own', () => {
    expect(med('can you send my medical records to the new clinic?')).toEqual(['medical.record:medical records']);
    expect(med('I was diagnosed with bipolar disorder in college')).toEqual(['medical.record:was diagnosed', 'medical.condition:bipolar disorder']);
  });

  it('handles lower-case transcripts and plurals', () => {
    expect(med('i suffer from migraines almost every week')).toEqual(['medical.condition:migraines']);
  });

  it('never fires on a lexicon word alone', () => {
    expect(med('The Great Depression started in 1929.')).toEqual([]);
    expect(med("I'm a Cancer, my birthday is in July.")).toEqual([]);
    expect(med('that was a stroke of luck')).toEqual([]);
    expect(med('the vaccine for the plants is sprayed monthly')).toEqual([]);
    expect(med('the medication aisle is on the left')).toEqual([]);
  });

  it('leaves words with a common non-medical sense out of the lexicon', () => {
    expect(med('we have a virus on the office computer')).toEqual([]);
    expect(med('I have a bug in my code')).toEqual([]);
    expect(med('we are under a lot of pressure this quarter')).toEqual([]);
    expect(med("I'm sick of waiting on hold")).toEqual([]);
  });
});
