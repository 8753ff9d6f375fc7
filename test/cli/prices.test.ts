import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { PriceCatalog } from '../../src/metering/catalog-view.js';
import { GENAI_PRICES_VERSION } from '../../src/metering/prices/index.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await runCli(['node', 'voicegw', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** The models the "Done when" names, and the modality each must be priced under. */
const MUST_PRICE: [string, 'stt' | 'llm' | 'tts'][] = [
  ['openai/gpt-4o', 'llm'],
  ['openai/gpt-4o-mini', 'llm'],
  ['openai/gpt-4.1', 'llm'],
  ['openai/gpt-4.1-mini', 'llm'],
  ['openai/gpt-4.1-nano', 'llm'],
  ['openai/o4-mini', 'llm'],
  ['openai/gpt-5', 'llm'],
  ['openai/gpt-5-mini', 'llm'],
  ['anthropic/claude-sonnet-4-20250514', 'llm'],
  ['anthropic/claude-3-5-haiku-latest', 'llm'],
  ['google/gemini-2.5-flash', 'llm'],
  ['google/gemini-2.5-pro', 'llm'],
  ['xai/grok-3-mini', 'llm'],
  ['groq/llama-3.3-70b-versatile', 'llm'],
  ['deepgram/nova-3', 'stt'],
  ['openai/whisper-1', 'stt'],
  ['elevenlabs/eleven_flash_v2_5', 'tts'],
  ['cartesia/sonic-3', 'tts'],
  ['deepgram/aura-2', 'tts'],
  ['openai/tts-1', 'tts'],
];

describe('voicegw prices', () => {
  let config: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'voicegw-prices-'));
    config = join(dir, 'voicegw.yaml');
    writeFileSync(
      config,
      'prices:\n  llm:\n    "openai/gpt-4.1-mini": { input_per_1m: 0.35, output_per_1m: 1.40, as_of: "2020-01-01" }\ncost_tracking:\n  db_path: ./ledger.db\n',
    );
  });

  it('--json prices every model the issue lists, with unit, price, source and as_of', async () => {
    const r = await cli('-c', config, 'prices', '--json', ...MUST_PRICE.map(([m]) => m));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const catalog = JSON.parse(r.out) as PriceCatalog;
    expect(catalog.missing).toEqual([]);
    for (const [model, modality] of MUST_PRICE) {
      const row = catalog.rows.find((x) => (x.requested ?? x.model) === model && x.modality === modality);
      expect(row, model).toBeDefined();
      expect(Object.values(row!.prices).every((v) => typeof v === 'number' && v > 0), model).toBe(true);
      expect(row!.source, model).toMatch(/^(genai-prices@\d+\.\d+\.\d+|voicegateway-catalog@\d{4}-\d{2}-\d{2}|yaml)$/);
    }
    const nova = catalog.rows.find((x) => x.model === 'deepgram/nova-3')!;
    expect(nova.prices).toEqual({ per_minute: 0.0043, streaming_per_minute: 0.0048 });
    const sonnet = catalog.rows.find((x) => x.requested === 'anthropic/claude-sonnet-4-20250514')!;
    expect(sonnet).toMatchObject({ model: 'anthropic/claude-sonnet-4-0', source: `genai-prices@${GENAI_PRICES_VERSION}`, override: false, prices: { input_per_1m: 3, cached_input_per_1m: 0.3, output_per_1m: 15 } });
    expect(catalog.rows.find((x) => x.model === 'openai/gpt-4.1-mini')).toMatchObject({ override: true, source: 'yaml', origin: 'yaml' });
  });

  it('the whole catalog lists our STT/TTS entries and genai-prices LLMs; a table without --json', async () => {
    const r = await cli('-c', config, 'prices');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^MODALITY\s+MODEL\s+PRICE \(USD\)\s+SOURCE\s+AS OF\s+FLAGS/);
    expect(r.out).toMatch(/stt\s+deepgram\/nova-3\s+0\.0043\/min \(streaming 0\.0048\/min\)/);
    expect(r.out).toMatch(/llm\s+openai\/gpt-4\.1-mini\s+.*yaml.*override/);
    const all = JSON.parse((await cli('-c', config, 'prices', '--json')).out) as PriceCatalog;
    expect(all.rows.filter((x) => x.origin === 'genai-prices').length).toBeGreaterThan(100);
  });

  it('an unpriced model exits 1 with how to add a price', async () => {
    const r = await cli('-c', config, 'prices', 'openai/gpt-4o', 'acme/mystery-1');
    expect(r.code).toBe(1);
    expect(r.out).toContain('openai/gpt-4o');
    expect(r.err).toContain('no price for acme/mystery-1: add it to voicegw.yaml: prices:');
  });

  it('--stale-days flags entries older than N days and exits 1 when any is', async () => {
    const fresh = await cli('-c', config, 'prices', '--json', '--stale-days', '100000', 'openai/gpt-4o');
    expect(fresh.code).toBe(0);
    expect((JSON.parse(fresh.out) as PriceCatalog).stale).toBe(0);
    const old = await cli('-c', config, 'prices', '--json', '--stale-days', '30', 'openai/gpt-4.1-mini', 'openai/gpt-4o');
    expect(old.code).toBe(1);
    const catalog = JSON.parse(old.out) as PriceCatalog;
    expect(catalog.rows.find((x) => x.model === 'openai/gpt-4.1-mini')!.stale).toBe(true); // as_of 2020-01-01
    expect(old.err).toMatch(/older than 30 day/);
    expect((await cli('-c', config, 'prices', '--stale-days', 'soon')).code).toBe(2);
  });
});
