import { auth, type ProjectView } from './client.js';
import { h, reconcile, setAttr, setClass, setText, show } from './dom.js';
import { tagAccent } from './format.js';
import type { Route } from './page.js';

const NAV: { name: Route['name']; label: string; href: string; icon: string }[] = [
  { name: 'overview', label: 'Overview', href: '#/', icon: '◧' },
  { name: 'costs', label: 'Costs', href: '#/costs', icon: '$' },
  { name: 'logs', label: 'Logs', href: '#/logs', icon: '≡' },
  { name: 'sessions', label: 'Sessions', href: '#/sessions', icon: '◷' },
  { name: 'projects', label: 'Projects', href: '#/projects', icon: '▦' },
  { name: 'prices', label: 'Prices', href: '#/prices', icon: '¢' },
];

/** Sidebar (navigation, project switcher, live status), banner, toasts and the page outlet. */
export function createShell(handlers: { togglePause(): boolean; signOut(): void }) {
  const navLinks = NAV.map((n) => h('a', { class: 'nav-link', attrs: { href: n.href }, testid: `nav-${n.name}` }, h('span', { class: 'nav-icon', attrs: { 'aria-hidden': 'true' } }, n.icon), n.label));
  const projectNav = h('nav', { class: 'project-nav', testid: 'sidebar-projects' });
  const liveDot = h('span', { class: 'live-dot' });
  const liveText = h('span', { testid: 'live-status' }, 'Connecting…');
  const pause = h('button', { class: 'link-button', attrs: { type: 'button' }, testid: 'pause-refresh' }, 'Pause');
  pause.addEventListener('click', () => setText(pause, handlers.togglePause() ? 'Resume' : 'Pause'));
  const signOut = h('button', { class: 'link-button', attrs: { type: 'button' }, on: { click: handlers.signOut } }, 'Sign out');
  const logo = h('span', { class: 'logo', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span'), h('span'));
  const sidebar = h(
    'aside',
    { class: 'sidebar' },
    h('a', { class: 'brand', attrs: { href: '#/' } }, logo, h('span', null, 'voice', h('b', null, 'gateway'))),
    h('nav', { class: 'main-nav' }, ...navLinks),
    h('div', { class: 'nav-section' }, 'Projects'),
    projectNav,
    h('div', { class: 'sidebar-foot' }, h('div', { class: 'live' }, liveDot, liveText), h('div', { class: 'foot-actions' }, pause, signOut)),
  );
  const banner = h('div', { class: 'banner', testid: 'banner', attrs: { role: 'status' } });
  show(banner, false);
  const outlet = h('div', { class: 'outlet' });
  const toasts = h('div', { class: 'toasts', attrs: { 'aria-live': 'polite' } });
  const el = h('div', { class: 'shell' }, sidebar, h('main', { class: 'main' }, banner, outlet), toasts);

  return {
    el,
    outlet,
    setRoute(route: Route) {
      NAV.forEach((n, i) => setClass(navLinks[i]!, n.name === route.name ? 'nav-link active' : 'nav-link'));
      for (const a of Array.from(projectNav.querySelectorAll('a'))) setClass(a, route.name === 'project' && a.dataset.project === route.id ? 'nav-link active' : 'nav-link');
    },
    setProjects(projects: ProjectView[], route: Route) {
      reconcile(projectNav, projects, (p) => p.id, () => {
        const dot = h('span', { class: 'dot' });
        const label = h('span', { class: 'nav-label' });
        const a = h('a', { class: 'nav-link' }, dot, label);
        return {
          el: a,
          update(p: ProjectView) {
            a.dataset.project = p.id;
            setAttr(a, 'href', `#/project/${encodeURIComponent(p.id)}`);
            setClass(a, route.name === 'project' && route.id === p.id ? 'nav-link active' : 'nav-link');
            setClass(dot, `dot accent-${tagAccent(p.tags)}`);
            setText(label, p.name);
            a.title = `${p.name} (${p.id})`;
          },
        };
      });
      show(signOut, auth.token !== null);
    },
    live(state: 'ok' | 'paused' | 'error', text: string) {
      setClass(liveDot, `live-dot live-${state}`);
      setText(liveText, text);
    },
    banner(message: string | null) {
      setText(banner, message ?? '');
      show(banner, message !== null);
    },
    toast(message: string, tone: 'ok' | 'error' = 'ok') {
      const t = h('div', { class: `toast toast-${tone}`, testid: 'toast' }, message);
      toasts.append(t);
      setTimeout(() => t.remove(), 4000);
    },
  };
}

export type Shell = ReturnType<typeof createShell>;

/** Token prompt shown when the API answers 401 (auth on). */
export function loginDialog(onToken: (token: string, remember: boolean) => void): { el: HTMLElement; open(message: string): void; close(): void } {
  const input = h('input', { attrs: { type: 'password', name: 'token', autocomplete: 'current-password', placeholder: 'API token', required: '' }, testid: 'token-input' });
  const remember = h('input', { attrs: { type: 'checkbox' } });
  const message = h('p', { class: 'login-message' });
  const form = h(
    'form',
    { class: 'login-card', testid: 'login' },
    h('div', { class: 'brand brand-dark' }, h('span', { class: 'logo', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span'), h('span')), h('span', null, 'voice', h('b', null, 'gateway'))),
    h('h2', null, 'Sign in'),
    message,
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Token'), input),
    h('label', { class: 'check' }, remember, ' Remember on this browser'),
    h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Sign in'),
    h('p', { class: 'muted small' }, 'A token from auth.api_keys in voicegw.yaml, or $VOICEGW_API_KEY of the server.'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.value.trim()) onToken(input.value.trim(), remember.checked);
  });
  const el = h('div', { class: 'login-backdrop' }, form);
  show(el, false);
  return {
    el,
    open(text) {
      setText(message, text);
      show(el, true);
      input.focus();
    },
    close() {
      input.value = '';
      show(el, false);
    },
  };
}
