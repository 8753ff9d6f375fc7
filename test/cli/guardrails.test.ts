import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voicegw } from './helpers.js';

const YAML = `projects:
  support:
    name: Support
    guardrails:
      enabled: true
      categories: { pii: redact, financial: block, prompt_injection: alert }
      regions: [GB]
  open:
    name: Open
cost_tracking:
  db_path: ./ledger.db
`;

// one process at a time: each loads @livekit/agents, slow on a busy 2-core box
describe('voicegw guardrails', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  const run = (...args: string[]) => voicegw(['--config', config, ...args], { cwd: dir, env: { HOME: dir } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'voicegw-guardrails-'));
    config = join(dir, 'voicegw.yaml');
    writeFileSync(config, YAML);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('dry-run prints the findings and the redacted text, never the raw values', async () => {
    const r = await run('guardrails', 'dry-run', '--project', 'support', '--text', 'card 4111 1111 1111 1111, ring 07911 123456', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { enabled: boolean; findings: Array<{ detector: string; action: string }>; redacted: string };
    expect(out.enabled).toBe(true);
    expect(out.findings.map((f) => [f.detector, f.action])).toEqual([['card', 'block'], ['phone', 'redact']]);
    expect(out.redacted).toBe('card [CARD], ring [PHONE]');
    expect(r.stdout).not.toContain('4111');
  });

  it('show prints the policy; a project without guardrails says so', async () => {
    const show = await run('guardrails', 'show', '--project', 'support');
    expect(show.stdout).toMatch(/financial:\s+block/);
    expect(show.stdout).toMatch(/Regions:\s+US, GB/);
    const open = await run('guardrails', 'dry-run', '--project', 'open', '--text', 'mail jane@example.com');
    expect(open.stdout).toContain('guardrails are off for open');
  });
});
