import type { Command } from 'commander';

/** `voicegw demo`: a scripted call through the drop-ins against bundled mock providers (src/cli/demo.ts). */
export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('run a short scripted call against mock providers and show what it cost (no keys needed)')
    .option('--keep-ledger', 'keep the temporary ledger file and print its path')
    .action(async (opts: { keepLedger?: boolean }) => {
      const { runDemo } = await import('../demo.js');
      await runDemo({ keepLedger: opts.keepLedger });
    });
}
