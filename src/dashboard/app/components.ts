import type { ProjectView } from './client.js';
import { type Child, h, reconcile, setAttr, setClass, setText, show } from './dom.js';
import { ACTION_LABEL, percent, tagAccent, usd } from './format.js';

/** A titled card; `body` holds the content, `actions` sits at the right of the title. */
export function panel(title: string, testid?: string, ...actions: Child[]): { el: HTMLElement; body: HTMLDivElement; title: HTMLHeadingElement } {
  const heading = h('h2', null, title);
  const body = h('div', { class: 'panel-body' });
  const el = h('section', { class: 'panel', testid }, h('header', { class: 'panel-head' }, heading, h('div', { class: 'panel-actions' }, ...actions)), body);
  return { el, body, title: heading };
}

/** A big-number tile; `set` updates value and hint in place. */
export function stat(label: string, testid: string): { el: HTMLElement; set(value: string, hint?: string, tone?: string): void } {
  const value = h('div', { class: 'stat-value', testid: `${testid}-value` }, '—');
  const hint = h('div', { class: 'stat-hint' });
  const el = h('div', { class: 'stat', testid }, h('div', { class: 'stat-label' }, label), value, hint);
  return {
    el,
    set(v, note = '', tone = '') {
      setText(value, v);
      setText(hint, note);
      setClass(hint, tone ? `stat-hint tone-${tone}` : 'stat-hint');
    },
  };
}

export function badge(text: string, tone: string, testid?: string): HTMLSpanElement {
  return h('span', { class: `badge badge-${tone}`, testid }, text);
}

export const SOURCE_BADGE: Record<ProjectView['source'], { text: string; tone: string; title: string }> = {
  yaml: { text: 'YAML · read-only', tone: 'muted', title: 'Defined in voicegw.yaml: edit the file to change it' },
  runtime: { text: 'Runtime', tone: 'indigo', title: 'Created at run time (dashboard, API, CLI or MCP)' },
  auto: { text: 'Built-in', tone: 'muted', title: 'Created automatically for requests that name no project' },
};

export function sourceBadge(source: ProjectView['source']): HTMLSpanElement {
  const b = SOURCE_BADGE[source];
  const el = badge(b.text, b.tone, 'source-badge');
  el.title = b.title;
  return el;
}

export function tagChips(tags: readonly string[]): HTMLSpanElement {
  const wrap = h('span', { class: 'tags' });
  updateTags(wrap, tags);
  return wrap;
}

export function updateTags(wrap: HTMLElement, tags: readonly string[]): void {
  reconcile(wrap, tags, (t) => t, (t) => ({ el: h('span', { class: 'tag' }, t), update: () => {} }));
}

/** Budget gauge: spent / budget bar coloured by status (`ok` / `warning` / `exceeded`) and the action. */
export function budgetGauge(): { el: HTMLElement; update(p: Pick<ProjectView, 'spent_today' | 'daily_budget' | 'budget_status' | 'budget_action'>): void } {
  const fill = h('div', { class: 'gauge-fill' });
  const mark = h('div', { class: 'gauge-mark', attrs: { title: 'warning at 80%' } });
  const figures = h('span', { class: 'gauge-figures', testid: 'gauge-figures' });
  const pct = h('span', { class: 'gauge-percent' });
  const status = h('span', { class: 'status', testid: 'budget-status' });
  const action = h('div', { class: 'gauge-action' });
  const track = h('div', { class: 'gauge-track', attrs: { role: 'meter', 'aria-valuemin': '0' } }, fill, mark);
  const el = h('div', { class: 'gauge' }, h('div', { class: 'gauge-top' }, figures, pct), track, h('div', { class: 'gauge-bottom' }, status, action));
  return {
    el,
    update(p) {
      const limited = p.daily_budget > 0;
      const ratio = limited ? p.spent_today / p.daily_budget : 0;
      setText(figures, limited ? `${usd(p.spent_today)} / ${usd(p.daily_budget)}` : `${usd(p.spent_today)} today`);
      setText(pct, limited ? percent(ratio * 100) : 'no daily limit');
      // CSSOM, not a style attribute: the page's CSP forbids inline style attributes
      const width = `${Math.min(100, ratio * 100).toFixed(1)}%`;
      if (fill.style.width !== width) fill.style.width = width;
      setClass(fill, `gauge-fill fill-${p.budget_status}`);
      show(mark, limited);
      setAttr(track, 'aria-valuenow', (ratio * 100).toFixed(1));
      setText(status, p.budget_status);
      setClass(status, `status status-${p.budget_status}`);
      setText(action, limited ? ACTION_LABEL[p.budget_action] ?? p.budget_action : '');
    },
  };
}

/** Project card for the overview: accent from the first tag, gauge, link to the project page. */
export function projectCard(): { el: HTMLElement; update(p: ProjectView): void } {
  const name = h('span', { class: 'card-name', testid: 'project-name' });
  const id = h('span', { class: 'card-id' });
  const tags = h('span', { class: 'tags' });
  const src = h('span');
  const gauge = budgetGauge();
  const el = h('a', { class: 'project-card', testid: 'project-card' }, h('div', { class: 'card-head' }, h('div', { class: 'card-title' }, name, id), src), tags, gauge.el);
  let lastSource = '';
  return {
    el,
    update(next) {
      setAttr(el, 'href', `#/project/${encodeURIComponent(next.id)}`);
      setAttr(el, 'data-project', next.id);
      setClass(el, `project-card accent-${tagAccent(next.tags)}`);
      setText(name, next.name);
      setText(id, next.id);
      updateTags(tags, next.tags);
      if (lastSource !== next.source) {
        src.replaceChildren(sourceBadge(next.source));
        lastSource = next.source;
      }
      gauge.update(next);
    },
  };
}

/** An empty state that says what to do next, not just that there is nothing. */
export function emptyState(title: string, ...lines: Child[]): HTMLElement {
  return h('div', { class: 'empty', testid: 'empty-state' }, h('div', { class: 'empty-title' }, title), ...lines.map((l) => (typeof l === 'string' ? h('p', null, l) : l)));
}

export function code(text: string): HTMLElement {
  return h('pre', { class: 'code' }, h('code', null, text));
}
