import { runChild } from './child.js';
import type { LockStall, OtherCommit } from './lock-stall.js';
import { ms, type Row } from './report.js';
import type { Comparison } from './stats.js';
import { percentile, round } from './stats.js';
import { errorRow, type Figure, latency, latencyRows, MIN, mocksEnv, type RunContext } from './figure.js';
import { P5 } from './figure-guardrails.js';

const P1: Figure = {
  id: 'P1',
  title: 'added time to first token (LLM) vs raw openai plugin',
  async run(ctx) {
    const out = await latency(ctx, 'llm');
    const c = out.llm!;
    return { rows: [...latencyRows(`P1 LLM time to first token (${c.context.chars}-char context)`, c, 0.3, 1), ...errorRow('P1', out)], data: out };
  },
};

const P2: Figure = {
  id: 'P2',
  title: 'added time to first final transcript (STT) and first audio (TTS) vs raw plugins',
  async run(ctx) {
    const out = await latency(ctx, 'stt,tts');
    return {
      rows: [
        ...latencyRows('P2 STT stream first final transcript', out.stt!, 0.2, null),
        ...latencyRows('P2 TTS stream first audio (chunks 2 ms apart)', out.tts!, 0.2, null),
        ...latencyRows('P2 TTS first audio, 9 chunks in one burst (worst case)', out.ttsBurst!, 0.2, null).map((r) => ({ ...r, target: '—', pass: null })),
        ...errorRow('P2', out),
      ],
      data: out,
    };
  },
};

interface LedgerOut {
  sqlite: {
    durable_rows_per_s: number;
    awaited_one_at_a_time_rows_per_s: number;
    checkpoints_after_burst: string;
    record_us: { mean: number; p50: number; p99: number; cpu_per_row: number };
    bare_commit_us: number;
    synthetic_rows: number;
    costs_all_ms: number;
    costs_30d_ms: number;
    costs_project_30d_ms: number;
  };
  postgres: Record<string, unknown>;
}

/** bench/ledger.ts runs once for P3 and P6 (it builds the 1M-row ledger either way) */
let ledgerRun: Promise<LedgerOut> | null = null;
const ledger = (ctx: RunContext) =>
  (ledgerRun ??= runChild<LedgerOut>('ledger.ts', ['--only', 'throughput', '--rows', ctx.quick ? '100000' : '1000000'], { timeoutMs: 7 * MIN }));
/**
 * The lock stall in a process of its own, built like the package (no tsx): after a 1M-row build the
 * ledger bench's heap is not a worker's, and its GC pauses would be measured instead.
 */
const lockStallRun = (ctx: RunContext) =>
  runChild<{ lock: LockStall; other_process_commit: OtherCommit }>('ledger.ts', ['--only', 'lock', '--lock-seconds', ctx.quick ? '10' : '60'], { timeoutMs: 5 * MIN, compiled: true });

