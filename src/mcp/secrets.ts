import type { Gateway } from '../gateway.js';
import { maskSecret } from '../log.js';

/** Config keys whose values are credentials (`api_key`, `token`, `client_secret`, `password` …). */
const SECRET_KEY = /(^|_)(api_?key|token|secret|password)$/i;
/** `scheme://user:password@host`: the password part */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)([^\s/@]+)(@)/gi;
/** shorter strings are too likely to occur innocently in output */
const MIN_SECRET_LENGTH = 8;

/** Deep copy of a config value with every credential masked (`sk-a…1f2b`) and URL passwords hidden. */
export function maskConfig(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) return maskSecret(value);
    return value.replace(URL_PASSWORD, '$1****$3');
  }
  if (Array.isArray(value)) return value.map((v) => maskConfig(v, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskConfig(v, k)]));
  }
  return value;
}

/**
 * Every credential this process knows (YAML keys and tokens, provider key env vars, the MCP
 * token, database passwords), so that no tool output can echo one, e.g. inside a provider's
 * error message.
 */
export function knownSecrets(gw: Gateway, env: NodeJS.ProcessEnv = process.env): string[] {
  const found = new Set<string>();
  collect(gw.config, '', found);
  for (const spec of gw.registry.list()) {
    const v = spec.envKey ? env[spec.envKey] : undefined;
    if (v) found.add(v);
  }
  for (const name of ['VOICEGW_MCP_TOKEN', 'VOICEGW_DB_URL']) {
    const v = env[name];
    if (v) collect(v, name === 'VOICEGW_MCP_TOKEN' ? 'token' : '', found);
  }
  return [...found].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function collect(value: unknown, key: string, out: Set<string>): void {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key)) out.add(value);
    for (const m of value.matchAll(URL_PASSWORD)) out.add(m[2]!);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, key, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k, out);
}

/** Replaces every known secret inside strings of `value` (deeply) with its masked form. */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.reduce((s, secret) => (s.includes(secret) ? s.replaceAll(secret, maskSecret(secret)!) : s), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
