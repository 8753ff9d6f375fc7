/**
 * voicegateway performance suite: P1–P7 and the load run, each side by side against the same
 * local mock providers. Prints a table and writes bench/results.json (merged with figures from
 * earlier runs when --only is given).
 *
 *   npm run bench                        # everything (~6 minutes on 2 cores)
 *   npm run bench -- --quick             # fewer iterations, 10 s load run: a smoke test
 *   npm run bench -- --only P1,P4        # some figures (P1…P7, RT, RTG, FRAMES, LOAD)
 *   npm run bench -- --out /tmp/r.json   # write elsewhere
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argList, argString, hasFlag } from './lib/args.js';
import { BENCH_DIR } from './lib/child.js';
import type { FigureResult, RunContext } from './lib/figure.js';
import { FIGURES } from './lib/figures.js';
import type { BenchMocks } from './lib/mocks.js';
import { machine, type Machine, type Row, table } from './lib/report.js';

interface StoredFigure extends Partial<FigureResult> {
  title: string;
  measuredAt: string;
  quick: boolean;
  seconds: number;
  error?: string;
}

interface Results {
  command: string;
  machine: Machine;
  generatedAt: string;
  figures: Record<string, StoredFigure>;
  table: Row[];
}

const quick = hasFlag('quick');
const ids = FIGURES.map((f) => f.id);
const only = argList('only', ids).map((s) => s.toUpperCase());
const unknown = only.filter((id) => !ids.includes(id));
if (unknown.length > 0) {
  console.error(`bench: unknown figure ${unknown.join(', ')} (known: ${ids.join(', ')})`);
  process.exit(2);
}
const out = argString('out', join(BENCH_DIR, 'results.json'));

// P7 and the load run talk to mock providers in this process, so the measured process holds only the client side
let mocks: Promise<BenchMocks> | null = null;
let resetTimer: NodeJS.Timeout | undefined;
const ctx: RunContext = {
  quick,
  mocks: async () => {
    mocks ??= import('./lib/mocks.js').then(async ({ startBenchMocks }) => {
      const m = await startBenchMocks({ segmentSeconds: 2 }); // a caller turn every ~2 s
      resetTimer = setInterval(() => m.reset(), 2000);
      return m;
    });
    return (await mocks).urls;
  },
};

const previous: Results | null = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Results) : null;
const figures: Record<string, StoredFigure> = only.length < ids.length ? { ...previous?.figures } : {};
let crashed = false;

console.log(`voicegateway bench${quick ? ' (quick)' : ''}: ${only.join(', ')}`);
for (const figure of FIGURES.filter((f) => only.includes(f.id))) {
  const started = Date.now();
  process.stdout.write(`  ${figure.id} ${figure.title} … `);
  const meta = { title: figure.title, measuredAt: new Date().toISOString(), quick };
  try {
    const result = await figure.run(ctx);
    figures[figure.id] = { ...meta, seconds: (Date.now() - started) / 1000, ...result };
    console.log(`${Math.round((Date.now() - started) / 1000)} s`);
  } catch (error) {
    crashed = true;
    const message = error instanceof Error ? error.message : String(error);
    figures[figure.id] = { ...meta, seconds: (Date.now() - started) / 1000, error: message, rows: [{ figure: `${figure.id} ${figure.title}`, measured: `failed: ${message.slice(0, 160)}`, target: '', pass: false }] };
    console.log('failed');
    console.error(`    ${message}`);
  }
}
clearInterval(resetTimer);
const hosted = mocks as Promise<BenchMocks> | null; // assigned inside ctx.mocks()
if (hosted) await (await hosted).close();

const rows = ids.flatMap((id) => figures[id]?.rows ?? []);
const results: Results = { command: `npm run bench --${quick ? ' --quick' : ''}${only.length < ids.length ? ` --only ${only.join(',')}` : ''}`, machine: machine(), generatedAt: new Date().toISOString(), figures, table: rows };
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
console.log(`\n${m.cpus} × ${m.cpuModel}, ${m.ramGB} GB RAM, ${m.os}, Node ${m.node}, load ${m.loadavg1m}\n`);
console.log(table(rows));
const missed = rows.filter((r) => r.pass === false).length;
console.log(`\n${missed === 0 ? 'every target met' : `${missed} target(s) missed`}; results in ${out}`);
process.exit(crashed ? 1 : 0);
