import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../version.js';
import { alertsCommand } from './commands/alerts.js';
import { budgetCommand } from './commands/budget.js';
import { costsCommand } from './commands/costs.js';
import { dashboardCommand } from './commands/dashboard.js';
import { demoCommand } from './commands/demo.js';
import { exportCostsCommand } from './commands/export-costs.js';
import { initCommand } from './commands/init.js';
import { logsCommand } from './commands/logs.js';
import { mcpCommand } from './commands/mcp.js';
import { pricesCommand } from './commands/prices.js';
import { projectCommand } from './commands/project.js';
import { guardrailsCommand } from './commands/guardrails.js';
import { projectsCommand } from './commands/projects.js';
import { serveCommand } from './commands/serve.js';
import { sessionsCommand } from './commands/sessions.js';
import { statusCommand } from './commands/status.js';
import { CliError } from './context.js';

/** `voicegw`: every command; usage errors throw CommanderError (exit 2) instead of exiting. */
export function buildProgram(): Command {
  const program = new Command('voicegw')
    .description('Know and control what every LiveKit voice-agent call costs')
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('-c, --config <path>', 'voicegw.yaml to use (default: $VOICEGW_CONFIG, ./voicegw.yaml, ~/.config/voicegateway/voicegw.yaml)'))
    .exitOverride();
  for (const add of [
    initCommand,
    statusCommand,
    projectsCommand,
    projectCommand,
    guardrailsCommand,
    costsCommand,
    logsCommand,
    sessionsCommand,
    budgetCommand,
    alertsCommand,
    exportCostsCommand,
    pricesCommand,
    serveCommand,
    dashboardCommand,
    mcpCommand,
    demoCommand,
  ]) {
    add(program);
  }
  for (const cmd of withSubcommands(program)) cmd.configureOutput({ outputError: (text, write) => write(usageLine(cmd, text)) });
  return program;
}

/**
 * Commander's usage errors as the CLI's one documented line: `voicegw: <what is wrong> (see
 * voicegw <command> --help)`, instead of `error: …` plus a second line.
 */
export function usageLine(cmd: Command, text: string): string {
  const what = text.trim().replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
  const path: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) path.unshift(c.name());
  return `voicegw: ${what} (see ${path.join(' ')} --help)\n`;
}

function withSubcommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(withSubcommands)];
}

/** Runs the CLI and returns its exit code: 0 ok, 1 not found / failed, 2 bad usage. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      return 2; // commander already printed the message
    }
    if (err instanceof CliError) {
      process.stderr.write(`voicegw: ${err.message}\n`);
      return err.exitCode;
    }
    const name = err instanceof Error ? err.name : '';
    const message = err instanceof Error ? err.message : String(err);
    // configuration and gateway errors carry a message meant for the operator: no stack
    process.stderr.write(`voicegw: ${name && name !== 'Error' ? `${name}: ` : ''}${message}\n`);
    return 1;
  }
}
