import { setLogSink } from '../../src/log.js';

/** Captures voicegateway log lines (the test setup silences them by default). */
export function captureLogs(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const level = process.env.VOICEGW_LOG_LEVEL;
  process.env.VOICEGW_LOG_LEVEL = 'info';
  const restoreSink = setLogSink((_l, m) => lines.push(m));
  return {
    lines,
    restore: () => {
      restoreSink();
      process.env.VOICEGW_LOG_LEVEL = level;
    },
  };
}
