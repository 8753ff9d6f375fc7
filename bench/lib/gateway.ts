import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gateway } from '../../src/gateway.js';
import { setLogSink } from '../../src/log.js';
import { benchConfig, type MockUrls } from './setup.js';

/** A Gateway on `benchConfig` with its SQLite ledger in a temporary directory. */
export async function openBenchGateway(urls: MockUrls): Promise<{ gw: Gateway; dir: string; close(): Promise<void> }> {
  setLogSink(() => {});
  const dir = mkdtempSync(join(tmpdir(), 'voicegw-bench-'));
  const gw = await Gateway.open({ config: benchConfig(urls), dbPath: join(dir, 'ledger.db'), env: {} });
  return {
    gw,
    dir,
    close: async () => {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
