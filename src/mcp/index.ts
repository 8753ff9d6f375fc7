/** The MCP surface of voicegateway: `createMcpServer(gw)` for embedding, `runMcp()` behind `voicegw mcp`. */
export { createMcpServer, type McpServerOptions } from './server.js';
export { runMcp, DEFAULT_MCP_PORT, type RunMcpOptions } from './run.js';
export { serveMcpHttp, type McpHttpHandle, type McpHttpOptions } from './http.js';
export { CONFIG_URI, effectiveConfig } from './resources.js';
