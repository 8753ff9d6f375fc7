import { ApiError, api, type ProjectView } from '../client.js';
import { emptyState, panel, SOURCE_BADGE, updateTags } from '../components.js';
import { h, setAttr, setClass, setText } from '../dom.js';
import { ACTION_LABEL, count, tagAccent, usd } from '../format.js';
import { type AppServices, type Page, pageHeader, type RefreshContext, type Route } from '../page.js';
import { dataTable } from '../table.js';
import { projectForm } from './project-form.js';

/** Runtime projects: create, edit, delete. YAML projects are listed read-only with a badge. */
export function projectsPage(route: Route, services: AppServices): Page {
  const form = projectForm(services);
  const newButton = h('button', { class: 'btn btn-primary', testid: 'new-project', on: { click: () => form.openCreate() } }, 'New project');
  const header = pageHeader('Projects', 'One project per agent or environment: each has its own daily budget, tags and reports.', newButton);
  const pendingDelete = new Set<string>();
  let latest: ProjectView[] = [];

  const table = dataTable<ProjectView>(
    [
      {
        head: 'Project',
        render: (td, p) => {
          if (!td.firstChild) td.append(h('span', { class: 'dot' }), h('a', { class: 'strong', testid: 'project-link' }), h('div', { class: 'muted small mono' }));
          const [dot, link, idLine] = Array.from(td.children) as [HTMLElement, HTMLAnchorElement, HTMLElement];
          setClass(dot, `dot accent-${tagAccent(p.tags)}`);
          setAttr(link, 'href', `#/project/${encodeURIComponent(p.id)}`);
          setText(link, p.name);
          setText(idLine, p.id);
        },
      },
      {
        head: 'Source',
        render: (td, p) => {
          if (!td.firstChild) td.append(h('span', { testid: 'source-badge' }));
          const b = SOURCE_BADGE[p.source];
          const span = td.firstElementChild as HTMLElement;
          setText(span, b.text);
          setClass(span, `badge badge-${b.tone}`);
          span.title = b.title;
        },
      },
      {
        head: 'Tags',
        render: (td, p) => {
          if (!td.firstChild) td.append(h('span', { class: 'tags' }));
          updateTags(td.firstElementChild as HTMLElement, p.tags);
        },
      },
      { head: 'Budget / day', cls: 'num', text: (p) => (p.daily_budget > 0 ? usd(p.daily_budget) : 'no limit') },
      { head: 'Over budget', text: (p) => (p.daily_budget > 0 ? ACTION_LABEL[p.budget_action]!.replace(' when over budget', '') : '—') },
      { head: 'Spent today', cls: 'num', text: (p) => `${usd(p.spent_today)}${p.spend_partial ? ' (partial: ledger unreadable)' : ''}` },
      {
        head: 'Unpriced',
        cls: 'num',
        render: (td, p) => {
          if (!td.firstChild) td.append(h('span', { testid: 'unpriced-today' }));
          const span = td.firstElementChild as HTMLElement;
          setText(span, p.unpriced_today > 0 ? count(p.unpriced_today) : '—');
          setClass(span, p.unpriced_today > 0 ? 'unpriced' : 'muted');
          span.title = p.unpriced_today > 0
            ? `${p.unpriced_today} request(s) today with no known price: not in Spent today${p.allow_unpriced ? ' (allow_unpriced)' : ''}. Add them under prices: in voicegw.yaml.`
            : p.allow_unpriced ? 'allow_unpriced: models with no price are served and counted here' : '';
        },
      },
      {
        head: 'Status',
        render: (td, p) => {
          if (!td.firstChild) td.append(h('span'));
          const span = td.firstElementChild as HTMLElement;
          setText(span, p.budget_status);
          setClass(span, `status status-${p.budget_status}`);
        },
      },
      { head: '', cls: 'actions', render: (td, p) => renderActions(td, p) },
    ],
    (p) => p.id,
    { testid: 'table-projects', empty: emptyState('No projects yet', 'Create one with New project, or add it under projects: in voicegw.yaml.') },
  );
  const list = panel('All projects');
  list.body.append(table.el);
  const el = h('div', { class: 'page', testid: 'page-projects' }, header.el, form.el, list.el);
  if (route.query.get('new') !== null) form.openCreate();

  function renderActions(td: HTMLTableCellElement, p: ProjectView) {
    const mode = p.source !== 'runtime' ? `ro:${p.source}` : pendingDelete.has(p.id) ? 'confirm' : 'rw';
    if (td.dataset.mode === mode && td.dataset.id === p.id) return;
    td.dataset.mode = mode;
    td.dataset.id = p.id;
    const current = () => latest.find((x) => x.id === p.id) ?? p;
    if (mode === 'rw') {
      td.replaceChildren(
        h('button', { class: 'btn btn-small', testid: 'edit-project', on: { click: () => form.openEdit(current()) } }, 'Edit'),
        h('button', { class: 'btn btn-small btn-danger-ghost', testid: 'delete-project', on: { click: () => askDelete(p.id, td) } }, 'Delete'),
      );
    } else if (mode === 'confirm') {
      td.replaceChildren(
        h('span', { class: 'small' }, 'Delete? History stays in the ledger. '),
        h('button', { class: 'btn btn-small btn-danger', testid: 'confirm-delete', on: { click: () => void remove(p.id) } }, 'Delete'),
        h('button', { class: 'btn btn-small btn-ghost', on: { click: () => cancelDelete(p.id, td) } }, 'Cancel'),
      );
    } else {
      td.replaceChildren(h('span', { class: 'muted small' }, p.source === 'yaml' ? 'edit voicegw.yaml' : 'built in'));
    }
  }

  function askDelete(id: string, td: HTMLTableCellElement) {
    pendingDelete.add(id);
    renderActions(td, latest.find((x) => x.id === id)!);
  }

  function cancelDelete(id: string, td: HTMLTableCellElement) {
    pendingDelete.delete(id);
    renderActions(td, latest.find((x) => x.id === id)!);
  }

  async function remove(id: string) {
    try {
      await api.deleteProject(id);
      services.toast(`Deleted project '${id}'`);
    } catch (e) {
      services.toast(e instanceof ApiError ? e.message : String(e), 'error');
    }
    pendingDelete.delete(id);
    services.refreshNow();
  }

  return {
    el,
    async refresh(ctx: RefreshContext) {
      latest = ctx.projects;
      table.update(ctx.projects);
    },
    destroy() {},
  };
}
