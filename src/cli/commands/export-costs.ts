import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CliError, note, refuseOverwrite, withGateway, writeOutputFile } from '../context.js';
import { toCsv } from '../csv.js';
import { periodFrom } from './costs.js';

/** `voicegw export-costs`: every ledger row in a range, oldest first, as CSV or JSON. */
export function exportCostsCommand(program: Command): void {
  program
    .command('export-costs')
    .description('export ledger rows in a date range as CSV or JSON (oldest first)')
    .requiredOption('--from <when>', 'start: YYYY-MM-DD (local day), ISO time or epoch ms')
    .requiredOption('--to <when>', 'end: YYYY-MM-DD (that day included), ISO time or epoch ms')
    .option('-p, --project <id>', 'only this project')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('-o, --output <file>', 'write to a file instead of stdout (never over an existing one without --force)')
    .option('-f, --force', 'overwrite the --output file if it exists')
    .action(async (opts: { from: string; to: string; project?: string; format: 'csv' | 'json'; output?: string; force?: boolean }, cmd: Command) => {
      // fail fast, before opening the ledger
      periodFrom({ from: opts.from, to: opts.to }, 'UTC', Date.now());
      if (opts.output) refuseOverwrite(resolve(opts.output), opts.force);
      await withGateway(cmd, async (gw) => {
        const range = periodFrom({ from: opts.from, to: opts.to }, gw.timeZoneOf(opts.project), gw.clock());
        if (typeof range === 'string') throw new CliError('--from/--to must give a range', 2);
        const rows = await gw.reports.exportCosts({ ...range, project: opts.project });
        const text = opts.format === 'json' ? `${JSON.stringify({ from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), project: opts.project ?? null, rows }, null, 2)}\n` : toCsv(rows);
        if (!opts.output) {
          process.stdout.write(text);
          return;
        }
        const target = resolve(opts.output);
        writeOutputFile(target, text, { force: opts.force });
        note(`Wrote ${rows.length} row(s) to ${target}`);
      });
    });
}
