import { type Command, Option } from 'commander';
import { ALERT_EVENTS, type AlertEvent } from '../../config/schema.js';
import { alertPayload } from '../../alerts/webhooks.js';
import { usdToNanos } from '../../money.js';
import { CliError, print, withGateway } from '../context.js';
import { json, table } from '../format.js';

const KIND = { budget_warning: 'warning', budget_exceeded: 'exceeded', budget_throttled: 'throttled', budget_blocked: 'blocked' } as const;

/** `voicegw alerts test`: one sample alert to every configured webhook (exit 1 if any fails). */
export function alertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('budget alert webhooks (alerts.webhooks in voicegw.yaml)');
  alerts
    .command('test')
    .description('POST a sample budget alert to every webhook and report each answer')
    .addOption(new Option('--event <event>', 'which alert to imitate').choices([...ALERT_EVENTS]).default('budget_warning'))
    .option('-p, --project <id>', 'project named in the sample (default: the default project)')
    .option('--json', 'print JSON')
    .action(async (opts: { event: AlertEvent; project?: string; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        if (!gw.alerts.enabled) throw new CliError('No webhooks configured: add alerts.webhooks: [{ url: https://… }] to voicegw.yaml');
        const p = gw.requireProject(opts.project ?? gw.config.default_project ?? 'default');
        const budgetNanos = usdToNanos(p.dailyBudgetUsd || 1);
        const spentNanos = opts.event === 'budget_warning' ? Math.round(budgetNanos * 0.8) : budgetNanos;
        const payload = alertPayload({ kind: KIND[opts.event], project: p.id, day: (await gw.budgetStatus(p.id)).day, spentNanos, budgetNanos }, p.budgetAction);
        payload.text = `[test] ${payload.text}`;
        const results = await gw.alerts.sendSample(payload);
        if (opts.json) print(json({ payload, results }));
        else print(table(results, [
          { header: 'WEBHOOK', value: (r) => r.target },
          { header: 'RESULT', value: (r) => (r.ok ? 'delivered' : `FAILED: ${r.error}`) },
        ]));
        const failed = results.filter((r) => !r.ok).length;
        if (failed > 0) throw new CliError(`${failed} of ${results.length} webhook(s) did not accept the sample`);
      });
    });
}
