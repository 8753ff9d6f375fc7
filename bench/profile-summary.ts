/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and total time per function, heaviest
 * first, optionally only functions whose name or file matches a pattern.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 40] [--match src/inference]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [--top N] [--match pattern]');
  process.exit(2);
}
const top = Number(opt('top') ?? 40);
const match = opt('match');

const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const key = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${f.lineNumber + 1}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  self.set(key(node.callFrame), (self.get(key(node.callFrame)) ?? 0) + us);
  // inclusive time: count each function once per sample even when it recurses
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(byId.get(cur)!.callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}

const wall = profile.endTime - profile.startTime;
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
console.log(`profile: ${(wall / 1e6).toFixed(2)} s wall, ${((wall - idle) / 1e6).toFixed(2)} s busy`);
const rows = [...total]
  .filter(([k]) => !match || k.includes(match))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top);
console.log('total ms  self ms  function');
for (const [k, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(8)} ${((self.get(k) ?? 0) / 1000).toFixed(1).padStart(8)}  ${k}`);
