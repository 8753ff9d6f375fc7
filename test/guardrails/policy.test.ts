import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compilePolicy, DEFAULT_BLOCK_MESSAGE, scanText, type GuardrailPolicy } from '../../src/guardrails/index.js';

describe('compilePolicy', () => {
  it('resolves defaults: unset categories are off, default block message and threshold', () => {
    const p = compilePolicy({ enabled: true, categories: { pii: 'redact' } });
    expect(p.actions).toEqual({ pii: 'redact', financial: 'off', medical: 'off', prompt_injection: 'off', off_topic: 'off' });
    expect(p.active).toEqual(['pii']);
    expect(p.blockMessage).toBe(DEFAULT_BLOCK_MESSAGE);
    expect(p.raiseOnBlock).toBe(false);
    expect(p.injectionThreshold).toBe(0.5);
    expect(p.region).toBe('US');
    expect(p.streamHoldback).toBe('word'); // leak-free unless the YAML trades it for latency
  });

  it('a disabled policy scans nothing', () => {
    const p = compilePolicy({ enabled: false, categories: { pii: 'redact' } });
    expect(p.active).toEqual([]);
    expect(scanText('mail me at jane@example.com', p)).toEqual([]);
  });

  it('only enabled (non-off) categories are scanned', () => {
    const p = compilePolicy({ enabled: true, categories: { pii: 'off', financial: 'alert' } });
    const findings = scanText('card 4111 1111 1111 1111, mail jane@example.com', p);
    expect(findings.map((f) => f.category)).toEqual(['financial']);
  });

  it('rejects unknown categories and actions, bad thresholds and regions with the YAML path', () => {
    const bad = (p: Partial<GuardrailPolicy>) => () => compilePolicy({ enabled: true, categories: {}, ...p } as GuardrailPolicy);
    expect(bad({ categories: { secrets: 'block' } as never })).toThrow(ConfigError);
    expect(bad({ categories: { pii: 'mask' } as never })).toThrow(/unknown guardrail action 'mask'/);
    expect(bad({ injectionThreshold: 2 })).toThrow(/injection_threshold/);
    expect(bad({ region: 'XX' })).toThrow(/guardrails.region/);
    expect(bad({ streamHoldback: 'none' as never })).toThrow(/guardrails.stream_holdback/);
    expect(bad({ regions: ['GB', 'ZZ'] })).toThrow(/guardrails\.regions\.1 'ZZ'/);
    expect(compilePolicy({ enabled: true, categories: {}, region: 'ca', regions: ['GB', 'CA'] }).regions).toEqual(['CA', 'GB']);
    try {
      bad({ categories: { off_topic: 'alert' } })();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).path).toBe('guardrails.topic');
    }
    expect(bad({ categories: { off_topic: 'alert' } })).toThrow(/no topic is set/);
  });

  it('builds the optional instruction only when asked and only for medical / off_topic', () => {
    const none = compilePolicy({ enabled: true, categories: { medical: 'alert', off_topic: 'block' }, topic: 'banking support' });
    expect(none.instructions).toBeUndefined();
    const both = compilePolicy({ enabled: true, categories: { medical: 'alert', off_topic: 'block' }, topic: 'banking support', allowedTopics: ['cards'], instructions: true });
    expect(both.instructions).toMatch(/medical details/);
    expect(both.instructions).toMatch(/Stay on the topic of banking support \(allowed topics: cards\)/);
    const piiOnly = compilePolicy({ enabled: true, categories: { pii: 'redact' }, instructions: true });
    expect(piiOnly.instructions).toBeUndefined();
  });
});
