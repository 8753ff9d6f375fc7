import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, buildDashboard, CHROMIUM, CHROMIUM_ARGS, type ServeProcess, startServe, tempDir, textOf, writeConfig } from './harness.js';

const TOKEN = 'dash-token-3f9c';
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  const dir = tempDir();
  await buildDashboard(join(process.cwd(), 'dist', 'dashboard'));
  const config = writeConfig(dir, 'voicegw.yaml', {
    cost_tracking: { db_path: join(dir, 'ledger.db') },
    auth: { api_keys: [{ token: TOKEN, name: 'operator', scopes: ['read', 'write'] }] },
  });
  serve = await startServe(config);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('dashboard with API auth on', () => {
  it('asks for a token, refuses a wrong one, then shows a new user what to do next', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const unauthorized: string[] = [];
    page.on('response', (r) => r.status() === 401 && unauthorized.push(new URL(r.url()).pathname));

    await page.goto(`${serve.url}/`);
    await page.getByTestId('login').waitFor();
    expect(await page.getByTestId('stat-spend-today-value').textContent()).toBe('—'); // no data before sign-in

    await page.getByTestId('token-input').fill('not-the-token');
    await page.getByTestId('token-input').press('Enter');
    await page.waitForFunction(() => document.querySelector('.login-message')?.textContent?.startsWith('Invalid bearer token'));
    expect(await page.getByTestId('login').isVisible()).toBe(true);

    await page.getByTestId('token-input').fill(TOKEN);
    await page.getByTestId('token-input').press('Enter');
    expect(await textOf(page, 'stat-spend-today-value', '$0.0000')).toBe('$0.0000');
    expect(await page.getByTestId('login').isVisible()).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem('voicegw.token'))).toBe(TOKEN);

    // empty ledger: the overview says how to start metering, each empty table says what fills it
    await page.getByTestId('getting-started').waitFor();
    expect(await page.getByTestId('getting-started').textContent()).toContain("new inference.LLM('openai/gpt-4.1-mini')");
    await page.screenshot({ path: artifactPath('dashboard-empty.png'), fullPage: true });
    expect(unauthorized.length).toBeGreaterThan(0);

    await page.goto(`${serve.url}/#/logs`);
    expect(await textOf(page, 'empty-state')).toContain('No requests match');
    await page.close();
  });
});
