import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildOptions {
  /** extra node flags, e.g. --expose-gc */
  nodeFlags?: string[];
  env?: Record<string, string>;
  timeoutMs: number;
  /**
   * Run the script as plain JavaScript (bundled once with esbuild, dependencies left to node_modules)
   * instead of through tsx: tsx keeps ~8 MB of transform state in the process, which memory figures
   * would otherwise charge to whichever side loads more of our TypeScript. Users run the built package.
   */
  compiled?: boolean;
}

const bundles = new Map<string, Promise<string>>();

/** bench/<script> bundled to bench/.build/ (beside node_modules, so package imports resolve) */
function bundled(script: string): Promise<string> {
  let out = bundles.get(script);
  if (!out) {
    const name = script.replace(/\.ts$/, '');
    const outdir = join(BENCH_DIR, '.build', name);
    out = build({ entryPoints: [join(BENCH_DIR, script)], outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', outExtension: { '.js': '.mjs' }, logLevel: 'error' }).then(() =>
      join(outdir, `${name}.mjs`),
    );
    bundles.set(script, out);
  }
  return out;
}

/**
 * Runs `bench/<script>` in a fresh Node process (through tsx unless `compiled`) and parses the JSON document it
 * prints on stdout. A fresh process isolates heap, JIT state and RSS from the other figures.
 */
export async function runChild<T>(script: string, args: string[], o: ChildOptions): Promise<T> {
  const entry = o.compiled ? [await bundled(script)] : ['--import', 'tsx', join(BENCH_DIR, script)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(o.nodeFlags ?? []), ...entry, ...args], {
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