const P3: Figure = {
  id: 'P3',
  title: 'ledger: durable rows/s and hot-path cost per row (SQLite)',
  async run(ctx) {
    const out = await ledger(ctx);
    const s = out.sqlite;
    const { lock: l, other_process_commit: o } = await lockStallRun(ctx);
    return {
      rows: [
        {
          figure: 'P3 ledger durable rows/s (SQLite, 20,000 record() calls in one burst, group-committed)',
          measured: `${s.durable_rows_per_s.toLocaleString('en-US')} rows/s (one awaited row at a time: ${s.awaited_one_at_a_time_rows_per_s.toLocaleString('en-US')} rows/s)`,
          target: '≥ 20,000',
          pass: s.durable_rows_per_s >= 20_000,
        },
        {
          figure: 'P3 ledger event-loop time per durable row (record() call + its share of the commit)',
          measured: `${s.record_us.mean} µs (record() call p50 ${s.record_us.p50} µs, p99 ${s.record_us.p99}; CPU ${s.record_us.cpu_per_row} µs/row)`,
          target: '≤ 50 µs',
          pass: s.record_us.mean <= 50,
        },
        {
          figure: 'P3 reference: a bare one-row SQLite commit, same machine and run',
          measured: `${s.bare_commit_us} µs p50 (a ledger row = ×${(s.record_us.mean / s.bare_commit_us).toFixed(1)}: a row, 3 indexes, the aggregates' inbox, batched)`,
          target: '—',
          pass: null,
        },
        {
          figure: `P3 worst event-loop stall while another process holds the write lock ${l.lock_s} s and while its backlog is written (${l.rows_per_s} rows/s recorded)`,
          measured: `${ms(l.worst_stall_ms)} (held ${ms(l.worst_stall_during_lock_ms)}, p99 ${ms(l.p99_stall_ms)}; backlog ${ms(l.worst_stall_after_release_ms)}; same load as long, no lock: ${ms(l.baseline_worst_stall_ms)}, p99 ${ms(l.baseline_p99_stall_ms)}; longest GC pause ${ms(l.gc_pause_max_ms.during_lock)} / ${ms(l.gc_pause_max_ms.after_release)} / ${ms(l.gc_pause_max_ms.baseline)} no lock; full GCs ${l.gc_major.during_lock} / ${l.gc_major.after_release} / ${l.gc_major.baseline})`,
          target: '≤ 5 ms',
          pass: l.worst_stall_ms <= 5,
        },
        {
          figure: 'P3 of those stalls, the longest the ledger itself held the loop (one write transaction or inline checkpoint)',
          measured: `${ms(Math.max(l.ledger_longest_block_ms.during_lock, l.ledger_longest_block_ms.after_release))} (held ${ms(l.ledger_longest_block_ms.during_lock)}, backlog ${ms(l.ledger_longest_block_ms.after_release)}, no lock ${ms(l.ledger_longest_block_ms.baseline)})`,
          target: '≤ 5 ms',
          pass: Math.max(l.ledger_longest_block_ms.during_lock, l.ledger_longest_block_ms.after_release) <= 5,
        },
        {
          figure: `P3 the ledger's first write after another process commits (${o.rows_before.toLocaleString('en-US')} rows recorded before, ${o.commits} commits)`,
          measured: `${ms(o.first_write_ms.median)} median, ${ms(o.first_write_ms.max)} max (the write after it: ${ms(o.next_write_ms.median)} median)`,
          target: '≤ 5 ms',
          pass: o.first_write_ms.max <= 5,
        },
        {
          figure: 'P3 rows recorded under the lock, in the ledger after release',
          measured: `${l.rows_in_ledger} of ${l.rows_expected}, ${ms(l.rows_landed_ms_after_release)} after release`,
          target: 'all, within seconds',
          pass: l.rows_in_ledger === l.rows_expected && l.rows_landed_ms_after_release <= 5000,
        },
      ],
      data: {
        sqlite: { durable_rows_per_s: s.durable_rows_per_s, awaited_one_at_a_time_rows_per_s: s.awaited_one_at_a_time_rows_per_s, record_us: s.record_us, bare_commit_us: s.bare_commit_us, checkpoints_after_burst: s.checkpoints_after_burst },
        lock: l,
        other_process_commit: o,
        postgres: out.postgres,
      },
    };
  },
};

const P6: Figure = {
  id: 'P6',
  title: 'costs() report over 1,000,000 ledger rows',
  async run(ctx) {
    const s = (await ledger(ctx)).sqlite;
    const rows = s.synthetic_rows.toLocaleString('en-US');
    return {
      rows: [
        { figure: `P6 costs() all time over ${rows} rows`, measured: `${ms(s.costs_all_ms)} (30 days ${ms(s.costs_30d_ms)}, one project ${ms(s.costs_project_30d_ms)})`, target: '≤ 50 ms', pass: s.costs_all_ms <= 50 },
      ],
      data: s,
    };
  },
};

interface BudgetOut {
  gateway: { opsPerSecond: number; nsPerOp: number; worstRound: number };
  gatewayWithGrow: { opsPerSecond: number };
  enforcer: { opsPerSecond: number; nsPerOp: number };
}

type BudgetPgOut = { skipped: string } | { workers: number; admissions: number; p50Ms: number; p99Ms: number; admissionsPerSecond: number; allowedByRule: number; admitted: number; overAdmissions: number; overshootRequests: number };

const P4: Figure = {
  id: 'P4',
  title: 'budget admit+settle ops/s; PostgreSQL admission latency, 8 workers',
  async run(ctx) {
    const out = await runChild<BudgetOut>('budget.ts', ctx.quick ? ['--ops', '200000', '--rounds', '3'] : ['--ops', '2000000', '--rounds', '5'], { timeoutMs: 3 * MIN });
    const fleet = await runChild<BudgetPgOut>('budget-pg.ts', ['--workers', '8', '--admissions', ctx.quick ? '50' : '500'], { timeoutMs: 4 * MIN });
    const g = out.gateway;
    const pgRow: Row =
      'skipped' in fleet
        ? { figure: 'P4 PostgreSQL admission, 8 workers, one project', measured: `skipped: ${fleet.skipped.slice(0, 120)}`, target: '0 over-admissions', pass: null }
        : {
            figure: `P4 PostgreSQL admission, ${fleet.workers} workers, one project (p50 / p99)`,
            measured: `${fleet.p50Ms} / ${fleet.p99Ms} ms (${fleet.admissionsPerSecond} admissions/s; ${fleet.admitted} of ${fleet.admissions} admitted, rule allows ${fleet.allowedByRule}: ${fleet.overAdmissions} over, day ends ${fleet.overshootRequests} requests past the budget)`,
            target: '0 over-admissions',
            pass: fleet.overAdmissions === 0 && fleet.overshootRequests <= 1,
          };
    return {
      rows: [
        {
          figure: 'P4 budget admit+settle (Gateway policy)',
          measured: `${(g.opsPerSecond / 1e6).toFixed(2)} M ops/s (${g.nsPerOp} ns/op; with a stream's grow ${(out.gatewayWithGrow.opsPerSecond / 1e6).toFixed(2)} M; enforcer alone ${(out.enforcer.opsPerSecond / 1e6).toFixed(2)} M)`,
          target: '≥ 1 M ops/s',
          pass: g.opsPerSecond >= 1_000_000,
        },
        pgRow,
      ],
      data: { ...out, postgres: fleet },
    };
  },
};

