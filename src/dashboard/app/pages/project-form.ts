import { ApiError, api, type ProjectInput, type ProjectView } from '../client.js';
import { h, setText, show } from '../dom.js';

const FIELDS = ['id', 'name', 'description', 'daily_budget', 'budget_action', 'tags'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Create / edit form for runtime projects. Validation is the API's (the same rules as the CLI and
 * MCP): its `{ error: { field, message } }` is shown under the field it names.
 */
export function projectForm(services: { refreshNow(): void; toast(m: string, tone?: 'ok' | 'error'): void }): {
  el: HTMLElement;
  openCreate(): void;
  openEdit(p: ProjectView): void;
  close(): void;
} {
  const id = h('input', { attrs: { name: 'id', required: '', maxlength: '63', placeholder: 'e.g. sales-bot', autocomplete: 'off', spellcheck: 'false' } });
  const name = h('input', { attrs: { name: 'name', required: '', maxlength: '200', placeholder: 'Sales Bot' } });
  const description = h('textarea', { attrs: { name: 'description', rows: '2', maxlength: '2000', placeholder: 'What this agent does (optional)' } });
  const budget = h('input', { attrs: { name: 'daily_budget', type: 'number', min: '0', step: '0.01', value: '0', inputmode: 'decimal' } });
  const action = h('select', { attrs: { name: 'budget_action' } }, h('option', { attrs: { value: 'warn' } }, 'warn: log once, keep serving'), h('option', { attrs: { value: 'throttle' } }, 'throttle: local / cheaper models'), h('option', { attrs: { value: 'block' } }, 'block: refuse requests'));
  const tags = h('input', { attrs: { name: 'tags', placeholder: 'prod, support' } });
  const controls: Record<Field, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement> = { id, name, description, daily_budget: budget, budget_action: action, tags };
  const errors = Object.fromEntries(FIELDS.map((f) => [f, h('div', { class: 'field-error', testid: `error-${f}` })])) as Record<Field, HTMLDivElement>;

  const field = (f: Field, label: string, hint = '') => h('label', { class: `field field-${f}` }, h('span', { class: 'field-label' }, label), controls[f], hint ? h('span', { class: 'field-hint' }, hint) : null, errors[f]);
  const title = h('h2');
  const formError = h('div', { class: 'form-error', testid: 'form-error' });
  const submit = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' }, testid: 'project-submit' });
  const cancel = h('button', { class: 'btn btn-ghost', attrs: { type: 'button' }, on: { click: () => close() } }, 'Cancel');
  const form = h(
    'form',
    { class: 'panel project-form', testid: 'project-form', attrs: { novalidate: '' } },
    h('header', { class: 'panel-head' }, title),
    h(
      'div',
      { class: 'panel-body form-grid' },
      field('id', 'ID', 'lowercase letters, digits, - and _; cannot change later'),
      field('name', 'Name'),
      field('daily_budget', 'Daily budget (USD)', '0 = no limit'),
      field('budget_action', 'Over budget'),
      field('tags', 'Tags', 'comma-separated; the first sets the colour (prod, staging, dev)'),
      field('description', 'Description'),
    ),
    formError,
    h('div', { class: 'form-actions' }, cancel, submit),
  );
  show(form, false);
  let editing: string | null = null;

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void save();
  });

  async function save() {
    clearErrors();
    const body: ProjectInput = {
      name: name.value,
      description: description.value,
      daily_budget: budget.value.trim() === '' ? 0 : Number(budget.value),
      budget_action: action.value as ProjectInput['budget_action'],
      tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
    };
    submit.disabled = true;
    try {
      if (editing) await api.updateProject(editing, body);
      else await api.createProject({ id: id.value.trim(), ...body });
      services.toast(editing ? `Saved '${body.name}'` : `Created project '${body.name}'`);
      close();
      services.refreshNow();
    } catch (e) {
      showError(e);
    } finally {
      submit.disabled = false;
    }
  }

  function showError(e: unknown) {
    if (e instanceof ApiError && e.field && (FIELDS as readonly string[]).includes(e.field.split('.')[0]!)) {
      const f = e.field.split('.')[0] as Field;
      setText(errors[f], e.message);
      controls[f].setAttribute('aria-invalid', 'true');
      controls[f].focus();
    } else {
      setText(formError, e instanceof ApiError && e.status === 403 ? `${e.message}. Sign in with a token that has the write scope.` : e instanceof Error ? e.message : String(e));
    }
  }

  function clearErrors() {
    setText(formError, '');
    for (const f of FIELDS) {
      setText(errors[f], '');
      controls[f].removeAttribute('aria-invalid');
    }
  }

  function open(p: ProjectView | null) {
    clearErrors();
    editing = p?.id ?? null;
    setText(title, p ? `Edit ${p.name}` : 'New project');
    setText(submit, p ? 'Save changes' : 'Create project');
    id.value = p?.id ?? '';
    id.disabled = !!p;
    name.value = p?.name ?? '';
    description.value = p?.description ?? '';
    budget.value = String(p?.daily_budget ?? 0);
    action.value = p?.budget_action ?? 'warn';
    tags.value = (p?.tags ?? []).join(', ');
    show(form, true);
    (p ? name : id).focus();
  }

  function close() {
    editing = null;
    show(form, false);
  }

  return { el: form, openCreate: () => open(null), openEdit: (p) => open(p), close };
}
