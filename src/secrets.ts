/**
 * The one masking rule. A value is a secret when its name says so (config keys, header names,
 * URL query parameters: `api_key`, `x-api-key`, `Authorization`, `token` …), when it is the
 * password (or bare token) of a URL's userinfo, or when it is a credential this process was given
 * (config, provider key variables, tokens passed in code). Every surface masks through here.
 */

/** Names whose values are credentials: `api_key`, `api-key`, `x-api-key`, `access_token`, `client_secret`, `Authorization` … */
const SECRET_NAME = /(^|[_.-])(api[_-]?key|apikey|key|token|secret|password|passwd|pwd|authorization|credentials?|cookie|signature|sig)$/i;
/** `scheme://userinfo@` */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;
/** `?name=value` / `&name=value` inside any text */
const QUERY_PARAM = /([?&;])([a-z0-9_.-]+)=([^&#\s"'<>]*)/gi;
/** shorter values are too likely to occur innocently in other text */
const MIN_SECRET_LENGTH = 6;
const HIDDEN = '****';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A config value's name, in its parent: a webhook's `url` is a credential too (Slack-style URLs carry the token in the path). */
function isSecretField(name: string, parent: string): boolean {
  return isSecretName(name) || (name === 'url' && /webhooks?$/i.test(parent));
}

/** Masks a secret for display: `sk-a…1f2b`. Short secrets are fully masked. */
export function maskSecret(secret: string | undefined | null): string | null {
  if (!secret) return null;
  return secret.length <= 12 ? HIDDEN : `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

/** Hides URL passwords (`user:****@`, a bare `token@` entirely) and key-like query values (`?api-key=****`) anywhere in `text`. */
export function maskUrls(text: string): string {
  if (!text.includes('@') && !text.includes('=')) return text;
  return text
    .replace(URL_USERINFO, (_, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      return `${scheme}${colon >= 0 ? `${info.slice(0, colon)}:${HIDDEN}` : HIDDEN}@`;
    })
    .replace(QUERY_PARAM, (whole, sep: string, name: string, value: string) => (value && isSecretName(name) ? `${sep}${name}=${HIDDEN}` : whole));
}

/** Deep copy of a config value with every credential masked (`sk-a…1f2b`) and URLs cleaned. */
export function maskConfig(value: unknown, name = '', parent = ''): unknown {
  if (typeof value === 'string') return isSecretField(name, parent) ? maskSecret(value) : maskUrls(value);
  if (Array.isArray(value)) return value.map((v) => maskConfig(v, name, parent));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskConfig(v, k, name)]));
  return value;
}

/** Every credential inside a config tree: values under secret names, URL passwords, key-like query values. */
export function secretsIn(value: unknown, name = '', out: Set<string> = new Set(), parent = ''): Set<string> {
  if (typeof value === 'string') {
    if (isSecretField(name, parent)) out.add(value);
    for (const m of value.matchAll(URL_USERINFO)) out.add(m[2]!.slice(m[2]!.indexOf(':') + 1));
    for (const m of value.matchAll(QUERY_PARAM)) if (isSecretName(m[2]!)) out.add(decodeSafe(m[3]!));
  } else if (Array.isArray(value)) for (const v of value) secretsIn(v, name, out, parent);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) secretsIn(v, k, out, name);
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The credentials this process knows, longest first (a key containing another is masked whole).
 * Process-wide on purpose: log lines, errors and ledger rows are written far from the config.
 */
const known: string[] = [];

/** Adds credentials to what `redact` masks (config trees, env values, keys passed in code). */
export function registerSecrets(values: Iterable<string | undefined | null>): void {
  let added = false;
  for (const v of values) {
    if (!v || v.length < MIN_SECRET_LENGTH || known.includes(v)) continue;
    known.push(v);
    added = true;
  }
  if (added) known.sort((a, b) => b.length - a.length);
}

/**
 * Registers every credential of a config tree and of the environment: variables named like a
 * secret (`OPENAI_API_KEY`, `VOICEGW_MCP_TOKEN`, `LIVEKIT_API_SECRET` …) and URL passwords
 * (`VOICEGW_DB_URL`).
 */
export function registerConfigSecrets(config: unknown, env: NodeJS.ProcessEnv): void {
  registerSecrets([...secretsIn(config), ...secretsIn(env)]);
}

/** Masks every known credential and every URL password / key-like query value in `text`. */
export function redact(text: string): string {
  let out = text;
  for (const s of known) if (out.includes(s)) out = out.split(s).join(maskSecret(s)!);
  return maskUrls(out);
}

/** `redact` over every string inside a JSON-like value (deep copy). */
export function redactDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The same error with its message (and an HTTP error's body) redacted: what LiveKit's `error` events and logs may carry. */
export function redactError<E>(error: E): E {
  if (!(error instanceof Error)) return error;
  const message = redact(error.message);
  if (message !== error.message) error.message = message;
  const body = (error as { body?: unknown }).body;
  if (body && typeof body === 'object') Object.assign(error, { body: redactDeep(body) });
  else if (typeof body === 'string') Object.assign(error, { body: redact(body) });
  return error;
}
