import type { Command } from 'commander';
import { globals } from '../context.js';
import { portNumber } from '../run-server.js';

/** `voicegw mcp`: the MCP server (src/mcp), over stdio by default or streamable HTTP with --http. */
export function mcpCommand(program: Command): void {
  program
    .command('mcp')
    .description('run the MCP server (for AI assistants) over stdio, or streamable HTTP with --http')
    .option('--http', 'serve streamable HTTP at /mcp instead of stdio')
    .option('--host <host>', 'HTTP interface (default 127.0.0.1; others need $VOICEGW_MCP_TOKEN)')
    .option('--port <port>', 'HTTP port (default 8765; 0 = any free port)', portNumber)
    .action(async (opts: { http?: boolean; host?: string; port?: number }, cmd: Command) => {
      const { runMcp } = await import('../../mcp/index.js');
      await runMcp({ config: globals(cmd).config, http: opts.http, host: opts.host, port: opts.port });
    });
}
