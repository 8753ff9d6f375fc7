import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

function loadYaml(yaml: string, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-config-'));
  const path = join(dir, 'voicegw.yaml');
  writeFileSync(path, yaml);
  return loadConfig({ path, env });
}

function errorOf(yaml: string): ConfigError {
  try {
    loadYaml(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('voicegw.yaml: the seeds load unchanged', () => {
  it('projects page (customer-support with per-project keys)', () => {
    const { config, unsetVars } = loadConfig({ path: fixture('seed-projects.yaml'), env: {} });
    const p = config.projects['customer-support']!;
    expect(p).toMatchObject({ name: 'Customer Support Bot', daily_budget: 50, budget_action: 'warn', tags: ['prod', 'support'], default_stack: '' });
    expect(unsetVars.get('projects.customer-support.providers.openai.api_key')).toEqual(['SUPPORT_OPENAI_KEY']);
  });

  it('multi-project page (prod/staging/dev, local providers)', () => {
    const { config } = loadConfig({ path: fixture('seed-multi-project.yaml'), env: { PROD_OPENAI_KEY: 'sk-prod' } });
    expect(Object.keys(config.projects)).toEqual(['prod', 'staging', 'dev']);
    expect(config.projects.prod!.providers.openai!.api_key).toBe('sk-prod');
    expect(config.projects.dev!.budget_action).toBe('block');
    expect(config.providers.ollama!.base_url).toBe('http://localhost:11434');
    expect(config.budget_timezone).toBe('UTC');
  });

  it('the repository voicegw.yaml loads without any keys set', () => {
    const { config } = loadConfig({ path: join(import.meta.dirname, '..', '..', 'voicegw.yaml'), env: {} });
    expect(config.default_project).toBe('customer-support');
  });

  it('defaults apply to project fields', () => {
    const { config } = loadYaml('projects:\n  a:\n    name: A\n');
    expect(config.projects.a).toMatchObject({ description: '', daily_budget: 0, budget_action: 'warn', tags: [], providers: {}, default_stack: '' });
  });

  it('interpolates ${VAR} everywhere, several per string', () => {
    const { config } = loadYaml('providers:\n  openai:\n    base_url: http://${HOST}:${PORT}/v1\n', { HOST: 'h', PORT: '1' });
    expect(config.providers.openai!.base_url).toBe('http://h:1/v1');
  });
});

describe('voicegw.yaml errors name the path, the value and what is allowed', () => {
  it('bad enum', () => {
    const e = errorOf('projects:\n  support:\n    name: S\n    budget_action: thrtle\n');
    expect(e.path).toBe('projects.support.budget_action');
    expect(e.message).toContain('projects.support.budget_action: "thrtle" is not allowed; allowed: warn, throttle, block');
  });

  it('negative budget', () => {
    const e = errorOf('projects:\n  s:\n    name: S\n    daily_budget: -5\n');
    expect(e.message).toMatch(/projects\.s\.daily_budget: -5 must be ≥ 0/);
  });

  it('wrong type', () => {
    const e = errorOf('projects:\n  s:\n    name: S\n    daily_budget: lots\n');
    expect(e.message).toContain('projects.s.daily_budget: expected number, got "lots"');
  });

  it('missing required name', () => {
    const e = errorOf('projects:\n  s:\n    description: x\n');
    expect(e.message).toContain('projects.s.name: is required');
  });

  it('unknown top-level key with a suggestion', () => {
    const e = errorOf('providrs:\n  openai: {}\n');
    expect(e.message).toContain("providrs: unknown key 'providrs' (did you mean 'providers'?)");
  });

  it('unknown project key with a suggestion and the allowed keys', () => {
    const e = errorOf('projects:\n  s:\n    name: S\n    daily_budgt: 3\n');
    expect(e.message).toContain("projects.s.daily_budgt: unknown key 'daily_budgt' (did you mean 'daily_budget'?)");
    expect(e.message).toContain('allowed: name, description, daily_budget');
  });

  it('unknown guardrail category', () => {
    const e = errorOf('guardrails:\n  categories:\n    pi: redact\n');
    expect(e.message).toContain("guardrails.categories.pi: unknown key 'pi' (did you mean 'pii'?)");
  });

  it('bad guardrail action', () => {
    const e = errorOf('guardrails:\n  categories:\n    pii: hide\n');
    expect(e.message).toContain('guardrails.categories.pii');
  });

  it('bad stream hold-back', () => {
    const e = errorOf('guardrails:\n  stream_holdback: none\n');
    expect(e.message).toContain('guardrails.stream_holdback');
  });

  it('unsupported phone region in guardrails.regions', () => {
    const e = errorOf('guardrails:\n  enabled: true\n  regions: [GB, QQ]\n');
    expect(e.message).toContain('guardrails.regions');
  });

  it('bad time zone', () => {
    const e = errorOf('budget_timezone: Mars/Olympus\n');
    expect(e.message).toContain('budget_timezone: "Mars/Olympus" is not an IANA time zone');
  });

  it('default_project that is not defined', () => {
    const e = errorOf('default_project: nope\nprojects:\n  a:\n    name: A\n');
    expect(e.path).toBe('default_project');
    expect(e.message).toContain("default_project: 'nope' is not a project defined under projects:; defined: a");
  });

  it('invalid YAML and a non-mapping root', () => {
    expect(errorOf('projects: [\n').message).toContain('is not valid YAML');
    expect(errorOf('- a\n- b\n').message).toContain('the top level must be a mapping');
  });

  it('a missing explicit file', () => {
    expect(() => loadConfig({ path: '/nonexistent/voicegw.yaml' })).toThrow(/Config file not found: \/nonexistent\/voicegw.yaml/);
    expect(() => loadConfig({ env: { VOICEGW_CONFIG: '/nope.yaml' } })).toThrow(/from \$VOICEGW_CONFIG/);
  });
});

describe('config search path', () => {
  it('runs on defaults with no file, and finds ./voicegw.yaml', () => {
    const empty = mkdtempSync(join(tmpdir(), 'vgw-empty-'));
    const d = loadConfig({ cwd: empty, env: { HOME: empty } });
    expect(d.source).toBeNull();
    expect(d.config.projects).toEqual({});
    writeFileSync(join(empty, 'voicegw.yaml'), 'projects:\n  x:\n    name: X\n');
    expect(loadConfig({ cwd: empty, env: {} }).source).toBe(join(empty, 'voicegw.yaml'));
  });
});
