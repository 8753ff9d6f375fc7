import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { stt } from '@livekit/agents';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { sineFrames } from '../../src/testing/index.js';
import { captureErrors, chatCtx, synthesize, transcribe } from '../helpers/stack.js';

export { captureLogs } from '../helpers/logs.js';

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One STT, one LLM and one TTS request through the drop-ins; throws unless all three are served in full. */
export async function callRound(gw: Gateway): Promise<void> {
  const llm = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
  const tts = new inference.TTS('cartesia/sonic-3', { gateway: gw });
  const sttModel = new inference.STT('deepgram/nova-3', { gateway: gw });
  const errors = [...captureErrors(llm), ...captureErrors(tts), ...captureErrors(sttModel)];
  const [answer, audio, events] = await Promise.all([
    llm.chat({ chatCtx: chatCtx('Are you there?') }).collect(),
    synthesize(tts, 'Yes, I am here.'),
    transcribe(sttModel, sineFrames(0.5)),
  ]);
  if (errors.length > 0) throw new Error(`request failed: ${errors.map((e) => e.error.message).join('; ')}`);
  if (!answer.text) throw new Error('LLM answered nothing');
  if (audio.seconds <= 0) throw new Error('TTS returned no audio');
  if (!events.some((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT)) throw new Error('STT returned no final transcript');
}

const LOCKER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO audit_log (ts, actor, source, action, target, detail) VALUES (0, 'locker', 'cli', 'lock', '', '')").run();
process.stdout.write('locked\\n');
const release = () => { if (!db.open) return; db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); process.stdin.destroy(); };
if (Number(process.argv[3]) > 0) setTimeout(release, Number(process.argv[3]));
process.stdin.on('data', release).on('end', release); // end: the test process is gone`;

/**
 * Another process that takes the SQLite write lock on `path` and holds it for `ms` (0: until
 * `release()` is called, so a test needs no guess of how long its steps take).
 */
export async function holdWriteLock(path: string, ms: number): Promise<{ released: Promise<number>; release: () => void }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', LOCKER, driver, path, String(ms)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const released = new Promise<number>((resolve) => lines.on('line', (l) => l === 'released' && resolve(Date.now())));
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (l) => l === 'locked' && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return { released, release: () => void child.stdin!.write('release\n') };
}
