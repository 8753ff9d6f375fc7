import type { Command } from 'commander';
import { CliError, print, withGateway } from '../context.js';
import { json, table } from '../format.js';
import { type PriceRow, priceSummary } from '../../metering/catalog-view.js';

/** `voicegw prices [model…]`: the price catalog as the gateway applies it. */
export function pricesCommand(program: Command): void {
  program
    .command('prices')
    .description('show the price catalog as requests are priced (unit, price, source, as_of, override)')
    .argument('[model...]', 'provider/model ids to look up (variants and dated snapshots resolve as rows do)')
    .option('--json', 'print JSON')
    .option('--stale-days <n>', 'flag prices read more than N days ago; exit 1 when any is', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new CliError(`--stale-days must be a whole number of days, got '${v}'`, 2);
      return n;
    })
    .action(async (models: string[], opts: { json?: boolean; staleDays?: number }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const catalog = gw.priceCatalog({ models, staleDays: opts.staleDays });
        if (opts.json) print(json(catalog));
        else if (catalog.rows.length > 0) print(table(catalog.rows, COLUMNS));
        if (catalog.missing.length > 0) {
          throw new CliError(catalog.missing.map((m) => `no price for ${m.model}: ${m.hint}`).join('\n'), 1);
        }
        if (catalog.stale > 0) throw new CliError(`${catalog.stale} price(s) older than ${opts.staleDays} day(s): check them against their source and update the catalog or prices: in voicegw.yaml`, 1);
      });
    });
}

const COLUMNS = [
  { header: 'MODALITY', value: (r: PriceRow) => r.modality },
  { header: 'MODEL', value: (r: PriceRow) => (r.requested ? `${r.requested} → ${r.model}` : r.model) },
  { header: 'PRICE (USD)', value: priceSummary },
  { header: 'SOURCE', value: (r: PriceRow) => r.source },
  { header: 'AS OF', value: (r: PriceRow) => r.as_of || '-' },
  { header: 'FLAGS', value: (r: PriceRow) => [r.override ? 'override' : '', r.verified ? '' : 'unverified', r.stale ? 'STALE' : ''].filter(Boolean).join(',') || '-' },
];
