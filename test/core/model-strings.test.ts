import { describe, expect, it } from 'vitest';
import { ModelResolutionError } from '../../src/errors.js';
import { ProviderRegistry } from '../../src/providers/registry.js';

const reg = new ProviderRegistry({ mycorp: { base_url: 'http://llm.internal/v1', enabled: true } });

describe('model strings: provider/model[:variant]', () => {
  it('splits at the first slash; STT variant = language, TTS variant = voice', () => {
    expect(reg.resolve('stt', 'deepgram/nova-3:en')).toMatchObject({ provider: 'deepgram', model: 'nova-3', variant: 'en' });
    expect(reg.resolve('stt', 'deepgram/nova-3')).toMatchObject({ provider: 'deepgram', model: 'nova-3', variant: undefined });
    expect(reg.resolve('tts', 'cartesia/sonic-3:9626c31c-bec5-4cca-baa8-f8ba9e84c8bc')).toMatchObject({
      provider: 'cartesia',
      model: 'sonic-3',
      variant: '9626c31c-bec5-4cca-baa8-f8ba9e84c8bc',
    });
  });

  it('LLM model names keep their colons and later slashes', () => {
    expect(reg.resolve('llm', 'ollama/qwen2.5:3b')).toMatchObject({ provider: 'ollama', model: 'qwen2.5:3b' });
    expect(reg.resolve('llm', 'groq/meta-llama/llama-4-scout')).toMatchObject({ provider: 'groq', model: 'meta-llama/llama-4-scout' });
  });

  it('local/* resolves to the local server of the modality', () => {
    expect(reg.resolve('stt', 'local/whisper-large-v3')).toMatchObject({ provider: 'whisper', model: 'whisper-large-v3' });
    expect(reg.resolve('stt', 'local/whisper-large-v3').spec.kind).toBe('local');
    expect(reg.resolve('tts', 'local/kokoro:af_bella')).toMatchObject({ provider: 'kokoro', model: 'kokoro', variant: 'af_bella' });
    expect(reg.resolve('llm', 'local/llama3.2')).toMatchObject({ provider: 'ollama', model: 'llama3.2' });
    expect(reg.resolve('stt', 'whisper/large-v3').spec.kind).toBe('local');
  });

  it('a configured provider with a base_url is OpenAI-compatible', () => {
    expect(reg.resolve('llm', 'mycorp/our-model')).toMatchObject({ provider: 'mycorp', model: 'our-model' });
  });

  it('malformed or unknown strings list what is supported', () => {
    expect(() => reg.resolve('llm', 'gpt-4o')).toThrow(ModelResolutionError);
    expect(() => reg.resolve('llm', 'gpt-4o')).toThrow(/must be in 'provider\/model' form/);
    expect(() => reg.resolve('stt', '')).toThrow(/model string is required/);
    expect(() => reg.resolve('stt', 'deepgram/')).toThrow(/provider\/model/);
    expect(() => reg.resolve('llm', 'acme/claude-3')).toThrow(/Unknown provider 'acme'.*Supported for LLM: google, openai, groq, anthropic, xai, ollama/);
    expect(() => reg.resolve('stt', 'acme/x')).toThrow(/Supported for STT: deepgram, assemblyai, elevenlabs, google, openai, groq, whisper/);
    expect(() => reg.resolve('tts', 'acme/x')).toThrow(/Supported for TTS: deepgram, cartesia, elevenlabs, google, openai, kokoro, piper/);
  });

  it('#19 providers: the README seed line, and local/<server> names a local server', () => {
    expect(reg.resolve('llm', 'anthropic/claude-sonnet-4-20250514')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' });
    expect(reg.resolve('tts', 'local/piper:en_US-amy-medium')).toMatchObject({ provider: 'piper', model: 'piper', variant: 'en_US-amy-medium' });
    expect(reg.resolve('tts', 'local/kokoro:af_heart')).toMatchObject({ provider: 'kokoro', variant: 'af_heart' });
    expect(reg.resolve('stt', 'local/whisper-large-v3')).toMatchObject({ provider: 'whisper', model: 'whisper-large-v3' });
    expect(reg.resolve('stt', 'assemblyai/universal-streaming:en')).toMatchObject({ provider: 'assemblyai', variant: 'en' });
    // google by modality: a Gemini TTS model string splits off its voice; as an LLM the name is kept whole
    expect(reg.resolve('tts', 'google/gemini-2.5-flash-preview-tts:Kore')).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash-preview-tts', variant: 'Kore' });
    expect(reg.resolve('llm', 'google/gemini-2.5-flash')).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', variant: undefined });
    expect(reg.resolve('stt', 'google/gemini-live-2.5-flash:en-US')).toMatchObject({ provider: 'google', model: 'gemini-live-2.5-flash', variant: 'en-US' });
    expect(reg.resolve('realtime', 'google/gemini-2.5-flash-native-audio-preview-12-2025:Puck')).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash-native-audio-preview-12-2025', variant: 'Puck' });
    expect(() => reg.resolve('realtime', 'groq/x')).toThrow(/Provider 'groq' does not serve REALTIME \(it serves LLM, STT\)/);
    expect(() => reg.resolve('tts', 'groq/x')).toThrow(/does not serve TTS/);
  });
});
