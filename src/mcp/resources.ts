import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { stringify } from 'yaml';
import type { Gateway } from '../gateway.js';
import { maskConfig, redact } from '../secrets.js';
import type { ToolContext } from './tool.js';

export const CONFIG_URI = 'voicegw://config';

/**
 * The configuration the gateway runs on, as YAML: voicegw.yaml after defaults and `${VAR}`
 * interpolation, plus projects created at run time. Every key and token is masked.
 */
export function effectiveConfig(gw: Gateway): Record<string, unknown> {
  const runtime = Object.fromEntries(
    gw
      .projects()
      .filter((p) => p.source === 'runtime')
      .map((p) => [p.id, { name: p.name, description: p.description, daily_budget: p.dailyBudgetUsd, budget_action: p.budgetAction, tags: p.tags }]),
  );
  let ledger: { kind: string; location: string } | null = null;
  try {
    ledger = { kind: gw.ledger.kind, location: gw.ledger.location };
  } catch {
    ledger = null; // not open yet
  }
  return maskConfig({ source: gw.loaded.source ?? '(defaults: no voicegw.yaml)', ledger, ...gw.config, runtime_projects: runtime }) as Record<string, unknown>;
}

export function registerResources(server: McpServer, ctx: ToolContext): void {
  server.registerResource(
    'config',
    CONFIG_URI,
    {
      title: 'Effective voicegateway configuration',
      description: 'voicegw.yaml after defaults and ${VAR} interpolation, plus run-time projects; API keys and tokens masked.',
      mimeType: 'application/yaml',
    },
    async (uri) => {
      await ctx.gw.ready;
      const text = redact(stringify(effectiveConfig(ctx.gw), { lineWidth: 0 }));
      return { contents: [{ uri: uri.href, mimeType: 'application/yaml', text }] };
    },
  );
}
