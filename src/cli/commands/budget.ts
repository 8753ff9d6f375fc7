import type { Command } from 'commander';
import { print, withGateway } from '../context.js';
import { json, keyValues, money, percent } from '../format.js';
import { partialSpendNote } from '../views.js';

/** `voicegw budget <project>`: today's budget state (exit 1 if the project is unknown). */
export function budgetCommand(program: Command): void {
  program
    .command('budget')
    .description("a project's budget for today: spent, remaining, status")
    .argument('<project>', 'project id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const p = gw.requireProject(id);
        const b = await gw.budgetStatus(p.id);
        if (opts.json) return print(json(b));
        print(
          keyValues([
            ['Project', b.project],
            ['Day', `${b.day} (resets ${b.resetsAt})`],
            ['Budget', b.budgetUsd > 0 ? `${money(b.budgetUsd)}/day` : 'no limit'],
            ['Spent', `${money(b.spentUsd)}${b.partial ? ` (${partialSpendNote(gw)})` : ''}`],
            ['Reserved', money(b.reservedUsd)],
            ['Remaining', b.remainingUsd === null ? 'no limit' : money(b.remainingUsd)],
            ['Used', b.budgetUsd > 0 ? percent(b.percent) : '-'],
            ['Status', b.status],
            ['Action', `${b.action} (when exceeded)`],
            ['Unpriced', b.unpricedRequests > 0 ? `${b.unpricedRequests} request(s) today with no known price (not in Spent)` : '0'],
          ]),
        );
      });
    });
}