interface MemoryOut {
  mode: 'dropin' | 'raw';
  sessions: number;
  rssMB: { baseline: number; liveAfterGc: number; steadyMedian: number; peak: number };
  jsLiveMB: { baseline: number; liveAfterGc: number };
  calls: { turns: number; errors: number; firstErrors: string[] };
}

const P7: Figure = {
  id: 'P7',
  title: 'RSS with 100 concurrent sessions: drop-ins vs raw plugins (separate processes)',
  async run(ctx) {
    const seconds = ctx.quick ? '6' : '20';
    // RSS of identical processes varies by several MB (allocator, GC timing): alternate the sides
    // and compare medians
    const pairs = ctx.quick ? 1 : 3;
    const runs: MemoryOut[] = [];
    for (let i = 0; i < pairs; i++) {
      for (const mode of (i % 2 === 0 ? ['raw', 'dropin'] : ['dropin', 'raw']) as MemoryOut['mode'][]) {
        runs.push(
          await runChild<MemoryOut>('memory.ts', ['--mode', mode, '--sessions', '100', '--seconds', seconds], { nodeFlags: ['--expose-gc'], env: await mocksEnv(ctx), timeoutMs: 3 * MIN, compiled: true }),
        );
      }
    }
    const med = (mode: MemoryOut['mode'], f: (r: MemoryOut) => number) => round(percentile(runs.filter((r) => r.mode === mode).map(f).sort((a, b) => a - b), 50), 1);
    const live = (m: MemoryOut['mode']) => med(m, (r) => r.rssMB.liveAfterGc);
    const base = (m: MemoryOut['mode']) => med(m, (r) => r.rssMB.baseline);
    const js = (m: MemoryOut['mode']) => med(m, (r) => r.jsLiveMB.liveAfterGc);
    const peak = (m: MemoryOut['mode']) => med(m, (r) => r.rssMB.peak);
    const added = round(live('dropin') - live('raw'), 1);
    const fixed = round(base('dropin') - base('raw'), 1);
    const perSessionKB = Math.round(((live('dropin') - base('dropin') - (live('raw') - base('raw'))) * 1024) / 100);
    const errors = runs.reduce((s, r) => s + r.calls.errors, 0);
    const runsNote = `median of ${pairs} process${pairs > 1 ? 'es' : ''} per side`;
    return {
      rows: [
        {
          figure: 'P7 RSS, 100 live sessions (after GC)',
          measured: `+${added} MB (${live('dropin')} vs ${live('raw')} MB raw, ${runsNote}; at rest +${fixed} MB)`,
          target: '≤ +20 MB',
          pass: added <= 20,
        },
        { figure: 'P7 JS heap + buffers, 100 live sessions', measured: `+${round(js('dropin') - js('raw'), 1)} MB (${js('dropin')} vs ${js('raw')} MB raw)`, target: '—', pass: null },
        { figure: 'P7 peak RSS during the run', measured: `${peak('dropin')} vs ${peak('raw')} MB raw`, target: '—', pass: null },
        ...(errors > 0 ? [{ figure: 'P7 call errors', measured: String(errors), target: '0', pass: false }] : []),
      ],
      data: { runs, liveAddedMB: added, fixedAddedMB: fixed, perSessionAddedKB: perSessionKB },
    };
  },
};

interface RetentionOut {
  frames: number;
  bytesPerFrame: { raw: number; dropIn: number };
  mbPerHourOfAudio: { raw: number; dropIn: number };
}

