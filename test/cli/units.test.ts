import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { csvField, toCsv } from '../../src/cli/csv.js';
import { table } from '../../src/cli/format.js';
import { CONFIG_TEMPLATE } from '../../src/cli/template.js';
import { loadConfig } from '../../src/config/load.js';
import { PeriodError, resolvePeriod } from '../../src/periods.js';
import { toLogEntry } from '../../src/reports.js';

describe('voicegw init template', () => {
  it('loads with loadConfig, documents every top-level option, and holds no key', () => {
    const { config } = loadConfig({ config: parse(CONFIG_TEMPLATE), env: {} });
    expect(Object.keys(config.projects)).toEqual(['customer-support', 'sandbox']);
    expect(config.projects['customer-support']).toMatchObject({ daily_budget: 25, budget_action: 'throttle' });
    expect(config.default_project).toBe('customer-support');
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, allowed_hosts: [] });
    for (const key of ['providers:', 'projects:', 'default_project:', 'fallbacks:', 'budget_timezone:', 'cost_tracking:', 'server:', 'auth:', 'prices:', 'guardrails:', 'routing:', 'budget:']) {
      expect(CONFIG_TEMPLATE).toContain(key);
    }
    expect(CONFIG_TEMPLATE).not.toMatch(/sk-[A-Za-z0-9]{10,}/);
  });

  it('its commented-out prices, auth, routing and budget examples are valid once uncommented', () => {
    /** `# key:` and the deeper-indented commented lines under it, uncommented and parsed. */
    const block = (key: string): Record<string, unknown> => {
      const lines = CONFIG_TEMPLATE.split('\n');
      const i = lines.findIndex((l) => l.trim() === `# ${key}:`);
      const indent = lines[i]!.indexOf('#');
      const body = [lines[i]!];
      for (const l of lines.slice(i + 1)) {
        if (l.indexOf('#') !== indent || !l.slice(indent).startsWith('#   ')) break;
        body.push(l);
      }
      return parse(body.map((l) => l.slice(indent + 2)).join('\n')) as Record<string, unknown>;
    };
    const raw = { ...block('prices'), ...block('routing'), ...block('budget'), auth: block('api_keys') };
    const { config } = loadConfig({ config: raw, env: { VOICEGW_ADMIN_TOKEN: 'a'.repeat(20), VOICEGW_GRAFANA_TOKEN: 'b'.repeat(20) } });
    expect(config.prices?.llm?.['openai/gpt-4.1-mini']).toMatchObject({ input_per_1m: 0.4 });
    expect(config.prices?.tts?.['piper/*']).toMatchObject({ per_1m_characters: 0 });
    expect(config.auth.api_keys.map((k) => k.name)).toEqual(['ops', 'grafana']);
    expect(config.routing).toEqual({ attempt_timeout_ms: 10000, cooldown_ms: 30000, retries: { max_attempts: 4, base_delay_ms: 100, max_delay_ms: 2000 } });
    expect(config.budget).toEqual({ throttle_delay_ms: 1000, cache_ttl_ms: 2000, project_refresh_ms: 1000 });
  });
});

describe('resolvePeriod', () => {
  const now = Date.UTC(2026, 2, 15, 12);
  it('accepts period names, local dates (to includes the day), ISO instants and epoch ms', () => {
    expect(resolvePeriod({}, 'UTC', now)).toBe('today');
    expect(resolvePeriod({ period: 'week' }, 'UTC', now)).toBe('week');
    expect(resolvePeriod({ from: '2026-03-01', to: '2026-03-01' }, 'UTC', now)).toEqual({ from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 2) });
    expect(resolvePeriod({ from: '2026-03-01' }, 'America/New_York', now)).toEqual({ from: Date.UTC(2026, 2, 1, 5), to: Date.UTC(2026, 2, 16, 4) });
    expect(resolvePeriod({ from: '2026-03-01T10:00:00Z', to: '1773000000000' }, 'UTC', now)).toEqual({ from: Date.UTC(2026, 2, 1, 10), to: 1773000000000 });
    // +14h zone: the local day starts the previous UTC day
    expect(resolvePeriod({ from: '2026-03-01', to: '2026-03-01' }, 'Pacific/Kiritimati', now)).toEqual({ from: Date.UTC(2026, 1, 28, 10), to: Date.UTC(2026, 2, 1, 10) });
  });

  it.each([
    [{ period: 'decade' }, 'period'],
    [{ period: 'today', to: '2026-01-01' }, 'period'],
    [{ from: '2026-02-29' }, 'from'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
    [{ to: '2026-13-40' }, 'to'],
  ])('refuses %j (field %s)', (q, field) => {
    expect(() => resolvePeriod(q, 'UTC', now)).toThrow(PeriodError);
    try {
      resolvePeriod(q, 'UTC', now);
    } catch (e) {
      expect((e as PeriodError).field).toBe(field);
    }
  });
});

describe('CSV export', () => {
  it('quotes RFC 4180 fields, neutralises formulas, leaves unknown costs empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('@x')).toBe("'@x");
    expect(csvField(null)).toBe('');
    expect(csvField(0)).toBe('0');
    const row = toLogEntry({
      id: 'r1', ts: Date.UTC(2026, 0, 1), project: 'p', sessionId: null, modality: 'tts', provider: 'cartesia', model: 'sonic-3',
      inputUnits: 12, outputUnits: 0, cachedUnits: 0, costNanos: null, pricingSource: '', ttfbMs: null, latencyMs: 5, status: 'error',
      fallbackFrom: 'x/y', error: 'boom, "bad"', throttle: null, guardrailFindings: 0,
    });
    expect(toCsv([row]).split('\r\n')[1]).toBe('2026-01-01T00:00:00.000Z,r1,p,,tts,cartesia,sonic-3,12,0,0,,,,5,error,x/y,"boom, ""bad""",,0');
  });
});

describe('table', () => {
  it('aligns columns, right-aligns numbers, strips control characters', () => {
    const t = table(
      [
        { a: 'x', n: '$0.0123' },
        { a: 'long\nname', n: '$12.00' },
      ],
      [
        { header: 'NAME', value: (r) => r.a },
        { header: 'COST', value: (r) => r.n, right: true },
      ],
    );
    expect(t.split('\n')).toEqual(['NAME          COST', 'x          $0.0123', 'long name   $12.00']);
  });
});
