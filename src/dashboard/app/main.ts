import { ApiError, api, auth, handleUnauthorized, type ProjectView } from './client.js';
import { type AppServices, type Page, parseRoute, type Route } from './page.js';
import { costsPage } from './pages/costs.js';
import { logsPage } from './pages/logs.js';
import { overviewPage } from './pages/overview.js';
import { pricesPage } from './pages/prices.js';
import { projectPage } from './pages/project.js';
import { projectsPage } from './pages/projects.js';
import { sessionsPage } from './pages/sessions.js';
import { createShell, loginDialog } from './shell.js';

const REFRESH_MS = 5000;

let route: Route = parseRoute(location.hash);
let page: Page | null = null;
let paused = false;
let inFlight: Promise<void> | null = null;
let again = false;
let projects: ProjectView[] = [];
let needsLogin = false;

const shell = createShell({
  togglePause: () => {
    paused = !paused;
    if (!paused) refreshNow();
    else shell.live('paused', 'Auto-refresh paused');
    return paused;
  },
  signOut: () => {
    auth.forget();
    location.reload();
  },
});
const login = loginDialog((token, remember) => {
  auth.save(token, remember);
  needsLogin = false;
  login.close();
  refreshNow();
});
document.body.append(shell.el, login.el);

const services: AppServices = { refreshNow, toast: shell.toast };

handleUnauthorized((e) => {
  needsLogin = true;
  login.open(auth.token ? `${e.message}. Enter another token.` : 'This gateway requires an API token.');
});

function createPage(r: Route): Page {
  switch (r.name) {
    case 'project':
      return projectPage(r, services);
    case 'costs':
      return costsPage(r, services);
    case 'logs':
      return logsPage(r, services);
    case 'sessions':
      return sessionsPage(r, services);
    case 'projects':
      return projectsPage(r, services);
    case 'prices':
      return pricesPage(r, services);
    default:
      return overviewPage();
  }
}

function navigate(): void {
  route = parseRoute(location.hash);
  page?.destroy();
  page = createPage(route);
  shell.outlet.replaceChildren(page.el);
  shell.setRoute(route);
  if (route.name !== 'project') document.title = 'voicegateway';
  window.scrollTo(0, 0);
  refreshNow();
}

/** One refresh at a time; a request made meanwhile runs once the current one ends. */
function refreshNow(): void {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = tick().finally(() => {
    inFlight = null;
    if (again) {
      again = false;
      refreshNow();
    }
  });
}

async function tick(): Promise<void> {
  if (needsLogin) return;
  const current = page;
  try {
    projects = await api.projects();
    shell.setProjects(projects, route);
    if (current) await current.refresh({ projects });
    shell.banner(null);
    shell.live(paused ? 'paused' : 'ok', `${paused ? 'Paused' : 'Live'} · updated ${new Date().toLocaleTimeString('en-US', { hourCycle: 'h23' })}`);
  } catch (e) {
    if ((e instanceof ApiError && e.status === 401) || current !== page) return;
    const message = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
    shell.banner(e instanceof ApiError && e.status === 0 ? `${message} Retrying every ${REFRESH_MS / 1000} s.` : `Could not load this page: ${message}`);
    shell.live('error', 'Disconnected');
  }
}

window.addEventListener('hashchange', navigate);
document.addEventListener('visibilitychange', () => !document.hidden && !paused && refreshNow());
setInterval(() => {
  if (!paused && !document.hidden) refreshNow();
}, REFRESH_MS);
navigate();
