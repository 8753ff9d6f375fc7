import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
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
  /** the ledger the CLI writes, read from this process (runtime projects, audit log) */
  const withLedger = async <T>(fn: (gw: Gateway) => Promise<T>): Promise<T> => {
    const gw = await Gateway.open({ path: config, env: {} });
    try {
      return await fn(gw);
    } finally {
      await gw.close();
    }
  };
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

  it('set and clear steer a runtime project: each change audited with source cli, show names where each action is set', async () => {
    await withLedger((gw) => gw.admin.create({ id: 'ops', name: 'Ops' }, { name: 'test', source: 'sdk' }));
    const set = await run('guardrails', 'set', '--project', 'ops', '--category', 'pii', '--action', 'block', '--json');
    expect(set.code, set.stderr).toBe(0);
    const view = JSON.parse(set.stdout) as { enabled: boolean; source: string; categories: Record<string, { action: string; from: string }> };
    expect(view.enabled).toBe(true);
    expect(view.source).toBe('runtime');
    expect(view.categories.pii).toEqual({ action: 'block', from: 'project' });
    expect(view.categories.medical).toEqual({ action: 'off', from: 'none' });

    const more = await run('guardrails', 'set', '--project', 'ops', '--category', 'financial', '--action', 'redact');
    expect(more.code, more.stderr).toBe(0);
    expect(more.stdout).toMatch(/pii:\s+block \(set by the project\)/);
    expect(more.stdout).toMatch(/financial:\s+redact/);
    const dry = await run('guardrails', 'dry-run', '--project', 'ops', '--text', 'mail jane@example.com', '--json');
    expect((JSON.parse(dry.stdout) as { findings: { action: string }[] }).findings.map((f) => f.action)).toEqual(['block']);

    const clearOne = await run('guardrails', 'clear', '--project', 'ops', '--category', 'pii');
    expect(clearOne.code, clearOne.stderr).toBe(0);
    expect(clearOne.stdout).toMatch(/pii:\s+off \(not set\)/);
    expect(clearOne.stdout).toMatch(/financial:\s+redact/);
    const clearAll = await run('guardrails', 'clear', '--project', 'ops');
    expect(clearAll.code, clearAll.stderr).toBe(0);
    expect(clearAll.stdout).toContain('guardrails are off for ops');

    const audit = await withLedger((gw) => gw.ledger.auditLog({ limit: 10 }));
    const mine = audit.filter((e) => e.target === 'ops' && e.action.startsWith('project.guardrails'));
    expect(mine).toHaveLength(4);
    expect(new Set(mine.map((e) => e.source))).toEqual(new Set(['cli']));
    expect(mine.map((e) => e.action).sort()).toEqual(['project.guardrails', 'project.guardrails', 'project.guardrails', 'project.guardrails.clear']);
  });

  it('refuses bad names (exit 2), unknown projects (exit 1, naming the defined ones) and YAML projects (exit 1)', async () => {
    const badCategory = await run('guardrails', 'set', '--project', 'support', '--category', 'pci', '--action', 'block');
    expect(badCategory.code).toBe(2);
    expect(badCategory.stderr).toMatch(/^voicegw: option '--category <category>' argument 'pci' is invalid\. Allowed choices are pii, financial, medical, prompt_injection, off_topic\. \(see voicegw guardrails set --help\)\n$/);
    const badAction = await run('guardrails', 'clear', '--project', 'support', '--category', 'pii', '--action', 'block');
    expect(badAction.code).toBe(2);
    const noAction = await run('guardrails', 'set', '--project', 'support', '--category', 'pii');
    expect(noAction.code).toBe(2);
    expect(noAction.stderr).toContain("'--action <action>' not specified");

    const unknown = await run('guardrails', 'set', '--project', 'nope', '--category', 'pii', '--action', 'block');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown project 'nope'. Defined projects: support, open");
    const yaml = await run('guardrails', 'set', '--project', 'support', '--category', 'pii', '--action', 'block');
    expect(yaml.code).toBe(1);
    expect(yaml.stderr).toContain('edit projects.support.guardrails in voicegw.yaml');
    const show = await run('guardrails', 'show', '--project', 'support');
    expect(show.stdout).toMatch(/pii:\s+redact \(set by the project\)/);
  });
});
