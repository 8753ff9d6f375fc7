import type { Command } from 'commander';
import { note, print } from '../context.js';
import { portNumber, serveUntilSignal } from '../run-server.js';

/** `voicegw serve`: HTTP API, /metrics and the dashboard on one port until Ctrl-C. */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API, /metrics and the dashboard on one port')
    .option('--host <host>', 'interface to bind (default: server.host, 127.0.0.1)')
    .option('--port <port>', 'port (default: server.port, 8080; 0 = any free port)', portNumber)
    .option('--no-dashboard', 'serve the API only')
    .action(async (opts: { host?: string; port?: number; dashboard: boolean }, cmd: Command) => {
      const s = await serveUntilSignal(cmd, opts);
      print(`voicegateway API listening on ${s.url} (auth ${s.auth ? 'on' : 'off'})`);
      if (s.dashboard) print(`dashboard: ${s.url}/`);
      note('Press Ctrl-C to stop.');
      await s.done;
    });
}
