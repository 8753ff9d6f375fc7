import { compilePolicy, scanText } from './src/guardrails/index.js';
import { CONTEXT_4K } from './.ctx-tmp.ts';
const cat = process.argv[2] as any;
let text = CONTEXT_4K; while (text.length < 4096) text += ' Thanks again.'; text = text.slice(0, 4096);
const policy = compilePolicy({ enabled: true, categories: cat === 'all' ? { pii: 'redact', financial: 'block', medical: 'alert', prompt_injection: 'block', off_topic: 'alert' } : { [cat]: 'alert' }, topic: 'customer support for orders, billing and home internet' });
for (let k = 0; k < 30000; k++) scanText(text, policy);
