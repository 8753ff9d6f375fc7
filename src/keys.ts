import type { LoadedConfig } from './config/load.js';
import { ConfigError } from './errors.js';
import type { Project } from './projects.js';
import type { ProviderSpec } from './providers/types.js';

export interface Endpoint {
  apiKey?: string;
  baseURL?: string;
  /** provider-specific extras from `providers.<name>` (never the key) */
  extras: Record<string, unknown>;
}

/**
 * Key and base URL for one provider in one project. Keys: option > `projects.<p>.providers.<name>`
 * > top-level `providers.<name>` > the provider's env var. A cloud provider with no key is a
 * ConfigError that names the project, the YAML path and, when `${VAR}` was unset, the variable.
 */
export function endpointFor(
  loaded: LoadedConfig,
  spec: ProviderSpec,
  project: Project,
  explicit: { apiKey?: string; baseURL?: string },
  env: NodeJS.ProcessEnv = process.env,
): Endpoint {
  const projectCfg = project.config.providers[spec.name];
  const topCfg = loaded.config.providers[spec.name];
  const apiKey = explicit.apiKey || projectCfg?.api_key || topCfg?.api_key || (spec.envKey ? env[spec.envKey] : undefined) || undefined;
  const baseURL = explicit.baseURL || projectCfg?.base_url || topCfg?.base_url || undefined;
  const { api_key: _k, base_url: _b, enabled: _e, kind: _kind, ...extras } = { ...topCfg, ...projectCfg } as Record<string, unknown>;

  if (!apiKey && spec.kind === 'cloud') {
    const projectPath = `projects.${project.id}.providers.${spec.name}.api_key`;
    const topPath = `providers.${spec.name}.api_key`;
    const unset = loaded.unsetVars.get(projectPath) ?? loaded.unsetVars.get(topPath);
    const why = unset
      ? `${loaded.unsetVars.has(projectPath) ? projectPath : topPath} is \${${unset[0]}}, which is not set: export ${unset[0]}=…`
      : `set ${topPath} (or ${projectPath}) in voicegw.yaml${spec.envKey ? `, or export ${spec.envKey}` : ''}`;
    throw new ConfigError(`No API key for provider '${spec.name}' in project '${project.id}': ${why}`, unset ? projectPath : topPath);
  }
  return { apiKey, baseURL, extras };
}
