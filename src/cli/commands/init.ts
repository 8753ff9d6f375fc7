import { resolve } from 'node:path';
import type { Command } from 'commander';
import { globals, print, writeOutputFile } from '../context.js';
import { CONFIG_TEMPLATE } from '../template.js';

/** `voicegw init`: writes a commented voicegw.yaml (never over an existing file without --force). */
export function initCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented voicegw.yaml (to --config, or ./voicegw.yaml)')
    .option('-f, --force', 'overwrite an existing file')
    .action((opts: { force?: boolean }, cmd: Command) => {
      const target = resolve(globals(cmd).config ?? 'voicegw.yaml');
      writeOutputFile(target, CONFIG_TEMPLATE, { force: opts.force, mode: 0o600 });
      print(`Wrote ${target}\nNext: set DEEPGRAM_API_KEY / OPENAI_API_KEY / CARTESIA_API_KEY (or edit the file), then run: npx voicegw status`);
    });
}
