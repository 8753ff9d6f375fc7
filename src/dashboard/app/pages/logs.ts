import { api, type Period } from '../client.js';
import { logColumns } from '../columns.js';
import { emptyState, panel } from '../components.js';
import { h, setText } from '../dom.js';
import { count, usd } from '../format.js';
import { choiceFilter, isPeriod, type Page, pageHeader, PERIODS, projectFilter, type RefreshContext, type Route, writeQuery } from '../page.js';
import { dataTable } from '../table.js';

const MODALITIES = [
  { value: '', label: 'All types' },
  { value: 'stt', label: 'STT' },
  { value: 'llm', label: 'LLM' },
  { value: 'tts', label: 'TTS' },
  { value: 'realtime', label: 'Realtime' },
] as const;
const LIMITS = [
  { value: '50', label: '50' },
  { value: '100', label: '100' },
  { value: '250', label: '250' },
  { value: '1000', label: '1000' },
] as const;

type ModalityValue = (typeof MODALITIES)[number]['value'];
type LimitValue = (typeof LIMITS)[number]['value'];

/** Request log: one row per provider attempt, newest first. */
export function logsPage(route: Route, services: { refreshNow(): void }): Page {
  const q = route.query;
  let period: Period = isPeriod(q.get('period')) ? (q.get('period') as Period) : 'today';
  let modality = (MODALITIES.find((m) => m.value === q.get('modality'))?.value ?? '') as ModalityValue;
  let limit = (LIMITS.find((l) => l.value === q.get('limit'))?.value ?? '100') as LimitValue;
  const changed = (values: Record<string, string>) => {
    writeQuery(route, values);
    services.refreshNow();
  };
  const project = projectFilter(q.get('project') ?? '', (v) => changed({ project: v }));
  const periodPick = choiceFilter('Period', 'filter-period', PERIODS, period, (v) => ((period = v), changed({ period: v })));
  const modalityPick = choiceFilter('Type', 'filter-modality', [...MODALITIES], modality, (v) => ((modality = v), changed({ modality: v })));
  const limitPick = choiceFilter('Latest', 'filter-limit', [...LIMITS], limit, (v) => ((limit = v), changed({ limit: v })));
  const header = pageHeader('Logs', '', project.el, periodPick.el, modalityPick.el, limitPick.el);

  const summary = h('span', { class: 'muted small', testid: 'logs-summary' });
  const table = dataTable(logColumns(true), (r) => r.id, {
    testid: 'table-logs',
    empty: emptyState('No requests match', 'Widen the period or clear the filters. Requests appear here as soon as an agent using the voicegateway drop-ins makes them.'),
  });
  const p = panel('Requests', undefined, summary);
  p.body.append(table.el);
  const el = h('div', { class: 'page', testid: 'page-logs' }, header.el, p.el);

  return {
    el,
    async refresh(ctx: RefreshContext) {
      project.update(ctx.projects);
      const selected = project.value() || undefined;
      // the log route takes no period, so the period's window comes from the costs report (same time zone rules)
      const [costs, rows] = await Promise.all([
        api.costs({ project: selected, period }),
        api.logs({ project: selected, modality: modality || undefined, limit: Number(limit) }),
      ]);
      const from = Date.parse(costs.period.from);
      const inPeriod = rows.filter((r) => r.ts >= from);
      setText(header.subtitle, `${PERIODS.find((x) => x.value === period)!.label}: ${count(costs.requests)} requests, ${usd(costs.totalUsd)} (${costs.period.timeZone})`);
      setText(summary, inPeriod.length === rows.length && rows.length === Number(limit) ? `latest ${count(rows.length)} shown` : `${count(inPeriod.length)} shown`);
      table.update(inPeriod);
    },
    destroy() {},
  };
}
