import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { ConfigError } from '../errors.js';
import { modelWeights } from './detectors/injection-classifier.js';
import { compileTopic, type TopicModel } from './detectors/off-topic.js';
import { guardrailInstructions } from './instructions.js';
import { STREAM_HOLDBACKS, type StreamHoldback } from './holdback.js';
import { compileLexicon, type CompiledLexicon } from './lexicon.js';
import {
  DEFAULT_BLOCK_MESSAGE,
  DEFAULT_INJECTION_THRESHOLD,
  GUARDRAIL_ACTIONS,
  GUARDRAIL_CATEGORIES,
  type GuardrailAction,
  type GuardrailCategory,
  type GuardrailPolicy,
} from './types.js';

/** A policy validated and prepared once (topic vocabulary compiled, defaults resolved). */
export interface CompiledPolicy {
  readonly source: GuardrailPolicy;
  readonly enabled: boolean;
  /** every category resolved; unset ones are 'off' */
  readonly actions: Readonly<Record<GuardrailCategory, GuardrailAction>>;
  /** categories that are not 'off', in canonical order; empty when the policy is disabled */
  readonly active: readonly GuardrailCategory[];
  readonly blockMessage: string;
  readonly raiseOnBlock: boolean;
  readonly injectionThreshold: number;
  /** run the optional classifier after the patterns (prompt_injection: { classifier: true }) */
  readonly injectionClassifier: boolean;
  readonly region: CountryCode;
  /** `region` first, then `regions`: where national phone numbers are read */
  readonly regions: readonly CountryCode[];
  /** what the streaming redactor holds back (holdback.ts) */
  readonly streamHoldback: StreamHoldback;
  readonly topic: TopicModel | null;
  /** the optional system instruction (guardrails.instructions: true), else undefined */
  readonly instructions: string | undefined;
  /** the word lists of the active detectors as one regex (one pass per scan) */
  readonly lexicon: CompiledLexicon | null;
}

export function compilePolicy(p: GuardrailPolicy): CompiledPolicy {
  const actions = {} as Record<GuardrailCategory, GuardrailAction>;
  for (const category of GUARDRAIL_CATEGORIES) actions[category] = 'off';
  for (const [category, action] of Object.entries(p.categories ?? {})) {
    if (!GUARDRAIL_CATEGORIES.includes(category as GuardrailCategory)) {
      throw new ConfigError(`unknown guardrail category '${category}'; allowed: ${GUARDRAIL_CATEGORIES.join(', ')}`, `guardrails.categories.${category}`);
    }
    if (action === undefined) continue;
    if (!GUARDRAIL_ACTIONS.includes(action)) {
      throw new ConfigError(`unknown guardrail action '${String(action)}' for ${category}; allowed: ${GUARDRAIL_ACTIONS.join(', ')}`, `guardrails.categories.${category}`);
    }
    actions[category as GuardrailCategory] = action;
  }

  const threshold = p.injectionThreshold ?? DEFAULT_INJECTION_THRESHOLD;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new ConfigError(`guardrails.injection_threshold must be between 0 and 1, got ${threshold}`, 'guardrails.injection_threshold');
  }
  if (p.injectionClassifier !== undefined && typeof p.injectionClassifier !== 'boolean') {
    throw new ConfigError(
      `guardrails.categories.prompt_injection.classifier must be true or false, got ${JSON.stringify(p.injectionClassifier)}`,
      'guardrails.categories.prompt_injection.classifier',
    );
  }
  const region = supportedRegion(p.region ?? 'US', 'guardrails.region');
  const regions = [...new Set([region, ...(p.regions ?? []).map((r, i) => supportedRegion(r, `guardrails.regions.${i}`))])];
  const streamHoldback = p.streamHoldback ?? 'word';
  if (!STREAM_HOLDBACKS.includes(streamHoldback)) {
    throw new ConfigError(`guardrails.stream_holdback must be one of ${STREAM_HOLDBACKS.join(', ')}, got '${String(streamHoldback)}'`, 'guardrails.stream_holdback');
  }
  const topic = compileTopic(p.topic, p.allowedTopics);
  if (actions.off_topic !== 'off' && !topic) {
    throw new ConfigError(
      `guardrails.categories.off_topic is '${actions.off_topic}' but no topic is set: add guardrails.topic (e.g. "banking support") or guardrails.allowed_topics`,
      'guardrails.topic',
    );
  }

  const enabled = p.enabled === true;
  // decode the classifier's weights (~2 ms, once per process) now, not in a caller's first turn
  if (enabled && p.injectionClassifier === true && actions.prompt_injection !== 'off') modelWeights();
  const active = enabled ? GUARDRAIL_CATEGORIES.filter((c) => actions[c] !== 'off') : [];
  const compiled: CompiledPolicy = {
    source: p,
    enabled,
    actions,
    active,
    blockMessage: p.blockMessage ?? DEFAULT_BLOCK_MESSAGE,
    raiseOnBlock: p.raiseOnBlock === true,
    injectionThreshold: threshold,
    injectionClassifier: p.injectionClassifier === true,
    region,
    regions,
    streamHoldback,
    topic,
    instructions: undefined,
    lexicon: compileLexicon(active),
  };
  return { ...compiled, instructions: p.instructions ? guardrailInstructions(compiled) : undefined };
}

function supportedRegion(value: string, path: string): CountryCode {
  const region = value.toUpperCase();
  if (!isSupportedCountry(region)) throw new ConfigError(`${path} '${value}' is not a supported ISO 3166 country code (e.g. US, GB, DE)`, path);
  return region;
}
