import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Gateway } from '../gateway.js';
import { ApiError, errorResponse } from './errors.js';

export type Scope = 'read' | 'write' | 'admin';

/** Who made a request: the token's name, or `anonymous` when auth is off. */
export interface ApiPrincipal {
  name: string;
  scopes: ReadonlySet<Scope>;
}

declare module 'hono' {
  interface ContextVariableMap {
    voicegwPrincipal: ApiPrincipal;
  }
}

interface KeyEntry {
  digest: Buffer;
  principal: ApiPrincipal;
}

/** Scopes nest: `admin` ⊇ `write` ⊇ `read`; `*` is `admin`. */
function expand(scopes: readonly string[]): Set<Scope> {
  const out = new Set<Scope>();
  for (const s of scopes) {
    if (s === '*' || s === 'admin') out.add('admin').add('write').add('read');
    else if (s === 'write') out.add('write').add('read');
    else if (s === 'read') out.add('read');
  }
  return out;
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** `auth.api_keys` plus `$VOICEGW_API_KEY` (all scopes). Empty tokens (an unset `${VAR}`) are ignored. */
export function loadApiKeys(gw: Gateway): KeyEntry[] {
  const env = gw.options.env ?? process.env;
  const keys = gw.config.auth.api_keys
    .filter((k) => k.token.trim() !== '')
    .map((k, i) => ({ digest: digest(k.token), principal: { name: k.name || `api-key-${i + 1}`, scopes: expand(k.scopes) } }));
  const envToken = env.VOICEGW_API_KEY?.trim();
  if (envToken) keys.push({ digest: digest(envToken), principal: { name: 'VOICEGW_API_KEY', scopes: expand(['*']) } });
  return keys;
}

/** GET/HEAD read; anything else writes; the audit log needs admin. */
export function requiredScope(method: string, path: string): Scope {
  if (path === '/v1/audit' || path.startsWith('/v1/audit/')) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

const ANONYMOUS: ApiPrincipal = { name: 'anonymous', scopes: expand(['*']) };

/**
 * Bearer-token auth. Off (everyone is `anonymous` with every scope) when no key is configured.
 * Tokens are compared as SHA-256 digests with `timingSafeEqual`, over every key, so neither the
 * token length nor the matching position shows in the timing.
 */
export function bearerAuth(keys: KeyEntry[]): MiddlewareHandler {
  return async (c, next) => {
    if (keys.length === 0) {
      c.set('voicegwPrincipal', ANONYMOUS);
      return next();
    }
    const challenge = { 'WWW-Authenticate': 'Bearer realm="voicegateway"' };
    const header = c.req.header('authorization');
    const token = header ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1] : undefined;
    if (!token) return errorResponse(c, new ApiError(401, 'unauthorized', 'Missing bearer token: send Authorization: Bearer <token>'), challenge);
    const presented = digest(token);
    let match: ApiPrincipal | null = null;
    for (const k of keys) if (timingSafeEqual(k.digest, presented) && !match) match = k.principal;
    if (!match) return errorResponse(c, new ApiError(401, 'unauthorized', 'Invalid bearer token'), challenge);
    const needed = requiredScope(c.req.method, c.req.path);
    if (!match.scopes.has(needed)) {
      return errorResponse(c, new ApiError(403, 'forbidden', `Token '${match.name}' lacks the '${needed}' scope this request needs`));
    }
    c.set('voicegwPrincipal', match);
    return next();
  };
}
