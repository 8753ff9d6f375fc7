import { CONDITIONS, MEDICATIONS, PROCEDURES, RECORD_PHRASES, CUES } from './src/guardrails/detectors/medical-lexicon.js';
const parts = [
  "Hi, thanks for calling. I wanted to check on my order 88231 from last week; it was supposed to arrive on Tuesday but tracking still shows the warehouse. ",
  "Could you tell me whether the version 2.4.1 firmware update fixes the router issue? My account was opened in 2019 and I pay $49.99 per month. ",
  "Please ignore the noise in the background, my kids are playing. You can reach me at (415) 555-2671 or email jane.doe@example.com. ",
  "The card on file is 4111 1111 1111 1111, expiry 12/27. I also have asthma so I might cough a bit, sorry about that. ",
  "The last commit was 9f86d081884c7d659a2feaa0c55ad015 at 2024-01-15 10:30:00 and the invoice total was 1,299.00 dollars. ",
  "my number is four one five five five five two six seven one if the line drops. ",
];
let text = ''; let i = 0; while (text.length < 4096) text += parts[i++ % parts.length]; text = text.slice(0, 4096).toLowerCase();
function bench(name: string, fn: () => unknown, n = 5000) { for (let k = 0; k < 500; k++) fn(); const t = process.hrtime.bigint(); for (let k = 0; k < n; k++) fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n / 1000).toFixed(2), 'us'); }
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alt = (t: string[], sp: string) => [...new Set(t)].sort((a, b) => b.length - a.length).map(esc).map(s => s.replace(/ /g, sp)).join('|');
const all = [...RECORD_PHRASES, ...CONDITIONS, ...MEDICATIONS, ...PROCEDURES];
for (const sp of ['[ -]?', ' ']) {
  const r1 = new RegExp(`\\b(?:${alt(all, sp)})(?:s|es)?\\b`, 'g');
  bench('nocap sp=' + sp, () => { r1.lastIndex = 0; let c = 0; while (r1.exec(text)) c++; return c; });
  const r2 = new RegExp(`\\b(?:(${alt(RECORD_PHRASES, sp)})|(${alt(CONDITIONS, sp)})|(${alt(MEDICATIONS, sp)})|(${alt(PROCEDURES, sp)}))(?:s|es)?\\b`, 'g');
  bench('cap sp=' + sp, () => { r2.lastIndex = 0; let c = 0; while (r2.exec(text)) c++; return c; });
}
const r3 = new RegExp(`\\b(?:${alt(all, ' ')})\\b`, 'g');
bench('plain', () => { r3.lastIndex = 0; let c = 0; while (r3.exec(text)) c++; return c; });
const cue = new RegExp(`\\b(?:${alt(CUES, ' ')})\\b`, 'g');
bench('cues', () => { cue.lastIndex = 0; let c = 0; while (cue.exec(text)) c++; return c; });
