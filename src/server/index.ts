import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Gateway } from '../gateway.js';
import { refuseOpenBind } from '../host-guard.js';
import { type AppOptions, createApp } from './app.js';
import { loadApiKeys } from './auth.js';

export { createApp, type AppOptions } from './app.js';
export { ApiError, type ErrorBody } from './errors.js';
export { GatewayMetrics, type MetricsOptions } from './metrics.js';

export interface ServerOptions {
  /** default: `server.host` from voicegw.yaml (127.0.0.1) */
  host?: string;
  /** default: `server.port` from voicegw.yaml (8080); 0 picks a free port */
  port?: number;
  /** extra routes on the same port (the dashboard) */
  mount?: (app: Hono) => void;
  metrics?: AppOptions['metrics'];
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  /** bearer auth is on (auth.api_keys or $VOICEGW_API_KEY) */
  auth: boolean;
  close(): Promise<void>;
}

/** Serves the API (and whatever `mount` adds) on one port; resolves once listening. */
export async function startServer(gw: Gateway, opts: ServerOptions = {}): Promise<RunningServer> {
  await gw.ready;
  const host = opts.host ?? gw.config.server.host;
  const port = opts.port ?? gw.config.server.port;
  const auth = loadApiKeys(gw).length > 0;
  refuseOpenBind('the API', host, auth, 'add a key under auth.api_keys in voicegw.yaml, or export VOICEGW_API_KEY=<a long random string> (clients send "Authorization: Bearer <token>")');
  const app = createApp(gw, { extraRoutes: opts.mount, metrics: opts.metrics, boundHost: host });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    auth,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