/** no target: a LiveKit plugin fault the drop-ins inherit, measured so an upgrade that fixes it shows */
const FRAMES: Figure = {
  id: 'FRAMES',
  title: 'heap an STT stream keeps per 10 ms audio frame (Deepgram plugin, livekit/agents-js#1950)',
  async run(ctx) {
    const frames = ctx.quick ? '5000' : '20000';
    const out = await runChild<RetentionOut>('retention.ts', ['--frames', frames], { nodeFlags: ['--expose-gc'], env: await mocksEnv(ctx), timeoutMs: 3 * MIN, compiled: true });
    const b = out.bytesPerFrame;
    const h = out.mbPerHourOfAudio;
    return {
      rows: [{ figure: 'FRAMES heap kept per 10 ms frame until the STT stream closes', measured: `${b.dropIn} B drop-in, ${b.raw} B raw (${h.dropIn} vs ${h.raw} MB per hour of audio)`, target: '—', pass: null }],
      data: out,
    };
  },
};

interface LoadOut {
  mode: 'dropin' | 'raw';
  calls: number;
  seconds: number;
  throughput: { turnsPerSecond: number; providerRequestsPerSecond: number; audioInSecondsPerSecond: number };
  totals: { turns: number; errors: number };
  firstErrors: string[];
  ledger: { rows: number; expectedRows: number; byStatus: Record<string, number> } | null;
  responseMs: { median: number; p99: number };
  cpuSeconds: { ofWall: number };
}

const LOAD: Figure = {
  id: 'LOAD',
  title: '100 concurrent simulated calls through drop-ins and mocks',
  async run(ctx) {
    const seconds = ctx.quick ? '10' : '60';
    const env = await mocksEnv(ctx);
    const run = (mode: string) => runChild<LoadOut>('load.ts', ['--mode', mode, '--calls', '100', '--seconds', seconds], { env, timeoutMs: Number(seconds) * 1000 + 3 * MIN });
    const dropIn = await run('dropin');
    const raw = await run('raw');
    const l = dropIn.ledger!;
    const clean = dropIn.totals.errors === 0 && l.rows === l.expectedRows && l.byStatus.success === l.rows;
    const t = dropIn.throughput;
    return {
      rows: [
        {
          figure: `LOAD ${dropIn.calls} calls × ${dropIn.seconds} s through drop-ins`,
          measured: `${dropIn.totals.errors} errors; ledger ${l.rows}/${l.expectedRows} rows, ${l.byStatus.success ?? 0} success`,
          target: 'no errors',
          pass: clean,
        },
        {
          figure: 'LOAD throughput',
          measured: `${t.turnsPerSecond} turns/s, ${t.providerRequestsPerSecond} provider requests/s, ${t.audioInSecondsPerSecond} s of audio in per s`,
          target: '—',
          pass: null,
        },
        {
          figure: 'LOAD transcript → first answer audio, p50 / p99',
          measured: `${ms(dropIn.responseMs.median, 1)} / ${ms(dropIn.responseMs.p99, 1)} (raw ${ms(raw.responseMs.median, 1)} / ${ms(raw.responseMs.p99, 1)})`,
          target: '—',
          pass: null,
        },
        { figure: 'LOAD client CPU (cores busy)', measured: `${dropIn.cpuSeconds.ofWall} (raw ${raw.cpuSeconds.ofWall})`, target: '—', pass: null },
      ],
      data: { dropIn, raw },
    };
  },
};

const RT: Figure = {
  id: 'RT',
  title: 'added time to first audio (realtime speech-to-speech) vs raw openai realtime plugin',
  async run(ctx) {
    const out = await runChild<Comparison & { errors: { dropIn: number; raw: number } }>('realtime.ts', ctx.quick ? ['--pairs', '100', '--warmup', '10'] : ['--pairs', '500', '--warmup', '50'], { timeoutMs: 5 * MIN });
    return { rows: [...latencyRows('RT realtime first audio (generateReply → first frame)', out, 0.3, null), ...errorRow('RT', out)], data: out };
  },
};

const RTG: Figure = {
  id: 'RTG',
  title: 'added time to first audio (Gemini Live speech-to-speech) vs raw google realtime plugin',
  async run(ctx) {
    const args = ctx.quick ? ['--pairs', '100', '--warmup', '10'] : ['--pairs', '500', '--warmup', '50'];
    const out = await runChild<Comparison & { errors: { dropIn: number; raw: number } }>('realtime.ts', [...args, '--provider', 'google'], { timeoutMs: 5 * MIN });
    return { rows: [...latencyRows('RTG Gemini Live first audio (generateReply → first frame)', out, 0.3, null), ...errorRow('RTG', out)], data: out };
  },
};

export const FIGURES: Figure[] = [P1, P2, RT, RTG, P3, P4, P5, P6, P7, FRAMES, LOAD];
