import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { type PriceCatalog, type PriceRow, priceSummary } from '../../src/metering/catalog-view.js';
import { artifactPath, buildDashboard, CHROMIUM, CHROMIUM_ARGS, type ServeProcess, startServe, tempDir, writeConfig } from './harness.js';

// The dashboard's Prices page in Chromium, served by `voicegw serve`, against `voicegw prices --json`
// run on the same voicegw.yaml: every row, with its unit and price, source, as_of and flags.

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let catalog: PriceCatalog;
const consoleErrors: string[] = [];

const CONFIG = {
  prices: {
    llm: { 'openai/gpt-4.1-mini': { input_per_1m: 0.35, output_per_1m: 1.4, as_of: '2026-11-30' } },
    tts: { 'elevenlabs/eleven_flash_v2_5': { per_1m_characters: 40, as_of: '2026-12-01' } },
    stt: { 'acme/ears-1': { per_minute: 0.002 } },
  },
  projects: { p: { name: 'P' } },
  default_project: 'p',
};

async function pricesJson(configPath: string): Promise<PriceCatalog> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  try {
    expect(await runCli(['node', 'voicegw', '-c', configPath, 'prices', '--json'])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(out) as PriceCatalog;
}

beforeAll(async () => {
  const dir = tempDir();
  await buildDashboard(join(process.cwd(), 'dist', 'dashboard'));
  const configPath = writeConfig(dir, 'voicegw.yaml', { ...CONFIG, cost_tracking: { db_path: join(dir, 'ledger.db') } });
  catalog = await pricesJson(configPath);
  serve = await startServe(configPath);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

type Cells = { key: string; cells: string[]; titles: string[] };

/** Every row of the prices table, once it shows `n` rows. */
async function tableRows(n: number): Promise<Cells[]> {
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid="table-prices"] tbody tr').length === want, n, { timeout: 15_000 });
  return page.$$eval('[data-testid="table-prices"] tbody tr', (trs) =>
    trs.map((tr) => ({ key: tr.getAttribute('data-key') ?? '', cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? ''), titles: Array.from(tr.querySelectorAll('td')).map((td) => td.title) })),
  );
}

/** What the page must show for one `voicegw prices --json` row. */
function expected(r: PriceRow): string[] {
  const flags = [r.override ? 'override' : '', r.verified ? '' : 'unverified'].filter(Boolean).join(', ') || '-';
  return [r.modality.toUpperCase(), r.model, priceSummary(r), r.source, r.as_of || '-', flags];
}

describe('dashboard Prices page (Chromium) = voicegw prices --json', () => {
  it('lists every catalog row with its unit and price, source, as_of and override / unverified marks', async () => {
    expect(catalog.rows.length).toBeGreaterThan(100); // genai-prices LLMs plus our STT/TTS catalog
    await page.goto(`${serve.url}/#/prices`);
    const shown = await tableRows(catalog.rows.length);
    expect(shown.map((r) => r.key)).toEqual(catalog.rows.map((r) => `${r.modality}:${r.model}`));
    expect(shown.map((r) => r.cells)).toEqual(catalog.rows.map(expected));
    expect(await page.getByTestId('prices-summary').textContent()).toBe(`${catalog.rows.length} of ${catalog.rows.length}`);

    const row = (model: string) => shown.find((r) => r.cells[1] === model)!;
    // the YAML overrides are marked and take the place of the built-in figure
    const mini = catalog.rows.find((r) => r.model === 'openai/gpt-4.1-mini')!;
    expect(mini.prices).toMatchObject({ input_per_1m: 0.35, output_per_1m: 1.4 });
    expect(row('openai/gpt-4.1-mini').cells.slice(2)).toEqual([priceSummary(mini), 'yaml', '2026-11-30', 'override']);
    expect(row('openai/gpt-4.1-mini').cells[2]).toMatch(/^in 0\.35 \/ cached \S+ \/ out 1\.4 per 1M tok$/);
    expect(row('elevenlabs/eleven_flash_v2_5').cells.slice(2)).toEqual(['40/1M chars', 'yaml', '2026-12-01', 'override']);
    expect(row('acme/ears-1').cells.slice(2)).toEqual(['0.002/min', 'yaml', '-', 'override']);
    // units as each modality bills them; Deepgram's two rates; where each figure was read (hover)
    expect(row('deepgram/nova-3').cells[2]).toBe('0.0043/min (streaming 0.0048/min)');
    expect(row('deepgram/nova-3').titles[3]).toBe(catalog.rows.find((r) => r.model === 'deepgram/nova-3')!.reference);
    expect(row('elevenlabs/scribe_v2_realtime').cells[0]).toBe('STT');
    await page.screenshot({ path: artifactPath('dashboard-prices.png'), fullPage: false });
  });

  it('the type filter and the model search narrow the same rows the CLI lists', async () => {
    await page.goto(`${serve.url}/#/prices?modality=stt`);
    const stt = catalog.rows.filter((r) => r.modality === 'stt');
    expect((await tableRows(stt.length)).map((r) => r.cells)).toEqual(stt.map(expected));
    await page.getByTestId('filter-model').fill('scribe_');
    const scribe = stt.filter((r) => r.model.includes('scribe_'));
    expect(scribe.length).toBe(3);
    expect((await tableRows(scribe.length)).map((r) => r.cells[1])).toEqual(scribe.map((r) => r.model));
    expect(await page.getByTestId('prices-summary').textContent()).toBe(`3 of ${stt.length}`);
    await page.getByTestId('filter-model').fill('no-such-model');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="table-prices"] tbody tr').length === 0 || getComputedStyle(document.querySelector('[data-testid="table-prices"] .table-scroll')!).display === 'none');
    expect(await page.getByTestId('table-prices').textContent()).toContain('No prices match');
  });

  it('loaded without console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
