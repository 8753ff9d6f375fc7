import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { stringify } from 'yaml';
import { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { sineFrames } from '../../src/testing/index.js';
import { chatCtx, type Mocks, mockProviders, synthesize, transcribe } from '../helpers/stack.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Builds the dashboard exactly as `npm run build` does. */
export async function buildDashboard(outdir: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build-dashboard.mjs'), '--outdir', outdir], { cwd: ROOT });
}

/** Five projects covering every tag accent and budget state once seeded. */
export function dashboardConfig(mocks: Mocks, dbPath: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    providers: mockProviders(mocks),
    default_project: 'customer-support',
    projects: {
      'customer-support': { name: 'Customer Support Bot', description: 'Production support agent', daily_budget: 0.5, budget_action: 'throttle', tags: ['prod', 'support'], guardrails: { enabled: true, categories: { pii: 'redact' } } },
      'staging-agent': { name: 'Staging Agent', daily_budget: 0.2, budget_action: 'block', tags: ['staging'] },
      'qa-bot': { name: 'QA Bot', daily_budget: 0.13, budget_action: 'warn', tags: ['test'] },
      'dev-sandbox': { name: 'Dev Sandbox', daily_budget: 0, budget_action: 'warn', tags: ['dev'] },
      research: { name: 'Research', daily_budget: 1, budget_action: 'warn', tags: ['research'], guardrails: { enabled: true, categories: { medical: 'alert' } } },
    },
    fallbacks: {},
    cost_tracking: { db_path: dbPath },
    ...extra,
  };
}

export function writeConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(config));
  return path;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vgw-dash-'));
}

/** One call: STT, LLM and TTS of one session billed to `project`, through the real drop-ins and plugins. */
async function call(gw: Gateway, project: string, opts: { stt?: boolean; tts?: boolean; say?: string } = {}): Promise<void> {
  await inference.withProject(project, async () => {
    inference.startSession();
    if (opts.stt) await transcribe(new inference.STT('deepgram/nova-3:en', { gateway: gw }), sineFrames(2.4));
    const llm = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    llm.on('error', () => {}); // blocked requests surface as error events; the ledger row is what counts
    await llm.chat({ chatCtx: chatCtx(opts.say ?? 'Where is my order?') }).collect().catch(() => undefined);
    if (opts.tts) await synthesize(new inference.TTS('cartesia/sonic-3:a0e99841-438c-4a64-b679-ae501e7d6091', { gateway: gw }), 'Your order ships tomorrow morning.');
  });
}

/**
 * Seeds the ledger through the drop-ins (every LLM request is 200k prompt + 20k completion tokens =
 * $0.112 on gpt-4.1-mini): customer-support ok, qa-bot warning, staging-agent exceeded then blocked.
 */
export async function seed(gw: Gateway): Promise<void> {
  await call(gw, 'customer-support', { stt: true, tts: true, say: 'My card is 4111 1111 1111 1111, call me at +1 415 555 0132' });
  await call(gw, 'customer-support', { tts: true });
  await call(gw, 'staging-agent');
  await call(gw, 'staging-agent');
  await call(gw, 'staging-agent'); // over budget with action block: refused, recorded as a budget event
  await call(gw, 'qa-bot');
  await call(gw, 'dev-sandbox', { stt: true });
  await gw.drain();
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `voicegw serve --config <file> --port 0` as a user runs it (from sources through tsx). */
export async function startServe(configPath: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOICEGW_'))) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--config', configPath, '--port', '0'], {
    cwd: ROOT,
    env: { ...cleanEnv, VOICEGW_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`voicegw serve did not start within 20 s:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`voicegw serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Waits until the element's text equals `expected` (the page refreshes every 5 s); returns what it saw. */
export async function textOf(page: Page, testid: string, expected?: string, timeoutMs = 10_000): Promise<string> {
  const locator = page.getByTestId(testid).first();
  if (expected !== undefined) {
    await page
      .waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want, [testid, expected] as const, { timeout: timeoutMs })
      .catch(() => undefined); // the assertion after this reports the difference
  } else {
    await locator.waitFor({ timeout: timeoutMs });
  }
  return (await locator.textContent()) ?? '';
}

export function artifactPath(name: string): string {
  if (!existsSync(ARTIFACTS)) mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
