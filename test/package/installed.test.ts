/**
 * The package as users get it: `npm pack` (which builds through `prepare`), installed from the
 * tarball into an empty project with the README's `overrides` entry, then used the documented
 * ways: `npx voicegw`, and the `voicegateway/guardrails` example of docs/guardrails.md run as-is.
 * Packs a copy of the sources so the build never races other tests over dist/.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from '../docs/blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['src', 'scripts', 'bin', 'docs', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'voicegw.yaml'];
const MINUTES = 60_000;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false', ...env }, timeout: 10 * MINUTES, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** The documented example: its `console.log(...); // expected` lines are the expected output. */
function documentedGuardrailsExample(): { code: string; expected: string[] } {
  const block = codeBlocks('docs/guardrails.md', readFileSync(`${ROOT}docs/guardrails.md`, 'utf8')).find((b) => b.text.includes("from 'voicegateway/guardrails'"));
  if (!block) throw new Error("docs/guardrails.md has no example importing 'voicegateway/guardrails'");
  const expected = block.text.split('\n').flatMap((l) => /^\s*console\.log\(.*\);\s*\/\/ (.*)$/.exec(l)?.[1] ?? []);
  return { code: block.text, expected };
}

describe('the packed package, installed into an empty project', () => {
  const work = mkdtempSync(join(tmpdir(), 'vgw-pack-'));
  const project = join(work, 'project');
  let tarball = '';

  beforeAll(async () => {
    const copy = join(work, 'voicegateway');
    for (const p of SOURCES) cpSync(join(ROOT, p), join(copy, p), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const packed = await run('npm', ['pack', '--pack-destination', work], copy);
    expect(packed.code, packed.stderr).toBe(0);
    tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

    const pkg = { name: 'my-agent', private: true, type: 'module', overrides: { '@livekit/agents': '$@livekit/agents' } };
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify(pkg, null, 2));
    // --ignore-scripts: the native SQLite binding is not needed for what is checked here
    const installed = await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], project);
    expect(installed.code, installed.stderr).toBe(0);
  }, 20 * MINUTES);

  afterAll(() => rm(work, { recursive: true, force: true }), 10 * MINUTES); // ~340 MB of node_modules

  it('ships the CLI launcher, the built library, the guardrails entry and the docs', async () => {
    const list = await run('tar', ['-tzf', tarball], work);
    const files = list.stdout.split('\n');
    for (const f of ['package/bin/voicegw.js', 'package/dist/cli/main.js', 'package/dist/guardrails/public.js', 'package/dist/guardrails/public.d.ts', 'package/docs/guardrails.md', 'package/README.md']) {
      expect(files).toContain(f);
    }
  });

  it('`npx voicegw --help` and `--version` work in the project', async () => {
    const help = await run('npx', ['voicegw', '--help'], project, { HOME: work });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: voicegw/);
    for (const c of ['init', 'status', 'costs', 'logs', 'serve', 'mcp', 'demo']) expect(help.stdout).toContain(`\n  ${c}`);
    const version = await run('npx', ['voicegw', '--version'], project, { HOME: work });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version);
  }, 2 * MINUTES);

  it('`npx voicegw demo` without the provider plugins fails (exit 1) with the whole install command', async () => {
    const pinned = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).devDependencies as Record<string, string>;
    const demo = await run('npx', ['voicegw', 'demo'], project, { HOME: work });
    expect(demo.code).toBe(1);
    expect(demo.stdout).toBe('');
    const plugins = ['deepgram', 'openai', 'cartesia'].map((p) => `@livekit/agents-plugin-${p}`);
    expect(demo.stderr).toContain(`Install them with: npm install -E ${plugins.map((p) => `${p}@${pinned[p]}`).join(' ')} (with "overrides": { "@livekit/agents": "$@livekit/agents" } in your package.json first`);
    expect(demo.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 2 * MINUTES);

  it("the documented voicegateway/guardrails example prints what docs/guardrails.md says", async () => {
    const { code, expected } = documentedGuardrailsExample();
    expect(expected.length).toBeGreaterThanOrEqual(3);
    writeFileSync(join(project, 'guardrails-example.mjs'), code); // the example is plain JavaScript
    const out = await run(process.execPath, ['guardrails-example.mjs'], project);
    expect(out.stderr).toBe('');
    expect(out.stdout.trimEnd().split('\n')).toEqual(expected);
  }, 2 * MINUTES);
});
