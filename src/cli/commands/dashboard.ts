import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { note, print } from '../context.js';
import { portNumber, serveUntilSignal } from '../run-server.js';

/** Opens `url` in the desktop browser; silently does nothing where there is none (servers, CI). */
function openBrowser(url: string): void {
  const [bin, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(bin, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser launcher: the URL is printed anyway
  }
}

/** `voicegw dashboard`: like `serve`, then prints the dashboard URL and opens it. */
export function dashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('serve the dashboard (and API) and open it in a browser')
    .option('--host <host>', 'interface to bind (default: server.host, 127.0.0.1)')
    .option('--port <port>', 'port (default: server.port, 8080; 0 = any free port)', portNumber)
    .option('--no-open', 'print the URL without opening a browser')
    .action(async (opts: { host?: string; port?: number; open: boolean }, cmd: Command) => {
      const s = await serveUntilSignal(cmd, { host: opts.host, port: opts.port, dashboard: true });
      print(`dashboard: ${s.url}/`);
      if (opts.open) openBrowser(`${s.url}/`);
      note('Press Ctrl-C to stop.');
      await s.done;
    });
}
