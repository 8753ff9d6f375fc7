import { initializeLogger, loggerOptions } from '@livekit/agents';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Gateway } from '../gateway.js';
import { log } from '../log.js';
import { serveMcpHttp } from './http.js';
import { createMcpServer } from './server.js';

export interface RunMcpOptions {
  /** voicegw.yaml path (default: the usual search path) */
  config?: string;
  /** streamable HTTP instead of stdio */
  http?: boolean;
  /** HTTP bind address (default 127.0.0.1); anything but loopback needs VOICEGW_MCP_TOKEN */
  host?: string;
  /** HTTP port (default 8765; 0 = any free port) */
  port?: number;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MCP_PORT = 8765;

/**
 * `voicegw mcp`: serves the MCP tools over stdio (default) or streamable HTTP until the client
 * hangs up (stdin ends) or SIGINT/SIGTERM, then closes the gateway. Resolves when stopped; the
 * caller should exit the process afterwards (native LiveKit handles may keep it alive).
 */
export async function runMcp(opts: RunMcpOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const stdio = !opts.http;
  if (stdio) keepStdoutForProtocol();
  // LiveKit's pino logger writes to stdout: silent on stdio, where stdout carries the protocol
  if (stdio || !loggerOptions()) initializeLogger({ pretty: false, level: stdio ? 'silent' : 'warn' });

  const gw = await Gateway.open({ path: opts.config, env });
  // @livekit/agents 1.9 lets a failed tts.ChunkedStream reject unobserved: log it, keep serving
  const onUnhandled = (reason: unknown) => log.warn(`unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
  process.on('unhandledRejection', onUnhandled);
  try {
    if (stdio) {
      const server = createMcpServer(gw);
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = resolve;
        process.stdin.once('end', resolve);
        process.stdin.once('close', resolve);
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.connect(transport);
      log.info(`voicegateway MCP server on stdio (config: ${gw.loaded.source ?? 'defaults'}, ledger: ${gw.ledger.kind})`);
      await closed;
      await server.close().catch(() => {});
    } else {
      const handle = await serveMcpHttp({
        host: opts.host ?? '127.0.0.1',
        port: opts.port ?? DEFAULT_MCP_PORT,
        token: env.VOICEGW_MCP_TOKEN,
        allowedHosts: gw.config.server.allowed_hosts,
        newServer: () => createMcpServer(gw),
      });
      log.info(`voicegateway MCP server listening on ${handle.url}${env.VOICEGW_MCP_TOKEN ? ' (bearer token required)' : ''}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await handle.close();
    }
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await gw.close();
  }
}

/** On stdio, stdout belongs to JSON-RPC: stray console output from any library goes to stderr. */
function keepStdoutForProtocol(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}
