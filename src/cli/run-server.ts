import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Gateway } from '../gateway.js';
import { openGateway } from './context.js';

export function portNumber(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535 (0 = any free port)');
  return Number(value);
}

export interface Served {
  gw: Gateway;
  url: string;
  dashboard: boolean;
  auth: boolean;
  /** resolves after SIGINT/SIGTERM once the server and the ledger are closed */
  done: Promise<void>;
}

/**
 * The composition root for `serve` and `dashboard`: API + (optional) dashboard on one port.
 * The server and dashboard modules never import each other; they meet here.
 */
export async function serveUntilSignal(cmd: Command, opts: { host?: string; port?: number; dashboard: boolean }): Promise<Served> {
  // loaded here, not at CLI start: only serve/dashboard pay for hono and the dashboard
  const [{ startServer }, { mountDashboard }] = await Promise.all([import('../server/index.js'), import('../dashboard/index.js')]);
  const gw = await openGateway(cmd);
  try {
    const server = await startServer(gw, {
      host: opts.host,
      port: opts.port,
      // after the API's auth middleware: the dashboard's /v1 data routes share its tokens
      mount: opts.dashboard ? (app) => mountDashboard(app, gw) : undefined,
    });
    const done = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server
          .close()
          .then(() => gw.close())
          .finally(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return { gw, url: server.url, dashboard: opts.dashboard, auth: server.auth, done };
  } catch (err) {
    await gw.close();
    throw err;
  }
}
