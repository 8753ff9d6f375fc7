/**
 * Tuning aid for the prompt_injection and medical detectors: prints the TRAIN-split misses and false
 * positives of the public sets (see test/guardrails/eval/split.ts), never test-split rows, so
 * patterns are written from train rows and our own corpus only. Figures for both splits come from
 * `npx tsx bench/guardrails.ts`.
 *
 *   npx tsx bench/guardrails-tune.ts prompt_injection [--misses N] [--fps N] [--set substring]
 *   npx tsx bench/guardrails-tune.ts medical
 */
import { compilePolicy, scanText, type GuardrailCategory } from '../src/guardrails/index.js';
import { ScanContext } from '../src/guardrails/context.js';
import { injectionScore } from '../src/guardrails/detectors/prompt-injection.js';
import { INJECTION_SETS, MEDICAL_SETS } from '../test/guardrails/eval/sets.js';

const args = process.argv.slice(2);
const category = (args[0] ?? 'prompt_injection') as GuardrailCategory;
const num = (flag: string, d: number) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : d);
const setFilter = args.includes('--set') ? args[args.indexOf('--set') + 1]! : '';
const maxMisses = num('--misses', 20);
const maxFps = num('--fps', 20);

const policy = compilePolicy({ enabled: true, categories: { [category]: 'alert' } });
const flagged = (text: string) => scanText(text, policy).some((f) => f.category === category);
/** the injection score (0 when below any pattern), shown beside each row */
const score = (text: string) => (category === 'prompt_injection' ? ` ${injectionScore(new ScanContext(text, policy)).score.toFixed(2)}` : '');
const clip = (t: string) => (t.length > 220 ? `${t.slice(0, 220).replace(/\s+/g, ' ')}…` : t.replace(/\s+/g, ' '));

for (const set of category === 'medical' ? MEDICAL_SETS : INJECTION_SETS) {
  if (setFilter && !set.name.includes(setFilter)) continue;
  const rows = set.rows('train');
  const misses = rows.filter((r) => r.label === 1 && !flagged(r.text));
  const fps = rows.filter((r) => r.label === 0 && flagged(r.text));
  const pos = rows.filter((r) => r.label === 1).length;
  console.log(`\n## ${set.name} (train): positives ${pos}, missed ${misses.length}; negatives ${rows.length - pos}, flagged ${fps.length}`);
  for (const r of fps.slice(0, maxFps)) console.log(`  FP${score(r.text)}   ${clip(r.text)}`);
  for (const r of misses.slice(0, maxMisses)) console.log(`  MISS${score(r.text)} ${clip(r.text)}`);
}
