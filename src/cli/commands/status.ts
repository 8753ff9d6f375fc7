import type { Command } from 'commander';
import type { Gateway } from '../../gateway.js';
import { packageVersion } from '../../version.js';
import { print, withGateway } from '../context.js';
import { json, keyValues, table } from '../format.js';

/** `voicegw status`: config file, ledger, projects, and which providers have keys (masked). */
export function statusCommand(program: Command): void {
  program
    .command('status')
    .description('show the config in use, the ledger, and which providers are configured')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const projects = gw.projects();
        const providers = gw.providerSummary();
        const alerts = await gw.alertStatus();
        const ledger = gw.ledgerStatus(); // location already masked
        if (opts.json) {
          const count = (source: string) => projects.filter((p) => p.source === source).length;
          print(
            json({
              version: packageVersion(),
              config_path: gw.loaded.source,
              ledger,
              budget_timezone: gw.config.budget_timezone,
              default_project: gw.config.default_project ?? 'default',
              projects: { total: projects.length, yaml: count('yaml'), runtime: count('runtime') },
              providers,
              alerts,
            }),
          );
          return;
        }
        print(
          keyValues([
            ['Config', gw.loaded.source ?? '(none found: running on defaults; create one with `voicegw init`)'],
            ['Ledger', `${ledger.kind} ${ledger.location}${ledger.state === 'ok' ? '' : ` DEGRADED since ${ledger.since ?? 'start'}: ${ledger.problem}`}`],
            ...(ledger.state === 'ok' && ledger.lostRows === 0
              ? []
              : [['Ledger rows', `${ledger.queuedRows} waiting in memory, ${ledger.lostRows} lost; budgets from ${ledger.budgets === 'ledger' ? 'the ledger' : "this process's own spend"}`] as [string, string]]),
            ['Projects', `${projects.length} (${projects.map((p) => p.id).join(', ')})`],
            ['Default project', gw.config.default_project ?? 'default'],
            ['Budget time zone', gw.config.budget_timezone],
            ['Alerts', alertsLine(alerts)],
          ]),
        );
        print('');
        print(
          table(providers, [
            { header: 'PROVIDER', value: (p) => p.name },
            { header: 'TYPE', value: (p) => p.kind },
            { header: 'MODALITIES', value: (p) => p.modalities.join(',') },
            { header: 'CONFIGURED', value: (p) => (p.configured ? 'yes' : 'no') },
            { header: 'KEY', value: (p) => (p.kind === 'local' ? '-' : p.maskedKey ? `${p.maskedKey} (${p.keySource})` : p.configured ? 'per project' : 'missing') },
            { header: 'BASE URL', value: (p) => p.baseURL ?? '-' },
          ]),
        );
      });
    });
}

function alertsLine(a: Awaited<ReturnType<Gateway['alertStatus']>>): string {
  if (a.webhooks === 0) return 'no webhooks (alerts.webhooks in voicegw.yaml)';
  const last = a.failed[0];
  if (!last) return `${a.webhooks} webhook(s), no failed deliveries`;
  return `${a.webhooks} webhook(s); ${a.failed.length} FAILED lately, last: ${last.event} '${last.project}' ${last.day} to ${last.target} after ${last.attempts} attempt(s): ${last.lastError}`;
}
