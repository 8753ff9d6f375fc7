import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Actor } from '../admin.js';
import type { Gateway } from '../gateway.js';
import { packageVersion } from '../version.js';
import { registerResources } from './resources.js';
import type { ToolContext } from './tool.js';
import { registerGuardrailTools } from './tools/guardrails.js';
import { registerProjectTools } from './tools/projects.js';
import { registerProviderTools } from './tools/providers.js';
import { registerReportTools } from './tools/reports.js';

const INSTRUCTIONS = `voicegateway routes, meters and budgets the STT/LLM/TTS requests of LiveKit voice agents.
Money is in USD; "today" is the calendar day in the project's budget time zone. A null cost means the price is unknown (never $0).
Projects from voicegw.yaml are read-only here; run-time projects can be created, updated and deleted (delete_project previews unless confirm is true), and their guardrails set (set_guardrails).
API keys are never returned, only masked.`;

export interface McpServerOptions {
  /** who audit log entries name (default `mcp`) */
  actor?: Actor;
}

/** An MCP server whose tools and resources read and manage `gw`. Connect it to any transport. */
export function createMcpServer(gw: Gateway, opts: McpServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'voicegateway', title: 'voicegateway', version: packageVersion() }, { instructions: INSTRUCTIONS });
  const ctx: ToolContext = { gw, actor: opts.actor ?? { name: 'mcp', source: 'mcp' } };
  registerProjectTools(server, ctx);
  registerGuardrailTools(server, ctx);
  registerReportTools(server, ctx);
  registerProviderTools(server, ctx);
  registerResources(server, ctx);
  return server;
}
