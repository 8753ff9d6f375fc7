import { redact } from './secrets.js';

/** A tiny leveled logger on stderr; every line is redacted (known credentials, URL passwords). Tests capture lines with `setLogSink`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

type Sink = (level: LogLevel, message: string) => void;
let sink: Sink = (level, message) => process.stderr.write(`[voicegateway] ${level}: ${message}\n`);
const once = new Set<string>();

function threshold(): number {
  const env = (process.env.VOICEGW_LOG_LEVEL ?? 'info') as LogLevel;
  return ORDER[env] ?? ORDER.info;
}

function emit(level: LogLevel, message: string): void {
  if (ORDER[level] >= threshold()) sink(level, redact(message));
}

export const log = {
  debug: (m: string) => emit('debug', m),
  info: (m: string) => emit('info', m),
  warn: (m: string) => emit('warn', m),
  error: (m: string) => emit('error', m),
  /** logs `message` only the first time `key` is seen in this process */
  once(level: LogLevel, key: string, message: string): boolean {
    if (once.has(key)) return false;
    once.add(key);
    emit(level, message);
    return true;
  },
};

/** Redirects log lines (for tests and embedding apps); returns a function that restores the previous sink. */
export function setLogSink(next: Sink): () => void {
  const prev = sink;
  sink = next;
  return () => void (sink = prev);
}
