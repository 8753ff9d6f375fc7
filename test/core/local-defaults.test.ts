import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS } from '../../src/providers/catalog.js';
import { ProviderRegistry } from '../../src/providers/registry.js';

const LOCAL = Object.values(BUILTIN_PROVIDERS).filter((s) => s.kind === 'local');
const hostPort = (url: string) => new URL(url).host;

describe('local provider defaults', () => {
  it('every local server has its own default port (Whisper and Piper run side by side in one agent)', () => {
    const defaults = LOCAL.map((s) => [s.name, s.defaultBaseURL!] as const);
    expect(Object.fromEntries(defaults)).toEqual({
      ollama: 'http://localhost:11434/v1',
      whisper: 'http://localhost:8000/v1',
      kokoro: 'http://localhost:8880/v1',
      piper: 'http://localhost:8001/v1',
    });
    expect(new Set(defaults.map(([, url]) => hostPort(url))).size).toBe(defaults.length);
  });

  it('local/piper and local/whisper-* resolve to those two servers', () => {
    const reg = new ProviderRegistry();
    expect(reg.resolve('tts', 'local/piper:en_US-amy-medium').spec.defaultBaseURL).toBe('http://localhost:8001/v1');
    expect(reg.resolve('stt', 'local/whisper-large-v3').spec.defaultBaseURL).toBe('http://localhost:8000/v1');
  });

  it('docs/providers.md names each local default as the code has it', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/providers.md'), 'utf8');
    for (const s of LOCAL) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${s.name}\``));
      expect(row, s.name).toBeDefined();
      expect(row, s.name).toContain(s.defaultBaseURL);
    }
  });
});
