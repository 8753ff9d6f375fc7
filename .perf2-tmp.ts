import { compilePolicy, scanText, redactText } from './src/guardrails/index.js';
import { CONTEXT_4K } from './.ctx-tmp.ts';
let text = CONTEXT_4K; while (text.length < 4096) text += ' Thanks again.'; text = text.slice(0, 4096);
const policy = compilePolicy({ enabled: true, categories: { pii: 'redact', financial: 'block', medical: 'alert', prompt_injection: 'block', off_topic: 'alert' }, topic: 'customer support for orders, billing and home internet' });
const f = scanText(text, policy);
console.log(f.map(x => `${x.category}/${x.detector}: ${JSON.stringify(text.slice(x.start, x.end))}`).join('\n'));
for (let k = 0; k < 3000; k++) scanText(text, policy);
const times: number[] = [];
for (let k = 0; k < 5000; k++) { const t = process.hrtime.bigint(); scanText(text, policy); times.push(Number(process.hrtime.bigint() - t) / 1000); }
times.sort((a, b) => a - b);
console.log('p50', times[2500], 'p99', times[4950]);
for (const c of ['pii','financial','medical','prompt_injection','off_topic'] as const) {
  const p = compilePolicy({ enabled: true, categories: { [c]: 'alert' }, topic: 'customer support for orders, billing and home internet' });
  const ts: number[] = [];
  for (let k = 0; k < 3000; k++) { const t = process.hrtime.bigint(); scanText(text, p); ts.push(Number(process.hrtime.bigint() - t) / 1000); }
  ts.sort((a, b) => a - b); console.log(c, ts[1500]);
}
