import { compilePolicy } from './src/guardrails/index.js';
import { ScanContext } from './src/guardrails/context.js';
import { numberCandidates } from './src/guardrails/detectors/numbers.js';
import { detectAddresses, detectNames } from './src/guardrails/detectors/pii-text.js';
import * as pii from './src/guardrails/detectors/pii.js';
import { normalizeSpoken } from './src/guardrails/spoken.js';
import { CONTEXT_4K } from './.ctx-tmp.ts';
let text = CONTEXT_4K; while (text.length < 4096) text += ' Thanks again.'; text = text.slice(0, 4096);
const policy = compilePolicy({ enabled: true, categories: { pii: 'alert' } });
function bench(name: string, fn: () => unknown, n = 4000) { for (let k = 0; k < 400; k++) fn(); const t = process.hrtime.bigint(); for (let k = 0; k < n; k++) fn(); console.log(name.padEnd(20), (Number(process.hrtime.bigint() - t) / n / 1000).toFixed(2), 'us'); }
bench('ctx+lower', () => new ScanContext(text, policy).lower);
bench('normalizeSpoken', () => normalizeSpoken(text));
bench('numbers', () => { const c = new ScanContext(text, policy); return numberCandidates(c); });
bench('pii all', () => { const c = new ScanContext(text, policy); pii.detectPii(c); return c.findings; });
bench('addresses', () => { const c = new ScanContext(text, policy); c.norm; detectAddresses(c); });
bench('names', () => { const c = new ScanContext(text, policy); detectNames(c); });
bench('norm only', () => { const c = new ScanContext(text, policy); return c.norm; });
