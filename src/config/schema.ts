import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { pricesSchema } from '../metering/prices/schema.js';
import { UTC_ZONES } from '../budget/day.js';

const nonEmpty = z.string().min(1, 'must not be empty');

/** Budget alerts a webhook can subscribe to (`alerts.webhooks[].events`). */
export const ALERT_EVENTS = ['budget_warning', 'budget_exceeded', 'budget_throttled', 'budget_blocked'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

/** `providers.<name>`: keys and endpoints. Extra keys are provider-specific options and pass through. */
export const providerSchema = z.looseObject({
  api_key: z.string().optional(),
  base_url: z.string().optional(),
  enabled: z.boolean().default(true),
});

export const guardrailActionSchema = z.enum(['redact', 'block', 'alert', 'off']);
const categoryRule = z.union([guardrailActionSchema, z.strictObject({ action: guardrailActionSchema })]);
/** prompt_injection may also turn on the optional classifier: `{ action: block, classifier: true }` */
const injectionRule = z.union([guardrailActionSchema, z.strictObject({ action: guardrailActionSchema, classifier: z.boolean().optional() })]);

/** checked at load: a phone region libphonenumber has metadata for */
const phoneRegion = z
  .string()
  .length(2)
  .refine((r) => isSupportedCountry(r.toUpperCase()), { message: 'not a supported ISO 3166 phone region (e.g. US, CA, GB, DE)' });

export const guardrailsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  categories: z
    .strictObject({
      pii: categoryRule.optional(),
      financial: categoryRule.optional(),
      medical: categoryRule.optional(),
      prompt_injection: injectionRule.optional(),
      off_topic: categoryRule.optional(),
    })
    .default({}),
  block_message: z.string().optional(),
  raise_on_block: z.boolean().optional(),
  topic: z.string().optional(),
  allowed_topics: z.array(z.string()).optional(),
  instructions: z.boolean().optional(),
  injection_threshold: z.number().min(0).max(1).optional(),
  region: phoneRegion.optional(),
  regions: z.array(phoneRegion).optional(),
  stream_holdback: z.enum(['word', 'value']).optional(),
});

/** A chain entry: `"openai/gpt-4.1-mini"` or `{ model, ...provider options }`. */
export const fallbackEntrySchema = z.union([nonEmpty, z.looseObject({ model: nonEmpty })]);
export const fallbacksSchema = z.strictObject({
  stt: z.array(fallbackEntrySchema).optional(),
  llm: z.array(fallbackEntrySchema).optional(),
  tts: z.array(fallbackEntrySchema).optional(),
  realtime: z.array(fallbackEntrySchema).optional(),
});

/**
 * Retries of one chain entry before the chain moves on. The defaults mirror a raw LiveKit plugin
 * (maxRetry 3: four attempts, the first retry after 100 ms) with doubling delays capped at 2 s.
 */
export const RETRY_DEFAULTS = { max_attempts: 4, base_delay_ms: 100, max_delay_ms: 2000 };
export const retriesSchema = z.strictObject({
  /** attempts per chain entry, the first included (1 = no retries) */
  max_attempts: z.number().int().min(1).max(10).default(RETRY_DEFAULTS.max_attempts),
  /** delay before the first retry; doubles for each further one */
  base_delay_ms: z.number().int().min(0).default(RETRY_DEFAULTS.base_delay_ms),
  /** longest delay, and the longest Retry-After a provider may ask for (longer: move on) */
  max_delay_ms: z.number().int().min(0).default(RETRY_DEFAULTS.max_delay_ms),
});

const timeZone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone (e.g. "UTC", "America/New_York")' });

/** Project fields a runtime project (API, dashboard, MCP) can set as well as a YAML one. */
export const projectSettingsShape = {
  guardrails: guardrailsSchema.optional(),
  fallbacks: fallbacksSchema.optional(),
  budget_timezone: timeZone.optional(),
  budget_block_message: z.string().optional(),
  throttle_delay_ms: z.number().int().min(0).optional(),
  /** serve cloud models without a price under a budget (counted as unpriced, never in spend) */
  allow_unpriced: z.boolean().optional(),
  /** completion tokens an LLM request reserves when it sets no max of its own (default 512) */
  budget_completion_tokens: z.number().int().positive().optional(),
};

