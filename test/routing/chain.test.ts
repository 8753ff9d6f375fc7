import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { buildChain, throttledOrder } from '../../src/routing/chain.js';
import { HealthTracker } from '../../src/routing/health.js';
import { openGateway } from '../helpers/stack.js';

let gw: Gateway;
beforeAll(async () => {
  gw = await openGateway({
    providers: { openai: { api_key: 'sk-x' }, groq: { api_key: 'g-x' }, deepgram: { api_key: 'd-x' } },
    fallbacks: { llm: ['openai/gpt-4.1-mini', 'groq/llama-3.1-8b-instant'], stt: ['deepgram/nova-2', 'local/whisper-large-v3'] },
    projects: { a: { name: 'A' }, b: { name: 'B', fallbacks: { llm: ['ollama/qwen2.5:3b'] } } },
  });
});
afterAll(async () => gw?.close());

const ids = (chain: { id: string }[]) => chain.map((c) => c.id);
const primary = (m: string, modality: 'llm' | 'stt' | 'tts' = 'llm') => gw.registry.resolve(modality, m);

describe('fallback chains from config', () => {
  it('primary first, then the top-level chain, never the primary twice', () => {
    expect(ids(buildChain(gw, 'llm', primary('openai/gpt-4.1-mini'), gw.requireProject('a')))).toEqual(['openai/gpt-4.1-mini', 'groq/llama-3.1-8b-instant']);
    expect(ids(buildChain(gw, 'stt', primary('deepgram/nova-3', 'stt'), gw.requireProject('a')))).toEqual(['deepgram/nova-3', 'deepgram/nova-2', 'local/whisper-large-v3']);
  });

  it('a project chain overrides the top-level one; the instance option overrides both (string, object, array)', () => {
    expect(ids(buildChain(gw, 'llm', primary('openai/gpt-4o'), gw.requireProject('b')))).toEqual(['openai/gpt-4o', 'ollama/qwen2.5:3b']);
    expect(ids(buildChain(gw, 'llm', primary('openai/gpt-4o'), gw.requireProject('b'), 'groq/llama-3.3-70b-versatile'))).toEqual(['openai/gpt-4o', 'groq/llama-3.3-70b-versatile']);
    const withOptions = buildChain(gw, 'llm', primary('openai/gpt-4o'), gw.requireProject('a'), { model: 'ollama/llama3.2', temperature: 0.2 });
    expect(withOptions[1]).toMatchObject({ id: 'ollama/llama3.2', options: { temperature: 0.2 } });
    expect(ids(buildChain(gw, 'llm', primary('openai/gpt-4o'), gw.requireProject('a'), ['openai/gpt-4o', 'ollama/a', { model: 'ollama/b' }]))).toEqual(['openai/gpt-4o', 'ollama/a', 'ollama/b']);
  });

  it('a bad chain entry is a ModelResolutionError naming it', () => {
    expect(() => buildChain(gw, 'llm', primary('openai/gpt-4o'), gw.requireProject('a'), 'nope')).toThrow(/'nope' must be in 'provider\/model' form/);
  });
});

describe('throttled order', () => {
  const price = (r: { provider: string; model: string }) => gw.prices.price('llm', r.provider, r.model, { inputUnits: 1000, outputUnits: 200, cachedUnits: 0 }).costNanos;

  it('local entries first, then cheaper priced ones; never a paid entry at or above the primary price', () => {
    const chain = [primary('openai/gpt-4.1'), primary('openai/gpt-4.1-mini'), primary('groq/llama-3.1-8b-instant'), primary('ollama/qwen2.5:3b'), primary('openai/gpt-4o')];
    const order = throttledOrder(chain, price)!;
    expect(order[0]!.id).toBe('ollama/qwen2.5:3b');
    expect(ids(order)).not.toContain('openai/gpt-4.1');
    expect(ids(order)).not.toContain('openai/gpt-4o'); // pricier than the primary
    const paid = order.slice(1).map((r) => price(r)!);
    expect(paid).toEqual([...paid].sort((a, b) => a - b));
  });

  it('nothing cheaper → null (the caller slows down instead)', () => {
    expect(throttledOrder([primary('openai/gpt-4.1-mini'), primary('openai/gpt-4.1')], price)).toBeNull();
  });
});

describe('health and cooldown', () => {
  it('a failed entry is unavailable until its cooldown ends, then recovers', () => {
    let now = 0;
    const h = new HealthTracker(1000, () => now);
    h.fail('x');
    expect(h.available('x')).toBe(false);
    now = 999;
    expect(h.available('x')).toBe(false);
    now = 1000;
    expect(h.available('x')).toBe(true);
    h.fail('x');
    h.ok('x');
    expect(h.available('x')).toBe(true);
  });
});
