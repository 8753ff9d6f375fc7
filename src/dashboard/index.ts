import type { Hono } from 'hono';
import type { Gateway } from '../gateway.js';
import { dashboardApi } from './api.js';
import { DASHBOARD_ASSETS, defaultAssetsDir, serveAsset } from './static.js';

export interface DashboardOptions {
  /** folder holding the built index.html / app.js / app.css (default: dist/dashboard) */
  assetsDir?: string;
}

/**
 * Adds the dashboard to the API app: its extra read routes under `/v1` and the single-page app at
 * `/`. Mount it after the API's auth middleware so its data routes share the API's tokens; the
 * static files carry no data and are public, and the page asks for a token on 401.
 */
export function mountDashboard(app: Hono, gw: Gateway, opts: DashboardOptions = {}): void {
  app.route('/v1', dashboardApi(gw));
  const dir = opts.assetsDir ?? defaultAssetsDir();
  app.get('/', (c) => serveAsset(c, dir, 'index.html'));
  for (const name of Object.keys(DASHBOARD_ASSETS)) app.get(`/${name}`, (c) => serveAsset(c, dir, name));
}

export { dashboardApi, budgetSeries, type BudgetSeries, type BudgetEventView } from './api.js';
