import type { Command } from 'commander';
import { print, withGateway } from '../context.js';
import { json, money, table } from '../format.js';
import { budgetLabel, partialSpendNote, projectJson } from '../views.js';

/** `voicegw projects`: every project (YAML, runtime, auto) with today's spend and budget status. */
export function projectsCommand(program: Command): void {
  program
    .command('projects')
    .description('list projects with budget, action, spend today and status')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const rows = await Promise.all(gw.projects().map(async (p) => projectJson(p, await gw.budgetStatus(p.id))));
        if (opts.json) return print(json({ projects: rows }));
        print(
          table(rows, [
            { header: 'ID', value: (r) => r.id },
            { header: 'NAME', value: (r) => r.name },
            { header: 'TAGS', value: (r) => r.tags.join(',') || '-' },
            { header: 'BUDGET/DAY', value: (r) => budgetLabel(r.daily_budget), right: true },
            { header: 'ACTION', value: (r) => r.budget_action },
            { header: 'SPENT TODAY', value: (r) => `${money(r.spent_today)}${r.spend_partial ? '*' : ''}`, right: true },
            { header: 'UNPRICED', value: (r) => String(r.unpriced_today), right: true },
            { header: 'STATUS', value: (r) => r.budget_status },
            { header: 'SOURCE', value: (r) => r.source },
          ]),
        );
        if (rows.some((r) => r.spend_partial)) print(`\n* ${partialSpendNote(gw)}`);
        const unpriced = rows.filter((r) => r.unpriced_today > 0);
        if (unpriced.length > 0) print(`\n${unpriced.map((r) => `${r.id}: ${r.unpriced_today}`).join(', ')} request(s) today have no known price and are not in SPENT TODAY; add them under prices: in voicegw.yaml.`);
      });
    });
}
