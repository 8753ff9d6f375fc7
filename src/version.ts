import { readFileSync } from 'node:fs';

export interface PackageManifest {
  version: string;
  devDependencies: Record<string, string>;
}

let cached: PackageManifest | undefined;

/** voicegateway's own package.json, read once (one level up from both src/ and dist/). */
export function packageManifest(): PackageManifest {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Partial<PackageManifest>;
      cached = { version: pkg.version ?? '0.0.0', devDependencies: pkg.devDependencies ?? {} };
    } catch {
      cached = { version: '0.0.0', devDependencies: {} };
    }
  }
  return cached;
}

/** The package version. */
export function packageVersion(): string {
  return packageManifest().version;
}
