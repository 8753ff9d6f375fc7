import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { hostRefusal, refuseOpenBind } from '../host-guard.js';
import { log } from '../log.js';

export interface McpHttpOptions {
  host: string;
  port: number;
  /** required bearer token; mandatory when `host` is not a loopback address */
  token?: string;
  /** `server.allowed_hosts`: host names besides loopback and `host` that requests may name */
  allowedHosts?: readonly string[];
  /** one MCP server per client session */
  newServer(): McpServer;
  /** sessions kept at once; the oldest is closed beyond it */
  maxSessions?: number;
}

export interface McpHttpHandle {
  url: string;
  close(): Promise<void>;
}

const PATH = '/mcp';

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  // compare digests: equal length, constant time, and the token's length does not leak
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!.trim()), digest(token));
}

function jsonError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * MCP over streamable HTTP at `/mcp`: one session (server + transport) per client. Host/Origin
 * checks and the refusal to bind beyond loopback without a token are the API's (host-guard.ts).
 */
export async function serveMcpHttp(opts: McpHttpOptions): Promise<McpHttpHandle> {
  const token = opts.token || undefined;
  refuseOpenBind('MCP', opts.host, !!token, 'export VOICEGW_MCP_TOKEN=<a long random string> (clients send "Authorization: Bearer <token>")');
  const hosts = { boundHost: opts.host, allowedHosts: opts.allowedHosts ?? [] };
  const maxSessions = opts.maxSessions ?? 64;
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();

  const open = async () => {
    const server = opts.newServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server });
        if (sessions.size > maxSessions) void sessions.values().next().value?.transport.close();
      },
    });
    // the server chains its own teardown after this when it connects
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refusal = hostRefusal(hosts, req.headers.host, req.headers.origin);
    if (refusal) return jsonError(res, 403, refusal);
    if (url.pathname !== PATH) return jsonError(res, 404, `Not found: the MCP endpoint is ${PATH}`);
    if (token && !tokenMatches(req.headers.authorization, token)) {
      return jsonError(res, 401, 'Unauthorized: send "Authorization: Bearer <VOICEGW_MCP_TOKEN>"', { 'www-authenticate': 'Bearer realm="voicegateway-mcp"' });
    }
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    if (id) {
      const s = sessions.get(id);
      if (!s) return jsonError(res, 404, 'Unknown or expired MCP session: initialize a new one');
      return s.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return jsonError(res, 400, 'No MCP session: start with an initialize POST');
    const transport = await open();
    await transport.handleRequest(req, res);
    // not an initialize request: the transport answered with an error and holds no session
    if (!transport.sessionId) await transport.close();
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      log.warn(`mcp http: ${e.message}`);
      if (!res.headersSent) jsonError(res, 500, 'Internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost}:${port}${PATH}`,
    async close() {
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
