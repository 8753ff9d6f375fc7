import type { ProviderConfig } from '../config/schema.js';
import { ModelResolutionError } from '../errors.js';
import type { Modality } from '../types.js';
import { BUILTIN_PROVIDERS, LOCAL_ALIAS } from './catalog.js';
import { openAICompatible } from './openai-compatible.js';
import type { ModelRef, ProviderSpec } from './types.js';

/** Resolves `provider/model[:variant]` strings to provider specs: the Vercel-AI-style string registry. */
export class ProviderRegistry {
  readonly #specs = new Map<string, ProviderSpec>();

  constructor(configured: Record<string, ProviderConfig> = {}) {
    for (const [name, spec] of Object.entries(BUILTIN_PROVIDERS)) this.#specs.set(name, spec);
    // a provider the YAML defines with a base_url but we do not know is an OpenAI-compatible endpoint
    for (const [name, cfg] of Object.entries(configured)) {
      if (this.#specs.has(name) || !cfg.base_url) continue;
      const kind = cfg.kind === 'local' ? 'local' : 'cloud';
      this.#specs.set(name, openAICompatible({ name, kind, modalities: ['llm', 'stt', 'tts', 'realtime'], placeholderKey: kind === 'local' ? 'local' : undefined }));
    }
  }

  get(name: string): ProviderSpec | undefined {
    return this.#specs.get(name);
  }

  list(): ProviderSpec[] {
    return [...this.#specs.values()];
  }

  /**
   * Split at the first `/`. STT variant = language, TTS variant = voice (after the last `:`);
   * LLM model names keep their colons (`ollama/qwen2.5:3b`).
   */
  resolve(modality: Modality, written: string, options: Record<string, unknown> = {}): ModelRef {
    if (typeof written !== 'string' || written.trim() === '') {
      throw new ModelResolutionError(`A ${modality.toUpperCase()} model string is required, in 'provider/model' form (e.g. ${example(modality)})`);
    }
    // stray whitespace (a YAML block scalar's newline, a pasted space) would name another, unpriced model
    const id = written.trim();
    const control = CONTROL.exec(id);
    if (control) {
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      throw new ModelResolutionError(`Model ${JSON.stringify(written)} contains a control character (${code}); write it as 'provider/model' (e.g. ${example(modality)})`);
    }
    const slash = id.indexOf('/');
    if (slash <= 0 || slash === id.length - 1) {
      throw new ModelResolutionError(`Model '${id}' must be in 'provider/model' form (e.g. ${example(modality)})`);
    }
    let provider = id.slice(0, slash);
    let model = id.slice(slash + 1);
    let variant: string | undefined;
    if (modality !== 'llm') {
      // STT language, TTS voice, realtime voice
      const colon = model.lastIndexOf(':');
      if (colon > 0) [model, variant] = [model.slice(0, colon), model.slice(colon + 1) || undefined];
    }
    if (provider === 'local') {
      const named = this.#specs.get(model);
      provider = named?.kind === 'local' && named.modalities.includes(modality) ? model : (LOCAL_ALIAS[modality] ?? provider);
    }
    const spec = this.#specs.get(provider);
    if (!spec) {
      const supported = this.list()
        .filter((s) => s.modalities.includes(modality))
        .map((s) => s.name);
      throw new ModelResolutionError(
        `Unknown provider '${provider}' in '${id}'. Supported for ${modality.toUpperCase()}: ${supported.join(', ')}, local (or add providers.${provider}.base_url for an OpenAI-compatible endpoint)`,
      );
    }
    if (!spec.modalities.includes(modality)) {
      throw new ModelResolutionError(
        `Provider '${provider}' does not serve ${modality.toUpperCase()} (it serves ${spec.modalities.join(', ').toUpperCase()}); model '${id}'`,
      );
    }
    return { id, provider, model, variant, spec, options };
  }
}

/** C0/C1 control characters (NUL, newline inside the string, ESC …) */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function example(m: Modality): string {
  return { stt: "'deepgram/nova-3'", llm: "'openai/gpt-4.1-mini'", tts: "'cartesia/sonic-3:<voice-id>'", realtime: "'openai/gpt-realtime:marin'" }[m];
}
