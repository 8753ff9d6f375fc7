import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildOptions {
  /** extra node flags, e.g. --expose-gc */
  nodeFlags?: string[];
  env?: Record<string, string>;
  timeoutMs: number;
}

/**
 * Runs `bench/<script>` in a fresh Node process (through tsx) and parses the JSON document it
 * prints on stdout. A fresh process isolates heap, JIT state and RSS from the other figures.
 */
export function runChild<T>(script: string, args: string[], o: ChildOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(o.nodeFlags ?? []), '--import', 'tsx', join(BENCH_DIR, script), ...args], {
      cwd: join(BENCH_DIR, '..'),
      env: { ...process.env, ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${Math.round(o.timeoutMs / 1000)} s${err ? `: ${tail(err)}` : ''}`));
    }, o.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${tail(err || out)}`));
      try {
        resolve(JSON.parse(out.slice(out.indexOf('{'))) as T);
      } catch {
        reject(new Error(`${script} printed no JSON: ${tail(out || err)}`));
      }
    });
  });
}

function tail(s: string): string {
  return s.trim().split('\n').slice(-5).join(' | ').slice(-600);
}
