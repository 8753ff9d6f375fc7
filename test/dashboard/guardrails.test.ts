import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
import { artifactPath, buildDashboard, CHROMIUM, CHROMIUM_ARGS, type ServeProcess, startServe, tempDir, textOf, writeConfig } from './harness.js';

let gw: Gateway;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const failed: string[] = [];

beforeAll(async () => {
  const dir = tempDir();
  await buildDashboard(join(process.cwd(), 'dist', 'dashboard'));
  const configPath = writeConfig(dir, 'voicegw.yaml', {
    projects: { 'customer-support': { name: 'Customer Support Bot', guardrails: { enabled: true, categories: { pii: 'redact' } } } },
    guardrails: { categories: { prompt_injection: 'alert' } },
    cost_tracking: { db_path: join(dir, 'ledger.db') },
  });
  gw = await Gateway.open({ path: configPath, env: {} });
  await gw.admin.create({ id: 'ops-line', name: 'Ops Line' }, { name: 'test', source: 'sdk' });
  serve = await startServe(configPath);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && consoleErrors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await gw?.close();
});

const select = (c: string) => page.getByTestId(`guardrail-action-${c}`);

describe('dashboard: the guardrail policy panel', { timeout: 60_000 }, () => {
  it('shows a YAML project read-only, each category with its action and origin', async () => {
    await page.goto(`${serve.url}/#/project/customer-support`);
    await page.getByTestId('panel-guardrail-policy').waitFor();
    expect(await textOf(page, 'guardrail-from-pii', 'set by this project')).toBe('set by this project');
    expect(await select('pii').inputValue()).toBe('redact');
    expect(await select('prompt_injection').inputValue()).toBe('alert');
    expect(await textOf(page, 'guardrail-from-prompt_injection')).toBe('top-level default');
    expect(await select('pii').isDisabled()).toBe(true);
    expect(await textOf(page, 'guardrail-policy-status')).toContain('Edit projects.customer-support.guardrails in the YAML');
    expect(await page.getByTestId('guardrail-reset').isVisible()).toBe(false);
  });

  it('edits a runtime project category by category: stored, audited, refused choices explained and reverted, reset to defaults', async () => {
    await page.goto(`${serve.url}/#/project/ops-line`);
    await page.getByTestId('panel-guardrail-policy').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="guardrail-policy-status"]')?.textContent?.startsWith('Off'));
    expect(await select('pii').isDisabled()).toBe(false);

    await select('pii').selectOption('block');
    expect(await textOf(page, 'guardrail-from-pii', 'set by this project')).toBe('set by this project');
    expect(await textOf(page, 'guardrail-policy-status')).toMatch(/^On\. .*sessions already running keep the policy they started with/);
    expect(await textOf(page, 'guardrails-empty-hint')).toMatch(/^Guardrails are on for this project/);
    await gw.reloadProjects();
    expect(gw.guardrails('ops-line')?.compiled.actions).toMatchObject({ pii: 'block', prompt_injection: 'alert', financial: 'off' });
    await page.screenshot({ path: artifactPath('dashboard-guardrail-policy.png'), fullPage: true });

    // off_topic needs a topic: the API refuses, the panel says why and shows what is stored
    await select('off_topic').selectOption('block');
    await page.waitForFunction(() => document.querySelector('[data-testid="guardrail-policy-error"]')?.textContent?.includes('no topic is set'));
    expect(await select('off_topic').inputValue()).toBe('off');
    await gw.reloadProjects();
    expect(gw.guardrails('ops-line')?.compiled.actions.off_topic).toBe('off');

    await page.getByTestId('guardrail-reset').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="guardrail-from-pii"]')?.textContent?.startsWith('not set'));
    await gw.reloadProjects();
    expect(gw.guardrails('ops-line')).toBeNull();

    const audit = (await gw.ledger.auditLog({ limit: 20 })).filter((a) => a.target === 'ops-line' && a.action.startsWith('project.guardrails'));
    expect(audit.map((a) => `${a.action}:${a.source}`)).toEqual(['project.guardrails.clear:api', 'project.guardrails:api']);
  });

  it('loaded without console errors; the only refused request is the off_topic choice', () => {
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual(['PUT /v1/projects/ops-line/guardrails 400']);
  });
});
