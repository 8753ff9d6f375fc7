import type { Hono } from 'hono';
import { z } from 'zod';
import type { Gateway } from '../../gateway.js';
import { packageVersion } from '../../version.js';
import { parseQuery } from '../validate.js';
import { maskUrls } from '../../secrets.js';

const noQuery = z.strictObject({});

/** The ledger in API form (snake_case, location password masked). */
function ledgerView(gw: Gateway) {
  const l = gw.ledgerStatus();
  return {
    kind: l.kind,
    location: maskUrls(l.location),
    state: l.state,
    problem: l.problem,
    since: l.since,
    queued_rows: l.queuedRows,
    lost_rows: l.lostRows,
    budgets: l.budgets,
  };
}

/**
 * `/health` (public liveness: 200 while the process serves; `status: degraded` when the ledger is
 * away, since restarting would not bring it back) and `/v1/status` (what is configured; keys masked).
 */
export function statusRoutes(app: Hono, gw: Gateway, opts: { authEnabled: boolean; startedAt: number }): void {
  app.get('/health', (c) => {
    const l = gw.ledgerStatus();
    return c.json({
      status: l.state,
      version: packageVersion(),
      uptime_seconds: Math.round((Date.now() - opts.startedAt) / 1000),
      ledger: { state: l.state, queued_rows: l.queuedRows, lost_rows: l.lostRows },
    });
  });

  app.get('/v1/status', async (c) => {
    parseQuery(c, noQuery);
    await gw.ready;
    const projects = gw.projects();
    return c.json({
      version: packageVersion(),
      config_path: gw.loaded.source,
      ledger: ledgerView(gw),
      budget_timezone: gw.config.budget_timezone,
      default_project: gw.config.default_project ?? 'default',
      auth: { enabled: opts.authEnabled },
      projects: {
        total: projects.length,
        yaml: projects.filter((p) => p.source === 'yaml').length,
        runtime: projects.filter((p) => p.source === 'runtime').length,
      },
      providers: gw.providerSummary(),
      alerts: await gw.alertStatus(),
    });
  });
}
