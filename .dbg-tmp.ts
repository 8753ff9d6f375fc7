import { normalizeSpoken } from './src/guardrails/spoken.js';
import { compilePolicy } from './src/guardrails/index.js';
import { ScanContext } from './src/guardrails/context.js';
import { numberCandidates } from './src/guardrails/detectors/numbers.js';
const t = 'phone is plus four four seven nine one one one two three four five six';
console.log(normalizeSpoken(t).text);
const c = new ScanContext(t, compilePolicy({ enabled: true, categories: { pii: 'alert' } }));
console.log(numberCandidates(c));
