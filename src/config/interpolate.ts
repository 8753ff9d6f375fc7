const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** YAML path (`projects.support.providers.openai.api_key`) → the unset variables it referenced. */
export type UnsetVars = Map<string, string[]>;

/**
 * Replaces `${VAR}` in every string of a parsed YAML tree. An unset variable becomes "" and is
 * remembered by path, so a key that is needed later can name the variable instead of just "missing".
 */
export function interpolate(node: unknown, env: NodeJS.ProcessEnv, unset: UnsetVars, path: string[] = []): unknown {
  if (typeof node === 'string') {
    return node.replace(VAR, (_, name: string) => {
      const value = env[name];
      if (value === undefined || value === '') {
        const key = path.join('.');
        unset.set(key, [...(unset.get(key) ?? []), name]);
        return '';
      }
      return value;
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolate(v, env, unset, [...path, String(i)]));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = interpolate(v, env, unset, [...path, k]);
    return out;
  }
  return node;
}
