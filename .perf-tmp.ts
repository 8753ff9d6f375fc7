import { compilePolicy, scanText } from './src/guardrails/index.js';
const policy = compilePolicy({ enabled: true, categories: { pii: 'redact', financial: 'block', medical: 'alert', prompt_injection: 'block', off_topic: 'alert' }, topic: 'banking customer support' });
const parts = [
  "Hi, thanks for calling. I wanted to check on my order 88231 from last week; it was supposed to arrive on Tuesday but tracking still shows the warehouse. ",
  "Could you tell me whether the version 2.4.1 firmware update fixes the router issue? My account was opened in 2019 and I pay $49.99 per month. ",
  "Please ignore the noise in the background, my kids are playing. You can reach me at (415) 555-2671 or email jane.doe@example.com. ",
  "The card on file is 4111 1111 1111 1111, expiry 12/27. I also have asthma so I might cough a bit, sorry about that. ",
  "The last commit was 9f86d081884c7d659a2feaa0c55ad015 at 2024-01-15 10:30:00 and the invoice total was 1,299.00 dollars. ",
  "my number is four one five five five five two six seven one if the line drops. ",
];
let text = ''; let i = 0; while (text.length < 4096) text += parts[i++ % parts.length]; text = text.slice(0, 4096);
for (let k = 0; k < 3000; k++) scanText(text, policy);
const times: number[] = [];
for (let k = 0; k < 5000; k++) { const t = process.hrtime.bigint(); scanText(text, policy); times.push(Number(process.hrtime.bigint() - t) / 1000); }
times.sort((a, b) => a - b);
console.log('p50', times[2500], 'p99', times[4950], 'findings', scanText(text, policy).length);
// per category
for (const c of ['pii','financial','medical','prompt_injection','off_topic'] as const) {
  const p = compilePolicy({ enabled: true, categories: { [c]: 'alert' }, topic: 'banking customer support' });
  const ts: number[] = [];
  for (let k = 0; k < 3000; k++) { const t = process.hrtime.bigint(); scanText(text, p); ts.push(Number(process.hrtime.bigint() - t) / 1000); }
  ts.sort((a, b) => a - b); console.log(c, ts[1500]);
}