export const projectSchema = z.strictObject({
  name: nonEmpty,
  description: z.string().default(''),
  daily_budget: z.number().min(0, 'must be ≥ 0 (0 = no limit)').default(0),
  budget_action: z.enum(['warn', 'throttle', 'block']).default('warn'),
  tags: z.array(z.string()).default([]),
  providers: z.record(z.string(), providerSchema).default({}),
  default_stack: z.string().default(''),
  ...projectSettingsShape,
});

export const configSchema = z.strictObject({
  providers: z.record(z.string(), providerSchema).default({}),
  projects: z.record(z.string(), projectSchema).default({}),
  default_project: nonEmpty.optional(),
  fallbacks: fallbacksSchema.default({}),
  cost_tracking: z
    .looseObject({
      enabled: z.boolean().default(true),
      db_path: z.string().optional(),
      database_url: z.string().optional(),
    })
    .default({ enabled: true }),
  budget_timezone: timeZone.default('UTC'),
  budget: z
    .strictObject({
      throttle_delay_ms: z.number().int().min(0).default(1000),
      /** how long spend written by OTHER processes may be cached */
      cache_ttl_ms: z.number().int().min(0).default(2000),
      /** how often runtime projects and their edits are re-read from the ledger (every process) */
      project_refresh_ms: z.number().int().positive().default(1000),
    })
    .default({ throttle_delay_ms: 1000, cache_ttl_ms: 2000, project_refresh_ms: 1000 }),
  routing: z
    .strictObject({
      attempt_timeout_ms: z.number().int().positive().default(10_000),
      cooldown_ms: z.number().int().min(0).default(30_000),
      retries: retriesSchema.default(RETRY_DEFAULTS),
    })
    .default({ attempt_timeout_ms: 10_000, cooldown_ms: 30_000, retries: RETRY_DEFAULTS }),
  guardrails: guardrailsSchema.optional(),
  prices: pricesSchema.optional(),
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** host names (besides loopback and the bound address) that requests may name in Host/Origin; `*` = any */
      allowed_hosts: z.array(nonEmpty).default([]),
    })
    .default({ host: '127.0.0.1', port: 8080, allowed_hosts: [] }),
  alerts: z
    .strictObject({
      webhooks: z
        .array(
          z.strictObject({
            url: z.string().url('must be an http(s) URL'),
            /** default: every budget event */
            events: z.array(z.enum(ALERT_EVENTS)).min(1).optional(),
            headers: z.record(z.string(), z.string()).default({}),
          }),
        )
        .default([]),
      /** per POST attempt */
      timeout_ms: z.number().int().positive().default(5000),
      /** attempts per alert (back-off 1 s, 2 s, 4 s … between them) */
      max_attempts: z.number().int().min(1).max(20).default(5),
    })
    .default({ webhooks: [], timeout_ms: 5000, max_attempts: 5 }),
  auth: z
    .strictObject({
      api_keys: z
        .array(
          z.strictObject({
            token: z.string(),
            name: z.string().default(''),
            scopes: z.array(z.enum(['read', 'write', 'admin', '*'])).default(['read']),
          }),
        )
        .default([]),
    })
    .default({ api_keys: [] }),
  // accepted for compatibility with voicegw.yaml files written for the Python gateway
  observability: z.looseObject({}).optional(),
  stacks: z.record(z.string(), z.looseObject({})).optional(),
  models: z.looseObject({}).optional(),
});

export type GatewayConfig = z.infer<typeof configSchema>;
export type AlertsConfig = GatewayConfig['alerts'];
export type ProjectConfig = z.infer<typeof projectSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type GuardrailsConfig = z.infer<typeof guardrailsSchema>;
export type FallbackEntry = z.infer<typeof fallbackEntrySchema>;
export type FallbacksConfig = z.infer<typeof fallbacksSchema>;
export type RetriesConfig = z.infer<typeof retriesSchema>;

export function isTimeZone(tz: string): boolean {
  if (UTC_ZONES.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
