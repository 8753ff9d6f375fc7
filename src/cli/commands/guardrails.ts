import type { Command } from 'commander';
import { print, withGateway } from '../context.js';
import { json, keyValues, table } from '../format.js';

/** `voicegw guardrails show|dry-run --project p`: a project's policy, and what it does to a text. */
export function guardrailsCommand(program: Command): void {
  const group = program.command('guardrails').description("a project's guardrail policy: show it, or dry-run it on a text");
  group
    .command('show')
    .description('the policy a new session of the project gets')
    .requiredOption('--project <id>', 'project id')
    .option('--json', 'print JSON')
    .action(async (opts: { project: string; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const setup = gw.guardrails(gw.requireProject(opts.project).id);
        if (opts.json) return print(json({ project: opts.project, enabled: setup !== null, policy: setup?.policy ?? null }));
        if (!setup) return print(`guardrails are off for ${opts.project}`);
        const c = setup.compiled;
        print(keyValues([['Project', opts.project], ...Object.entries(c.actions).map(([k, v]) => [k, v] as [string, string]), ['Regions', c.regions.join(', ')], ['Stream hold-back', c.streamHoldback]]));
      });
    });
  group
    .command('dry-run')
    .description("scan a text with the project's policy: findings and the redacted text (nothing is recorded)")
    .requiredOption('--project <id>', 'project id')
    .requiredOption('--text <text>', 'the text to scan')
    .option('--json', 'print JSON')
    .action(async (opts: { project: string; text: string; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const r = gw.guardrailDryRun(gw.requireProject(opts.project).id, opts.text);
        // never print the raw values: excerpts and the redacted text only
        const findings = r.findings.map((f) => ({ category: f.category, detector: f.detector, action: f.action, score: f.score, excerpt: f.excerpt }));
        if (opts.json) return print(json({ project: opts.project, enabled: r.enabled, findings, redacted: r.redacted }));
        if (!r.enabled) return print(`guardrails are off for ${opts.project}`);
        if (findings.length > 0) {
          print(table(findings, [
            { header: 'CATEGORY', value: (f) => f.category },
            { header: 'DETECTOR', value: (f) => f.detector },
            { header: 'ACTION', value: (f) => f.action },
            { header: 'EXCERPT', value: (f) => f.excerpt },
          ]));
        } else print('no findings');
        print(`redacted: ${r.redacted}`);
      });
    });
}
