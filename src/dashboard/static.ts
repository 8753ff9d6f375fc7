import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

/** The files the build writes; nothing else in the folder (compiled server code) is ever served. */
export const DASHBOARD_ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

// Scripts and styles only from this origin: a stored XSS payload cannot run even if it reached markup.
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Where the built dashboard lives: beside this module when running from `dist/dashboard/`,
 * else `<package>/dist/dashboard/` when running from sources (tsx, tests).
 */
export function defaultAssetsDir(): string {
  const candidates = [here, resolve(here, '../../dist/dashboard')];
  return candidates.find((d) => existsSync(join(d, 'index.html')) && existsSync(join(d, 'app.js'))) ?? candidates[1]!;
}

/** Serves one whitelisted asset; a missing build answers with what to run instead of a blank page. */
export async function serveAsset(c: Context, dir: string, name: string): Promise<Response> {
  const type = DASHBOARD_ASSETS[name];
  if (!type) return c.notFound();
  let body: Buffer;
  try {
    body = await readFile(join(dir, name));
  } catch {
    if (name !== 'index.html') return c.notFound();
    return c.text(`voicegateway dashboard assets are missing from ${dir}. Build them with: npm run build (or node scripts/build-dashboard.mjs)\n`, 503);
  }
  return c.body(new Uint8Array(body), 200, { 'Content-Type': type, ...SECURITY_HEADERS });
}
