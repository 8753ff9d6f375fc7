import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { log } from '../log.js';
import { maskConfig, redact, registerConfigSecrets } from '../secrets.js';
import { checkLoadable } from './checks.js';
import { configErrorFromZod } from './errors.js';
import { interpolate, type UnsetVars } from './interpolate.js';
import { configSchema, type GatewayConfig } from './schema.js';

export interface LoadedConfig {
  config: GatewayConfig;
  /** the file it came from; null when running on defaults or an in-memory config */
  source: string | null;
  /** YAML paths whose `${VAR}` was unset, for "set FOO_API_KEY" errors when that value is needed */
  unsetVars: UnsetVars;
}

export interface LoadOptions {
  /** explicit file; wins over the search path */
  path?: string;
  /** an already-parsed config object (tests, embedding apps); `${VAR}` is still interpolated */
  config?: unknown;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `$VOICEGW_CONFIG`, then `./voicegw.yaml`, then `~/.config/voicegateway/voicegw.yaml`. */
export function configSearchPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  return [env.VOICEGW_CONFIG, join(cwd, 'voicegw.yaml'), join(homedir(), '.config', 'voicegateway', 'voicegw.yaml')].filter(
    (p): p is string => !!p,
  );
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  if (opts.config !== undefined) return parseConfig(opts.config, '<inline config>', env, null);

  const explicit = opts.path ?? env.VOICEGW_CONFIG;
  if (explicit) {
    const path = resolve(opts.cwd ?? process.cwd(), explicit);
    if (!existsSync(path)) {
      throw new ConfigError(`Config file not found: ${path}${opts.path ? '' : ' (from $VOICEGW_CONFIG)'}. Create one with: npx voicegw init`);
    }
    return parseFile(path, env);
  }
  const found = configSearchPath(env, opts.cwd).find((p) => existsSync(p));
  if (found) return parseFile(found, env);

  log.once('info', 'no-config', 'No voicegw.yaml found (looked in ./voicegw.yaml and ~/.config/voicegateway/); running on defaults: project "default", provider keys from the usual environment variables. Create one with: npx voicegw init');
  return parseConfig({}, '<defaults>', env, null);
}

function parseFile(path: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) {
    registerConfigSecrets({}, env);
    throw new ConfigError(redact(`${path} is not valid YAML: ${doc.errors[0]!.message}`));
  }
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${path}: the top level must be a mapping (key: value), got ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  }
  return parseConfig(raw, path, env, path);
}

function parseConfig(raw: unknown, label: string, env: NodeJS.ProcessEnv, source: string | null): LoadedConfig {
  const unsetVars: UnsetVars = new Map();
  const interpolated = interpolate(raw, env, unsetVars);
  // before anything can fail: an error message must not print a key it was given
  registerConfigSecrets(interpolated, env);
  const parsed = configSchema.safeParse(interpolated);
  // errors quote the file as written (`${OPENAI_API_KEY}`, not its value), credentials masked
  if (!parsed.success) throw configErrorFromZod(parsed.error, maskConfig(raw), label, configSchema);
  const config = parsed.data;
  checkReferences(config, label);
  checkLoadable(config, label);
  return { config, source, unsetVars };
}

/** Cross-field rules zod cannot see. */
function checkReferences(config: GatewayConfig, label: string): void {
  const dp = config.default_project;
  const ids = Object.keys(config.projects);
  if (dp && dp !== 'default' && !config.projects[dp]) {
    throw new ConfigError(
      `Invalid configuration in ${label}:\n  - default_project: '${dp}' is not a project defined under projects:; defined: ${ids.join(', ') || '(none)'}`,
      'default_project',
    );
  }
}
