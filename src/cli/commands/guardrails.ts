import { userInfo } from 'node:os';
import { type Command, Option } from 'commander';
import type { Actor } from '../../admin.js';
import type { Gateway } from '../../gateway.js';
import { GUARDRAIL_ACTIONS, GUARDRAIL_CATEGORIES } from '../../guardrails/types.js';
import type { GuardrailsView } from '../../project-guardrails.js';
import { CliError, print, withGateway } from '../context.js';
import { json, keyValues, table } from '../format.js';

/** `voicegw guardrails show|set|clear|dry-run --project p`: a project's policy, steered at run time, and what it does to a text. */
export function guardrailsCommand(program: Command): void {
  const group = program.command('guardrails').description("a project's guardrail policy: show it, set or clear a category's action, or dry-run it on a text");
  group
    .command('show')
    .description('the policy a new session of the project gets, and where each action is set')
    .requiredOption('--project <id>', 'project id')
    .option('--json', 'print JSON')
    .action(async (opts: { project: string; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const view = gw.guardrailsView(gw.requireProject(opts.project).id);
        printView(gw, view, opts.json);
      });
    });
  group
    .command('set')
    .description("set one category's action on a runtime project (turns its guardrails on; new sessions get it, running ones keep theirs)")
    .requiredOption('--project <id>', 'project id')
    .addOption(new Option('--category <category>', 'guardrail category').choices(GUARDRAIL_CATEGORIES).makeOptionMandatory())
    .addOption(new Option('--action <action>', 'what the category does').choices(GUARDRAIL_ACTIONS).makeOptionMandatory())
    .option('--json', 'print JSON')
    .action(async (opts: { project: string; category: string; action: string; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const id = gw.requireProject(opts.project).id;
        await write(() => gw.admin.editGuardrails(id, { categories: { [opts.category]: opts.action } }, cliActor()));
        printView(gw, gw.guardrailsView(id), opts.json);
      });
    });
  group
    .command('clear')
    .description("clear a runtime project's own action for one category, or (without --category) all its guardrail settings: the top-level guardrails: apply again")
    .requiredOption('--project <id>', 'project id')
    .addOption(new Option('--category <category>', 'only this category').choices(GUARDRAIL_CATEGORIES))
    .option('--json', 'print JSON')
    .action(async (opts: { project: string; category?: string; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const id = gw.requireProject(opts.project).id;
        const actor = cliActor();
        await write(() => (opts.category ? gw.admin.editGuardrails(id, { categories: { [opts.category]: null } }, actor) : gw.admin.clearGuardrails(id, actor)));
        printView(gw, gw.guardrailsView(id), opts.json);
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

const FROM = { project: 'set by the project', defaults: 'top-level default', none: 'not set' } as const;

function printView(gw: Gateway, view: GuardrailsView, asJson?: boolean): void {
  if (asJson) return print(json({ ...view, policy: gw.guardrails(view.project)?.policy ?? null }));
  const where = view.source === 'yaml' ? 'voicegw.yaml (read-only at run time)' : view.source === 'runtime' ? 'runtime (voicegw guardrails set|clear, API, MCP, dashboard)' : 'automatic default (read-only)';
  if (!view.enabled) {
    print(`guardrails are off for ${view.project}`);
    print(keyValues([['Settings', where]]));
    return;
  }
  print(
    keyValues([
      ['Project', view.project],
      ['Settings', where],
      ...Object.entries(view.categories).map(([c, r]) => [c, `${r.action} (${FROM[r.from]})`] as [string, string]),
      ['Regions', view.regions.join(', ')],
      ['Stream hold-back', view.stream_holdback],
      ['Injection classifier', view.injection_classifier ? 'on' : 'off'],
    ]),
  );
}

/** Refusals the operator can act on (read-only project, a policy that would not compile): exit 1 with the reason. */
async function write<T>(fn: () => Promise<T>): Promise<T> {
  const { ProjectWriteError } = await import('../../admin.js');
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProjectWriteError) throw new CliError(err.message);
    throw err;
  }
}

function cliActor(): Actor {
  let name = 'cli';
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry (containers): the source still says cli
  }
  return { name, source: 'cli' };
}
