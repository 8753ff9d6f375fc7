import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, ModelResolutionError } from '../../src/errors.js';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type LogLevel, setLogSink } from '../../src/log.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { voicegw } from '../cli/helpers.js';
import { openGateway } from '../helpers/stack.js';

// Defects 6 and 7 of issue #17: configuration that cannot work loaded fine and failed every turn;
// a missing key on a fallback entry blocked an unrelated primary.
function yamlFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-checks-'));
  const path = join(dir, 'voicegw.yaml');
  writeFileSync(path, yaml);
  return path;
}

function errorOf(yaml: string): ConfigError {
  try {
    loadConfig({ path: yamlFile(yaml), env: {} });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('everything checkable at load is checked at load, naming the YAML path', () => {
  it('a fallback entry with an unknown provider, top level and per project', () => {
    const e = errorOf(`fallbacks:\n  llm: [openai/gpt-4.1-mini, olama/qwen2.5:3b]\nprojects:\n  sup:\n    name: S\n    fallbacks:\n      tts: [{ model: kokoro/x }, { model: carteisa/sonic-3 }]\n`);
    expect(e.message).toMatch(/fallbacks\.llm\.1: Unknown provider 'olama'/);
    expect(e.message).toMatch(/projects\.sup\.fallbacks\.tts\.1\.model: Unknown provider 'carteisa'/);
    expect(e.path).toBe('fallbacks.llm.1');
  });

  it('a provider that does not serve the modality of its chain', () => {
    expect(errorOf(`fallbacks:\n  tts: [groq/whisper-large-v3]\n`).message).toMatch(/fallbacks\.tts\.0: Provider 'groq' does not serve TTS/);
  });

  it('off_topic: block without topic or allowed_topics', () => {
    const top = errorOf(`guardrails:\n  enabled: true\n  categories: { off_topic: block }\n`);
    expect(top.path).toBe('guardrails.topic');
    expect(top.message).toMatch(/guardrails\.topic: .*off_topic is 'block' but no topic/);
    const project = errorOf(`projects:\n  bank:\n    name: Bank\n    guardrails:\n      enabled: true\n      categories: { off_topic: block }\n`);
    expect(project.path).toBe('projects.bank.guardrails.topic');
    // a topic from the top level is enough for a project
    expect(() => loadConfig({ config: { guardrails: { topic: 'banking' }, projects: { bank: { name: 'B', guardrails: { categories: { off_topic: 'block' } } } } }, env: {} })).not.toThrow();
  });

  it('a region that is no country, even while guardrails are switched off', () => {
    const e = errorOf(`projects:\n  uk:\n    name: UK\n    guardrails: { enabled: false, region: XX }\n`);
    expect(e.path).toBe('projects.uk.guardrails.region');
    expect(e.message).toMatch(/XX.* not a supported ISO 3166/);
    expect(() => loadConfig({ config: { guardrails: { region: 'GB' } }, env: {} })).not.toThrow();
  });

  it('model strings: stray whitespace is trimmed, control characters are a ModelResolutionError', () => {
    const reg = new ProviderRegistry();
    for (const written of ['openai/gpt-4.1-mini ', ' openai/gpt-4.1-mini', 'openai/gpt-4.1-mini\n']) {
      expect(reg.resolve('llm', written)).toMatchObject({ id: 'openai/gpt-4.1-mini', provider: 'openai', model: 'gpt-4.1-mini' });
    }
    expect(reg.resolve('tts', 'cartesia/sonic-3:abc \t')).toMatchObject({ model: 'sonic-3', variant: 'abc' });
    for (const bad of ['openai/gpt-4.1-mini\0', 'openai/gpt-4.1\n-mini', 'openai/gpt\u001b[31m']) {
      expect(() => reg.resolve('llm', bad)).toThrow(ModelResolutionError);
      expect(() => reg.resolve('llm', bad)).toThrow(/control character/);
    }
    expect(errorOf(`fallbacks:\n  llm: ["openai/gpt-4.1-mini\\0"]\n`).message).toMatch(/fallbacks\.llm\.0: .*control character \(U\+0000\)/);
  });

  it('`voicegw status` exits 1 on these, naming the YAML path', async () => {
    const path = yamlFile(`fallbacks:\n  llm: [olama/qwen2.5:3b]\nguardrails:\n  categories: { off_topic: block }\n`);
    const r = await voicegw(['--config', path, 'status'], { env: { HOME: tmpdir() } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('fallbacks.llm.0');
    expect(r.stderr).toContain('guardrails.topic');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a chain entry that cannot be built is skipped with one warning; only the primary is fatal', () => {
  let gw: Gateway | undefined;
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await gw?.close();
    gw = undefined;
  });

  it("new inference.STT('local/whisper-large-v3') with Deepgram (no key) in the top-level STT chain", async () => {
    const lines: [LogLevel, string][] = [];
    const unsink = setLogSink((level, message) => lines.push([level, message]));
    const level = process.env.VOICEGW_LOG_LEVEL;
    process.env.VOICEGW_LOG_LEVEL = 'warn';
    restore = () => {
      unsink();
      process.env.VOICEGW_LOG_LEVEL = level;
    };
    gw = await openGateway({ projects: { nokey: { name: 'No key' } }, fallbacks: { stt: ['deepgram/nova-3', 'local/whisper-large-v3'], llm: ['openai/gpt-4.1-mini'] } });
    const s = new inference.STT('local/whisper-large-v3', { gateway: gw, project: 'nokey' });
    expect(s.core.chain.map((r) => r.id)).toEqual(['local/whisper-large-v3']);
    new inference.STT('local/whisper-large-v3', { gateway: gw, project: 'nokey' }); // a second call: no second warning
    const warnings = lines.filter(([level, m]) => level === 'warn' && m.includes('deepgram/nova-3'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]![1]).toMatch(/STT fallback deepgram\/nova-3 in project 'nokey' is skipped: No API key for provider 'deepgram'/);
    // the LLM chain keeps its primary; the fallback without a key is dropped the same way
    expect(new inference.LLM('ollama/llama3.2', { gateway: gw, project: 'nokey' }).core.chain.map((r) => r.id)).toEqual(['ollama/llama3.2']);
  });

  it('a primary with no key is still a ConfigError naming the provider and YAML path', async () => {
    gw = await openGateway({ projects: { nokey2: { name: 'No key' } } });
    expect(() => new inference.STT('deepgram/nova-3', { gateway: gw, project: 'nokey2' })).toThrow(ConfigError);
    expect(() => new inference.STT('deepgram/nova-3', { gateway: gw, project: 'nokey2' })).toThrow(/No API key for provider 'deepgram'.*providers\.deepgram\.api_key/);
  });
});
