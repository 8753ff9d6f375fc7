import type { Period, ProjectView } from './client.js';
import { type Child, h, reconcile, setText } from './dom.js';

/** What every refresh hands a page: the project list the shell just fetched. */
export interface RefreshContext {
  projects: ProjectView[];
}

export interface Page {
  el: HTMLElement;
  /** fetches and updates the existing DOM in place (called on entry and every few seconds) */
  refresh(ctx: RefreshContext): Promise<void>;
  destroy(): void;
}

export interface Route {
  name: 'overview' | 'project' | 'costs' | 'logs' | 'sessions' | 'projects' | 'prices';
  id?: string;
  query: URLSearchParams;
}

export interface AppServices {
  /** refresh now (after a write) instead of waiting for the next tick */
  refreshNow(): void;
  toast(message: string, tone?: 'ok' | 'error'): void;
}

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts[0] === 'project' && parts[1]) return { name: 'project', id: parts[1], query };
  if (parts[0] === 'costs' || parts[0] === 'logs' || parts[0] === 'sessions' || parts[0] === 'projects' || parts[0] === 'prices') return { name: parts[0], query };
  return { name: 'overview', query };
}

/** Keeps filter state in the address bar without re-rendering the page (replaceState fires no hashchange). */
export function writeQuery(route: Route, values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v) route.query.set(k, v);
    else route.query.delete(k);
  }
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/';
  const s = route.query.toString();
  history.replaceState(null, '', `#${path}${s ? `?${s}` : ''}`);
}

export function pageHeader(title: string, subtitle: Child = null, ...tools: Child[]): { el: HTMLElement; title: HTMLHeadingElement; subtitle: HTMLDivElement } {
  const heading = h('h1', { testid: 'page-title' }, title);
  const sub = h('div', { class: 'page-sub' }, subtitle);
  return { el: h('header', { class: 'page-head' }, h('div', null, heading, sub), h('div', { class: 'page-tools' }, ...tools)), title: heading, subtitle: sub };
}

export const PERIODS: { value: Period; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: 'week', label: 'Last 7 days' },
  { value: 'month', label: 'Last 30 days' },
  { value: 'all', label: 'All time' },
];

export function isPeriod(v: string | null): v is Period {
  return PERIODS.some((p) => p.value === v);
}

function labelled(label: string, control: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'filter' }, h('span', null, label), control);
}

/** Project filter: "All projects" plus the current list, kept in step on refresh. */
export function projectFilter(initial: string, onChange: (project: string) => void): { el: HTMLElement; update(projects: ProjectView[]): void; value(): string } {
  const select = h('select', { testid: 'filter-project', on: { change: () => onChange(select.value) } });
  const all = h('option', { attrs: { value: '' } }, 'All projects');
  const list = h('optgroup', { attrs: { label: 'Projects' } });
  select.append(all, list);
  let wanted = initial;
  return {
    el: labelled('Project', select),
    update(projects) {
      reconcile(list, projects, (p) => p.id, (p) => {
        const opt = h('option', { attrs: { value: p.id } });
        return { el: opt, update: (q: ProjectView) => setText(opt, q.name === q.id ? q.id : `${q.name} (${q.id})`) };
      });
      if (wanted && select.value !== wanted && projects.some((p) => p.id === wanted)) select.value = wanted;
      wanted = '';
    },
    value: () => select.value || wanted,
  };
}

export function choiceFilter<V extends string>(label: string, testid: string, options: { value: V; label: string }[], initial: V, onChange: (v: V) => void): { el: HTMLElement; value(): V } {
  const select = h('select', { testid, on: { change: () => onChange(select.value as V) } }, ...options.map((o) => h('option', { attrs: { value: o.value } }, o.label)));
  select.value = initial;
  return { el: labelled(label, select), value: () => select.value as V };
}
