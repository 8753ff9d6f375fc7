import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, globals, print } from '../context.js';
import { CONFIG_TEMPLATE } from '../template.js';

/** `voicegw init`: writes a commented voicegw.yaml (never over an existing file without --force). */
export function initCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented voicegw.yaml (to --config, or ./voicegw.yaml)')
    .option('-f, --force', 'overwrite an existing file')
    .action((opts: { force?: boolean }, cmd: Command) => {
      const target = resolve(globals(cmd).config ?? 'voicegw.yaml');
      if (existsSync(target) && !opts.force) {
        throw new CliError(`${target} already exists; pass --force to overwrite it`);
      }
      try {
        writeFileSync(target, CONFIG_TEMPLATE, { mode: 0o600 });
      } catch (err) {
        throw new CliError(`Cannot write ${target}: ${(err as Error).message}`);
      }
      print(`Wrote ${target}\nNext: set DEEPGRAM_API_KEY / OPENAI_API_KEY / CARTESIA_API_KEY (or edit the file), then run: npx voicegw status`);
    });
}
