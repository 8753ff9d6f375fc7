import { type Command, InvalidArgumentError, Option } from 'commander';
import type { LogEntry } from '../../reports.js';
import { MODALITIES, type Modality } from '../../types.js';
import { print, withGateway } from '../context.js';
import { json, money, ms, table, time } from '../format.js';

export function positiveInt(max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return Number(value);
  };
}

function units(e: LogEntry): string {
  if (e.modality === 'stt') return `${e.inputUnits.toFixed(1)}s`;
  if (e.modality === 'tts') return `${e.inputUnits} chars`;
  if (e.modality === 'realtime') return `${e.inputUnits}+${e.outputUnits} tok (text+audio)`;
  return `${e.inputUnits}+${e.outputUnits} tok`;
}

const ERROR_WIDTH = 60;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `voicegw logs`: the most recent provider attempts, newest first. */
export function logsCommand(program: Command): void {
  program
    .command('logs')
    .description('recent provider attempts, newest first')
    .option('-p, --project <id>', 'only this project')
    .addOption(new Option('-m, --modality <modality>', 'only stt, llm, tts or realtime').choices([...MODALITIES]))
    .option('-n, --limit <n>', 'how many rows (default 20, at most 1000)', positiveInt(1000), 20)
    .option('--json', 'print JSON')
    .action(async (opts: { project?: string; modality?: Modality; limit: number; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const logs = await gw.reports.logs({ project: opts.project, modality: opts.modality, limit: opts.limit });
        if (opts.json) return print(json({ logs }));
        if (logs.length === 0) return print('No requests recorded yet.');
        print(
          table(logs, [
            { header: 'TIME', value: (e) => time(e.time) },
            { header: 'PROJECT', value: (e) => e.project },
            { header: 'MOD', value: (e) => e.modality.toUpperCase() },
            { header: 'MODEL', value: (e) => `${e.provider}/${e.model}` },
            { header: 'UNITS', value: units, right: true },
            { header: 'COST', value: (e) => money(e.costUsd), right: true },
            { header: 'TTFB', value: (e) => ms(e.ttfbMs), right: true },
            { header: 'LATENCY', value: (e) => ms(e.latencyMs), right: true },
            { header: 'STATUS', value: (e) => (e.fallbackFrom ? `${e.status} (from ${e.fallbackFrom})` : e.status) },
            { header: 'THROTTLE', value: (e) => e.throttle ?? '-' },
            // last, so a long message never pushes the other columns; --json has it whole
            { header: 'ERROR', value: (e) => shorten(e.error ?? '-', ERROR_WIDTH) },
          ]),
        );
      });
    });
}
