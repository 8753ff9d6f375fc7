import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import type { GuardrailsView } from '../../src/project-guardrails.js';
import { call, connectStdio, makeWorkspace, seedLedger, structured, textOf, type StdioSession, type Workspace } from './helpers.js';

let ws: Workspace;
let gw: Gateway;
let s: StdioSession;

beforeAll(async () => {
  ws = makeWorkspace();
  gw = await seedLedger(ws);
  await gw.admin.create({ id: 'ops', name: 'Ops' }, { name: 'test', source: 'sdk' });
  s = await connectStdio(ws);
});

afterAll(async () => {
  await s?.close();
  await gw?.close();
});

describe('guardrail tools over a real MCP client (stdio)', () => {
  it('get_guardrails: each category with its action and origin; a YAML project is read-only', async () => {
    const r = await call(s.client, 'get_guardrails', { project: 'support' });
    const v = structured<GuardrailsView>(r);
    expect(v).toMatchObject({ project: 'support', source: 'yaml', read_only: true, enabled: true });
    expect(v.categories.pii).toEqual({ action: 'redact', from: 'project' });
    expect(v.categories.medical).toEqual({ action: 'off', from: 'none' });
    expect(textOf(r)).toBe('support (yaml, read-only): pii=redact');
    const unknown = await call(s.client, 'get_guardrails', { project: 'nope' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/Unknown project 'nope'. Defined projects: support, dev, ops, default/);
  });

  it('set_guardrails and clear_guardrails steer a runtime project: stored, seen by another process, audited with source mcp', async () => {
    const set = structured<GuardrailsView>(await call(s.client, 'set_guardrails', { project: 'ops', categories: { pii: 'block', prompt_injection: 'alert' } }));
    expect(set.enabled).toBe(true);
    expect(set.categories.pii).toEqual({ action: 'block', from: 'project' });
    // this test process is another process on the same ledger
    await gw.reloadProjects();
    expect(gw.guardrails('ops')?.compiled.actions).toMatchObject({ pii: 'block', prompt_injection: 'alert', financial: 'off' });
    expect(gw.guardrailDryRun('ops', 'mail jane@example.com').findings.map((f) => f.action)).toEqual(['block']);

    const cleared = structured<GuardrailsView>(await call(s.client, 'set_guardrails', { project: 'ops', categories: { pii: null } }));
    expect(cleared.categories.pii).toEqual({ action: 'off', from: 'none' });
    expect(cleared.categories.prompt_injection).toEqual({ action: 'alert', from: 'project' });
    const all = structured<GuardrailsView>(await call(s.client, 'clear_guardrails', { project: 'ops' }));
    expect(all.enabled).toBe(false);
    await gw.reloadProjects();
    expect(gw.guardrails('ops')).toBeNull();

    const audit = (await gw.ledger.auditLog({ limit: 20 })).filter((a) => a.target === 'ops' && a.action.startsWith('project.guardrails'));
    expect(audit.map((a) => `${a.action}:${a.source}:${a.actor}`)).toEqual(['project.guardrails.clear:mcp:mcp', 'project.guardrails:mcp:mcp', 'project.guardrails:mcp:mcp']);
  });

  it('refusals are tool errors that say why: YAML project, bad names, a policy that cannot compile, nothing to change', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['set_guardrails', { project: 'support', categories: { pii: 'block' } }, /^read_only: .*edit projects\.support\.guardrails in voicegw\.yaml/],
      ['clear_guardrails', { project: 'default' }, /^read_only: /],
      ['set_guardrails', { project: 'ops', categories: { pci: 'block' } }, /pci|Unrecognized/],
      ['set_guardrails', { project: 'ops', categories: { pii: 'deny' } }, /pii/],
      ['set_guardrails', { project: 'ops', categories: { off_topic: 'block' } }, /^invalid: .*no topic is set/],
      ['set_guardrails', { project: 'ops' }, /^invalid: categories: name at least one category/],
    ];
    for (const [tool, args, message] of cases) {
      const r = await call(s.client, tool, args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(r), JSON.stringify(args)).toMatch(message);
    }
    await gw.reloadProjects();
    expect(gw.guardrails('ops')).toBeNull();
  });
});
