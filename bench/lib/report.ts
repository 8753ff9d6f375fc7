import { cpus, loadavg, release, totalmem, type as osType, availableParallelism } from 'node:os';

/** One line of the human table. `pass` is null for figures reported without a target. */
export interface Row {
  figure: string;
  measured: string;
  target: string;
  pass: boolean | null;
}

export interface Machine {
  os: string;
  cpuModel: string;
  cpus: number;
  ramGB: number;
  node: string;
  loadavg1m: number;
}

export function machine(): Machine {
  return {
    os: `${osType()} ${release()}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: availableParallelism(),
    ramGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadavg1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.figure, r.measured, r.target, r.pass === null ? '' : r.pass ? 'pass' : 'FAIL']);
  const head = ['figure', 'measured', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** The same table as Markdown (bench/README.md). */
export function markdownTable(rows: Row[]): string {
  const out = ['| figure | measured | target | |', '|---|---|---|---|'];
  for (const r of rows) out.push(`| ${r.figure} | ${r.measured} | ${r.target} | ${r.pass === null ? '' : r.pass ? 'pass' : '**miss**'} |`);
  return out.join('\n');
}

export const ms = (x: number, digits = 2) => `${x.toFixed(digits)} ms`;
export const signedMs = (x: number, digits = 2) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)} ms`;
