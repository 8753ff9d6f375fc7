import { ConfigError } from './errors.js';

/**
 * Who may talk to a voicegateway server (HTTP API, dashboard, MCP over HTTP). One rule for all:
 * a server without authentication binds loopback only, and every request's `Host` (and `Origin`,
 * when a browser sends one) must name loopback, the bound address, or an entry of
 * `server.allowed_hosts`, so a web page cannot reach a local server by DNS rebinding or CSRF.
 */

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Throws unless the server is loopback-only or authenticated; `howToAuth` says how to add a key. */
export function refuseOpenBind(what: string, host: string, authenticated: boolean, howToAuth: string): void {
  if (authenticated || isLoopback(host)) return;
  throw new ConfigError(`Refusing to serve ${what} on ${host} without authentication: ${howToAuth}, or bind to 127.0.0.1`);
}

/** `Host`-header form → bare lower-case host name: `[::1]:8080` → `::1`, `Example.com:80` → `example.com`. */
export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.slice(0, colon) : h;
}

export interface HostPolicy {
  /** the address the server is bound to (allowed when it is a specific address) */
  boundHost: string;
  /** `server.allowed_hosts`: extra host names; `*` turns the check off */
  allowedHosts: readonly string[];
}

/**
 * Why a request must be refused (a message for the client), or null when it may proceed.
 * `origin` is the `Origin` header if any (browsers send it on cross-origin and on non-GET requests).
 */
export function hostRefusal(policy: HostPolicy, host: string | undefined, origin: string | undefined): string | null {
  const allowed = new Set(policy.allowedHosts.map(hostName));
  if (allowed.has('*')) return null;
  if (!WILDCARD_BINDS.has(policy.boundHost)) allowed.add(hostName(policy.boundHost));
  const ok = (name: string) => isLoopback(name) || allowed.has(name);
  const hint = (name: string) => `add '${name}' to server.allowed_hosts in voicegw.yaml if this server should answer to it`;
  const name = hostName(host ?? '');
  if (!ok(name)) return `Host '${name || '(none)'}' is not allowed: ${hint(name || '<host>')}`;
  if (origin !== undefined) {
    let originHost = '';
    try {
      originHost = hostName(new URL(origin).host);
    } catch {
      // `null` (sandboxed frames, file://) and garbage: no host to allow
    }
    if (!ok(originHost)) return `Origin '${origin}' is not allowed: ${hint(originHost || '<host>')}`;
  }
  return null;
}
