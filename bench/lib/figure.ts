/** What a bench figure is, and the helpers its rows share. */
import type { MockUrls } from './setup.js';
import { runChild } from './child.js';
import { ms, type Row, signedMs } from './report.js';
import type { Comparison } from './stats.js';

export interface RunContext {
  quick: boolean;
  /** mock providers hosted by bench/run.ts (P7 and the load run) */
  mocks: () => Promise<MockUrls>;
}

export interface FigureResult {
  rows: Row[];
  data: unknown;
}

export interface Figure {
  id: string;
  title: string;
  run(ctx: RunContext): Promise<FigureResult>;
}

export const MIN = 60_000;
export const mocksEnv = async (ctx: RunContext) => ({ VOICEGW_BENCH_MOCKS: JSON.stringify(await ctx.mocks()) });

/** one latency comparison as two rows: median (with its target) and p99 */
export function latencyRows(label: string, c: Comparison, medianTarget: number, p99Target: number | null): Row[] {
  const cell = (added: number, a: number, b: number, ratio: number) => `${signedMs(added, 3)} (${ms(a)} vs ${ms(b)} raw, ×${ratio.toFixed(2)})`;
  return [
    { figure: `${label}, median`, measured: cell(c.addedMedianMs, c.dropIn.median, c.raw.median, c.ratioMedian), target: `≤ +${medianTarget} ms`, pass: c.addedMedianMs <= medianTarget },
    {
      figure: `${label}, p99`,
      measured: cell(c.addedP99Ms, c.dropIn.p99, c.raw.p99, c.ratioP99),
      target: p99Target === null ? '—' : `≤ +${p99Target} ms`,
      pass: p99Target === null ? null : c.addedP99Ms <= p99Target,
    },
  ];
}

export interface LatencyOut {
  llm?: Comparison & { context: { chars: number } };
  stt?: Comparison;
  tts?: Comparison;
  ttsBurst?: Comparison;
  errors: { dropIn: number; raw: number };
}

export async function latency(ctx: RunContext, only: string): Promise<LatencyOut> {
  const args = ctx.quick ? ['--pairs', '200', '--warmup', '30'] : ['--pairs', '2000', '--warmup', '200'];
  return runChild<LatencyOut>('latency.ts', [...args, '--only', only], { timeoutMs: 6 * MIN });
}

export function errorRow(id: string, out: { errors: { dropIn: number; raw: number } }): Row[] {
  const { dropIn, raw } = out.errors;
  return dropIn + raw > 0 ? [{ figure: `${id} errors during the run`, measured: `${dropIn} drop-in, ${raw} raw`, target: '0', pass: false }] : [];
}
