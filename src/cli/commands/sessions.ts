import type { Command } from 'commander';
import type { SessionCost } from '../../reports.js';
import { CliError, print, withGateway } from '../context.js';
import { json, keyValues, money, table, time } from '../format.js';
import { positiveInt } from './logs.js';

function perMinute(s: SessionCost): string {
  return s.perMinute === null ? '-' : `${money(s.perMinute)}/min`;
}

function duration(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  return m > 0 ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** `voicegw sessions` and `voicegw session <id>`: what calls cost, split by stt, llm, tts and realtime. */
export function sessionsCommand(program: Command): void {
  program
    .command('sessions')
    .description('recent sessions (calls), newest first: spend by stt, llm, tts, realtime, total and $/min')
    .option('-p, --project <id>', 'only this project')
    .option('-n, --limit <n>', 'how many sessions (default 20, at most 1000)', positiveInt(1000), 20)
    .option('--json', 'print JSON')
    .action(async (opts: { project?: string; limit: number; json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const sessions = await gw.reports.sessions({ project: opts.project, limit: opts.limit });
        if (opts.json) return print(json({ sessions }));
        if (sessions.length === 0) return print('No sessions recorded yet.');
        print(
          table(sessions, [
            { header: 'STARTED', value: (s) => time(s.startedAt) },
            { header: 'SESSION', value: (s) => s.id },
            { header: 'PROJECT', value: (s) => s.project },
            { header: 'DURATION', value: (s) => duration(s.durationSec), right: true },
            { header: 'STT', value: (s) => money(s.stt), right: true },
            { header: 'LLM', value: (s) => money(s.llm), right: true },
            { header: 'TTS', value: (s) => money(s.tts), right: true },
            { header: 'REALTIME', value: (s) => money(s.realtime), right: true },
            { header: 'TOTAL', value: (s) => money(s.total), right: true },
            { header: '$/MIN', value: perMinute, right: true },
          ]),
        );
      });
    });

  program
    .command('session')
    .description('one session (call): spend by stt, llm, tts, realtime, total, $/min, and its requests')
    .argument('<id>', 'session id (see voicegw sessions)')
    .option('--json', 'print JSON (the shape of GET /v1/sessions/:id)')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withGateway(cmd, async (gw) => {
        const session = await gw.reports.session(id);
        if (!session) throw new CliError(`no session '${id}' in the ledger (voicegw sessions lists them)`);
        const logs = await gw.reports.logs({ session: id, limit: 1000 });
        if (opts.json) return print(json({ ...session, logs }));
        print(
          keyValues([
            ['Session', session.id],
            ['Project', session.project],
            ['Started', time(session.startedAt)],
            ['Duration', duration(session.durationSec)],
            ['STT', money(session.stt)],
            ['LLM', money(session.llm)],
            ['TTS', money(session.tts)],
            ['Realtime', money(session.realtime)],
            ['Total', money(session.total)],
            ['Per minute', perMinute(session)],
            ['Requests', `${session.requests}${session.unpriced ? ` (${session.unpriced} unpriced, not in the total)` : ''}`],
          ]),
        );
        if (logs.length === 0) return;
        print('');
        print(
          table([...logs].reverse(), [
            { header: 'TIME', value: (e) => time(e.time) },
            { header: 'MOD', value: (e) => e.modality.toUpperCase() },
            { header: 'MODEL', value: (e) => `${e.provider}/${e.model}` },
            { header: 'COST', value: (e) => money(e.costUsd), right: true },
            { header: 'STATUS', value: (e) => e.status },
          ]),
        );
      });
    });
}
