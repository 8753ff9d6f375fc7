import type { Command } from 'commander';
import type { Period } from '../../ledger/types.js';
import { PeriodError, resolvePeriod } from '../../periods.js';
import type { UsdBucket } from '../../reports.js';
import { CliError, note, print, withGateway } from '../context.js';
import { json, keyValues, money, table, time } from '../format.js';

export interface PeriodFlags {
  period?: string;
  from?: string;
  to?: string;
}

/** --period/--from/--to into a report period; a bad value is a usage error (exit 2). */
export function periodFrom(flags: PeriodFlags, timeZone: string, now: number): Period {
  try {
    return resolvePeriod(flags, timeZone, now);
  } catch (err) {
    if (err instanceof PeriodError) throw new CliError(`--${err.field}: ${err.message}`, 2);
    throw err;
  }
}

function buckets(title: string, rows: UsdBucket[]): string {
  return table(rows, [
    { header: title, value: (b) => b.key },
    { header: 'REQUESTS', value: (b) => String(b.requests), right: true },
    { header: 'COST', value: (b) => money(b.costUsd), right: true },
    { header: 'UNPRICED', value: (b) => String(b.unpriced), right: true },
  ]);
}

/** `voicegw costs`: spend for a period, by provider, model, modality and project. */
export function costsCommand(program: Command): void {
  program
    .command('costs')
    .description('spend for a period, by provider, model, modality and project')
    .option('-p, --project <id>', 'only this project')
    .option('--period <period>', 'today | week | month | all (default today)')
    .option('--from <when>', 'start: YYYY-MM-DD (local day), ISO time or epoch ms')
    .option('--to <when>', 'end: YYYY-MM-DD (that day included), ISO time or epoch ms')
    .option('--json', 'print JSON')
    .action(async (opts: PeriodFlags & { project?: string; json?: boolean }, cmd: Command) => {
      periodFrom(opts, 'UTC', Date.now()); // fail fast on a malformed value, before opening the ledger
      await withGateway(cmd, async (gw) => {
        const period = periodFrom(opts, gw.timeZoneOf(opts.project), gw.clock());
        if (opts.project && !gw.project(opts.project)) note(`note: project '${opts.project}' is not defined now; showing what the ledger holds for it`);
        const r = await gw.reports.costs({ project: opts.project, period });
        if (opts.json) return print(json(r));
        print(
          keyValues([
            ['Project', r.project ?? 'all'],
            ['Period', `${time(r.period.from)} → ${time(r.period.to)} (${r.period.timeZone})`],
            ['Total', money(r.totalUsd)],
            ['Requests', `${r.requests}${r.unpriced ? ` (${r.unpriced} unpriced, not in the total)` : ''}`],
          ]),
        );
        if (r.requests === 0) return;
        for (const [title, rows] of [['PROVIDER', r.byProvider], ['MODEL', r.byModel], ['MODALITY', r.byModality], ['PROJECT', r.byProject]] as const) {
          if (title === 'PROJECT' && r.project) continue;
          print('');
          print(buckets(title, rows));
        }
      });
    });
}
