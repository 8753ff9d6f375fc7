import { compilePolicy } from './src/guardrails/index.js';
import { ScanContext } from './src/guardrails/context.js';
import { numberCandidates } from './src/guardrails/detectors/numbers.js';
import { CONTEXT_4K } from './.ctx-tmp.ts';
let text = CONTEXT_4K; while (text.length < 4096) text += ' Thanks again.'; text = text.slice(0, 4096);
const policy = compilePolicy({ enabled: true, categories: { pii: 'alert' } });
const c = new ScanContext(text, policy);
console.log(numberCandidates(c).map(x => `${x.kind}:${x.raw}`));
