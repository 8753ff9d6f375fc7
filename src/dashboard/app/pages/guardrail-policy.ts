import { ApiError, api, type GuardrailsView } from '../client.js';
import { panel } from '../components.js';
import { h, setText, show } from '../dom.js';
import type { AppServices } from '../page.js';

const CATEGORIES = ['pii', 'financial', 'medical', 'prompt_injection', 'off_topic'] as const;
type Category = (typeof CATEGORIES)[number];
const LABEL: Record<Category, string> = { pii: 'PII', financial: 'Financial', medical: 'Medical', prompt_injection: 'Prompt injection', off_topic: 'Off-topic' };
const ACTIONS = [
  ['redact', 'redact: replace with a placeholder'],
  ['block', 'block: answer with the block message'],
  ['alert', 'alert: record, let it through'],
  ['off', 'off'],
] as const;
const FROM: Record<GuardrailsView['categories'][Category]['from'], string> = { project: 'set by this project', defaults: 'top-level default', none: 'not set' };

/**
 * The project's guardrail policy, category → action. Runtime projects are edited in place (PUT
 * /v1/projects/:id/guardrails, the same validation and audit as the CLI and MCP); YAML projects
 * show theirs read-only. New sessions get an edit within about a second; running ones keep theirs.
 */
export function guardrailPolicyPanel(id: string, services: Pick<AppServices, 'toast'>, onView: (v: GuardrailsView) => void = () => {}): { el: HTMLElement; refresh(): Promise<void> } {
  const status = h('p', { class: 'muted small', testid: 'guardrail-policy-status' });
  const error = h('div', { class: 'form-error', testid: 'guardrail-policy-error' });
  const reset = h('button', { class: 'btn btn-ghost', testid: 'guardrail-reset', attrs: { type: 'button', title: "Remove this project's own guardrail settings: the top-level guardrails apply again" }, on: { click: () => void save(() => api.clearGuardrails(id), 'Guardrails back to the defaults') } }, 'Reset to defaults');
  const selects = {} as Record<Category, HTMLSelectElement>;
  const origins = {} as Record<Category, HTMLSpanElement>;
  const rows = CATEGORIES.map((c) => {
    selects[c] = h('select', { attrs: { name: c, 'aria-label': `${LABEL[c]} action` }, testid: `guardrail-action-${c}` }, ...ACTIONS.map(([v, text]) => h('option', { attrs: { value: v } }, text)));
    selects[c].addEventListener('change', () => void save(() => api.setGuardrails(id, { categories: { [c]: selects[c].value } }), `${LABEL[c]}: ${selects[c].value}`));
    origins[c] = h('span', { class: 'field-hint', testid: `guardrail-from-${c}` });
    return h('label', { class: 'field' }, h('span', { class: 'field-label' }, LABEL[c]), selects[c], origins[c]);
  });
  const p = panel('Guardrail policy', 'panel-guardrail-policy', reset);
  p.body.append(status, h('div', { class: 'form-grid' }, ...rows), error);
  let saving = false;
  let last: GuardrailsView | null = null;

  function render(v: GuardrailsView) {
    last = v;
    setText(
      status,
      v.read_only
        ? v.source === 'yaml'
          ? `Defined in voicegw.yaml: read-only here. Edit projects.${v.project}.guardrails in the YAML to change it.`
          : 'The built-in default project: read-only.'
        : v.enabled
          ? 'On. An edit applies to new sessions within about a second; sessions already running keep the policy they started with.'
          : 'Off for this project. Choosing an action turns its guardrails on for new sessions.',
    );
    for (const c of CATEGORIES) {
      const rule = v.categories[c];
      if (selects[c].value !== rule.action) selects[c].value = rule.action;
      selects[c].disabled = v.read_only;
      setText(origins[c], v.enabled ? FROM[rule.from] : `${FROM[rule.from]} · guardrails off`);
    }
    show(reset, !v.read_only);
    onView(v);
  }

  async function save(write: () => Promise<GuardrailsView>, done: string) {
    saving = true;
    setText(error, '');
    try {
      render(await write());
      services.toast(done);
    } catch (e) {
      setText(error, e instanceof ApiError && e.status === 403 ? `${e.message}. Sign in with a token that has the write scope.` : e instanceof Error ? e.message : String(e));
      if (last) render(last); // the selects show what is stored, not the refused choice
    } finally {
      saving = false;
    }
  }

  return {
    el: p.el,
    async refresh() {
      const v = await api.guardrails(id);
      if (!saving) render(v);
    },
  };
}
