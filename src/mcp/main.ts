#!/usr/bin/env node
/** Thin entry: `node dist/mcp/main.js [--config f] [--http [--host h] [--port p]]` (same as `voicegw mcp`). */
import { parseArgs } from 'node:util';
import { runMcp } from './run.js';

const USAGE = `Usage: voicegw mcp [--config voicegw.yaml] [--http [--host 127.0.0.1] [--port 8765]]
  stdio by default; --http serves streamable HTTP at /mcp (VOICEGW_MCP_TOKEN required beyond loopback)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      http: { type: 'boolean', default: false },
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`--port must be 0-65535, got '${values.port}'`);
  await runMcp({ config: values.config, http: values.http, host: values.host, port });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`voicegw mcp: ${e.message}\n`);
    process.exit(1);
  },
);
