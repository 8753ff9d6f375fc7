import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';

type PluginModule = Record<string, unknown>;
const cache = new Map<string, Promise<PluginModule>>();

/**
 * Imports a provider plugin on first use. Plugins are optional peers: an app that only uses
 * Deepgram never loads the OpenAI SDK. A missing package becomes an error that says what to install.
 */
export function loadPlugin<T = PluginModule>(pkg: string): Promise<T> {
  let p = cache.get(pkg);
  if (!p) {
    p = import(pkg).catch((err: NodeJS.ErrnoException) => {
      cache.delete(pkg);
      if (err?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(String(err?.message))) {
        throw new ConfigError(`Provider plugin '${pkg}' is not installed. Install it with: npm install ${pkg}`);
      }
      throw err;
    });
    cache.set(pkg, p);
  }
  return p as Promise<T>;
}

const require = createRequire(import.meta.url);

/** Whether a plugin package can be found, without loading it (LiveKit plugins ship a CommonJS entry too). */
export function pluginInstalled(pkg: string): boolean {
  if (cache.has(pkg)) return true;
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
