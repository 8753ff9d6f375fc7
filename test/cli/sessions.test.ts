import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
import type { RequestRecord } from '../../src/ledger/types.js';
import { voicegw } from './helpers.js';

const T = Date.now() - 10 * 60_000;

function row(over: Partial<RequestRecord>): RequestRecord {
  return {
    id: randomUUID(), ts: T, project: 'support', sessionId: 'call-42', modality: 'realtime', provider: 'openai', model: 'gpt-realtime',
    inputUnits: 100, outputUnits: 200, cachedUnits: 0, costNanos: 20_000_000, pricingSource: 'test', ttfbMs: 300, latencyMs: 2000,
    status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0, ...over,
  };
}

// each command is a real process that loads @livekit/agents: few spawns, side by side
describe.concurrent('voicegw sessions / session <id>', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  const run = (...args: string[]) => voicegw(['--config', config, ...args], { cwd: dir, env: { HOME: dir } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voicegw-sessions-'));
    config = join(dir, 'voicegw.yaml');
    writeFileSync(config, 'projects:\n  support:\n    name: Support\ncost_tracking:\n  db_path: ./ledger.db\n');
    const gw = await Gateway.open({ path: config, env: {} });
    // call-42: two realtime answers and a whisper-1 transcription over 2 minutes
    await gw.ledger.record(row({ ts: T }));
    await gw.ledger.record(row({ ts: T + 60_000, costNanos: 21_200_000 }));
    await gw.ledger.record(row({ ts: T + 120_000, modality: 'stt', model: 'whisper-1', inputUnits: 4, outputUnits: 0, costNanos: 400_000, latencyMs: null }));
    // call-7: a pipeline call
    await gw.ledger.record(row({ sessionId: 'call-7', ts: T + 300_000, modality: 'llm', model: 'gpt-4.1-mini', costNanos: 1_000_000 }));
    await gw.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('session <id>: stt, llm, tts, realtime, total and $/min, then its requests', async () => {
    const r = await run('session', 'call-42');
    expect(r.code, r.stderr).toBe(0);
    const kv = Object.fromEntries(r.stdout.split('\n\n')[0]!.split('\n').map((l) => l.split(/:\s+/)));
    expect(kv).toMatchObject({ Session: 'call-42', Project: 'support', Duration: '2m 00s', STT: '$0.0004', LLM: '$0.0000', TTS: '$0.0000', Realtime: '$0.0412', Total: '$0.0416', 'Per minute': '$0.0208/min', Requests: '3' });
    const requests = r.stdout.split('\n\n')[1]!.trim().split('\n');
    expect(requests[0]).toMatch(/^TIME\s+MOD\s+MODEL\s+COST\s+STATUS$/);
    expect(requests.slice(1).map((l) => l.split(/\s{2,}/)[1])).toEqual(['REALTIME', 'REALTIME', 'STT']); // oldest first
  });

  it('session <id> --json: the shape of GET /v1/sessions/:id', async () => {
    const r = await run('session', 'call-42', '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ id: 'call-42', project: 'support', durationSec: 120, stt: 0.0004, llm: 0, tts: 0, realtime: 0.0412, total: 0.0416, requests: 3, unpriced: 0 });
    expect(s.perMinute).toBeCloseTo(0.0208, 12);
    expect(s.logs).toHaveLength(3);
  });

  it('session <unknown>: exit 1 naming the way to list sessions', async () => {
    const r = await run('session', 'nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no session 'nope' in the ledger (voicegw sessions lists them)");
  });

  it('sessions: newest first with the breakdown columns', async () => {
    const r = await run('sessions');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['STARTED', 'SESSION', 'PROJECT', 'DURATION', 'STT', 'LLM', 'TTS', 'REALTIME', 'TOTAL', '$/MIN']);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['call-7', 'call-42']);
    expect(lines[2]).toContain('$0.0416');
    expect(lines[2]).toContain('$0.0208/min');
  });
});
