import type { Command } from 'commander';
import { MODALITIES } from '../../types.js';
import { print, withGateway } from '../context.js';
import { json, keyValues, money, percent, table } from '../format.js';
import { budgetLabel, projectJson } from '../views.js';

/** `voicegw project <id>`: details, today's spend by modality and the budget state (exit 1 if unknown). */
export function projectCommand(program: Command): void {
  program
    .command('project')
    .description("show one project: settings, today's spend by modality, budget status")
    .argument('<id>', 'project id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const p = gw.requireProject(id);
        const [budget, today] = await Promise.all([gw.budgetStatus(p.id), gw.reports.costs({ project: p.id, period: 'today' })]);
        const byModality = MODALITIES.map((m) => today.byModality.find((b) => b.key === m) ?? { key: m, costUsd: 0, requests: 0, unpriced: 0 });
        if (opts.json) {
          print(json({ ...projectJson(p, budget), budget, today: { totalUsd: today.totalUsd, requests: today.requests, unpriced: today.unpriced, byModality }, guardrails: gw.guardrails(p.id) !== null }));
          return;
        }
        print(
          keyValues([
            ['Project', `${p.id} (${p.name})`],
            ['Description', p.description || '-'],
            ['Tags', p.tags.join(', ') || '-'],
            ['Source', p.source === 'yaml' ? 'voicegw.yaml (read-only at run time)' : p.source === 'runtime' ? 'runtime (API/CLI)' : 'automatic default'],
            ['Daily budget', `${budgetLabel(p.dailyBudgetUsd)} (${p.budgetAction} when exceeded)`],
            ['Budget day', `${budget.day} (resets ${budget.resetsAt})`],
            ['Spent today', `${money(budget.spentUsd)}${budget.budgetUsd > 0 ? ` of ${money(budget.budgetUsd)} (${percent(budget.percent)})` : ''}`],
            ['Remaining', budget.remainingUsd === null ? 'no limit' : money(budget.remainingUsd)],
            ['Status', budget.status],
            ['Unpriced models', p.config.allow_unpriced ? 'served under the budget, counted as unpriced (allow_unpriced)' : p.dailyBudgetUsd > 0 ? 'refused (set allow_unpriced: true to serve them)' : 'served, cost unknown'],
            ['Guardrails', gw.guardrails(p.id) ? 'on' : 'off'],
          ]),
        );
        print('');
        print(
          table([...byModality, { key: 'total', costUsd: today.totalUsd, requests: today.requests, unpriced: today.unpriced }], [
            { header: 'TODAY', value: (b) => b.key.toUpperCase() },
            { header: 'REQUESTS', value: (b) => String(b.requests), right: true },
            { header: 'COST', value: (b) => money(b.costUsd), right: true },
            { header: 'UNPRICED', value: (b) => String(b.unpriced), right: true },
          ]),
        );
        if (today.unpriced > 0) print(`\n${today.unpriced} request(s) have no known price and are not included in the cost; add them under prices: in voicegw.yaml.`);
      });
    });
}
