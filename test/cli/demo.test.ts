import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { voicegw } from './helpers.js';

// `npm run demo` is the README's first command: it must show every step working, or fail loudly
describe('voicegw demo', () => {
  const home = mkdtempSync(join(tmpdir(), 'voicegw-demo-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('runs the scripted call against the mocks and exits 0, each step doing what it says', async () => {
    const r = await voicegw(['demo'], { cwd: home, env: { HOME: home }, timeoutMs: 240_000 });
    expect(r.stderr).not.toContain('voicegw:'); // log lines (the fallback's warning) may go to stderr, errors may not
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {3}STT deepgram\/nova-3 .* success$/m);
    expect(r.stdout).toContain('the provider received: "my card is [CARD]" (redacted)');
    expect(r.stdout).toMatch(/^ {3}LLM openai\/gpt-4\.1-mini .* error \(APIStatusError 503: .*503 Service Unavailable\)$/m);
    expect(r.stdout).toMatch(/^ {3}LLM groq\/llama-3\.1-8b-instant .* fallback \(fallback from openai\/gpt-4\.1-mini\)$/m);
    expect(r.stdout).toContain('agent: "Your free minutes are used up for today. Goodbye!"');
    expect(r.stdout).toMatch(/^Next: npx voicegw init/m);
  }, 300_000);
});
