import { api, type Period, type SessionCost } from '../client.js';
import { logColumns, sessionColumns } from '../columns.js';
import { emptyState, panel } from '../components.js';
import { h, setText, show } from '../dom.js';
import { count, duration, usd } from '../format.js';
import { choiceFilter, isPeriod, type Page, pageHeader, PERIODS, projectFilter, type RefreshContext, type Route, writeQuery } from '../page.js';
import { dataTable } from '../table.js';

/** Sessions (one per AgentSession / call) with their STT, LLM, TTS cost and cost per minute. */
export function sessionsPage(route: Route, services: { refreshNow(): void }): Page {
  const q = route.query;
  let period: Period = isPeriod(q.get('period')) ? (q.get('period') as Period) : 'week';
  let selected = q.get('session') ?? '';
  const changed = (values: Record<string, string>) => {
    writeQuery(route, values);
    services.refreshNow();
  };
  const project = projectFilter(q.get('project') ?? '', (v) => changed({ project: v }));
  const periodPick = choiceFilter('Period', 'filter-period', PERIODS, period, (v) => ((period = v), changed({ period: v })));
  const header = pageHeader('Sessions', '', project.el, periodPick.el);

  const table = dataTable(sessionColumns(true), (s) => s.id, {
    testid: 'table-sessions',
    empty: emptyState(
      'No sessions in this period',
      'A session groups the requests of one call. The drop-ins start one per AgentSession automatically; call inference.startSession() to name your own.',
    ),
    onRow: (s) => {
      selected = s.id;
      changed({ session: s.id });
    },
  });
  const listPanel = panel('Sessions', undefined, h('span', { class: 'muted small' }, 'select a session for its requests'));
  listPanel.body.append(table.el);

  const detailTitle = h('span', { class: 'mono' });
  const detailFigures = h('span', { class: 'muted small', testid: 'session-figures' });
  const close = h('button', { class: 'btn btn-ghost', on: { click: () => ((selected = ''), changed({ session: '' })) } }, 'Close');
  const detailRows = dataTable(logColumns(false), (r) => r.id, { testid: 'table-session-requests', empty: emptyState('This session has no requests') });
  const detail = panel('Session', 'panel-session-detail', detailFigures, close);
  detail.title.append(' ', detailTitle);
  detail.body.append(detailRows.el);
  show(detail.el, false);

  const el = h('div', { class: 'page', testid: 'page-sessions' }, header.el, detail.el, listPanel.el);

  return {
    el,
    async refresh(ctx: RefreshContext) {
      project.update(ctx.projects);
      const chosen = project.value() || undefined;
      const [costs, sessions, one] = await Promise.all([
        api.costs({ project: chosen, period }),
        api.sessions({ project: chosen, limit: 200 }),
        selected ? api.session(selected).catch(() => null) : Promise.resolve(null),
      ]);
      const from = Date.parse(costs.period.from);
      const shown = sessions.filter((s) => Date.parse(s.endedAt) >= from);
      setText(header.subtitle, `${PERIODS.find((x) => x.value === period)!.label}: ${count(shown.length)} session(s), ${usd(sum(shown))} (${costs.period.timeZone})`);
      table.update(shown);
      for (const tr of Array.from(table.el.querySelectorAll<HTMLTableRowElement>('tbody tr'))) tr.classList.toggle('selected', tr.dataset.key === selected);
      show(detail.el, one !== null);
      if (one) {
        setText(detailTitle, one.id);
        setText(detailFigures, `${duration(one.durationSec)} · STT ${usd(one.stt)} · LLM ${usd(one.llm)} · TTS ${usd(one.tts)} · Realtime ${usd(one.realtime)} · total ${usd(one.total)}${one.perMinute === null ? '' : ` · ${usd(one.perMinute)}/min`}`);
        detailRows.update(one.logs);
      }
    },
    destroy() {},
  };
}

function sum(sessions: SessionCost[]): number {
  return sessions.reduce((s, x) => s + x.total, 0);
}
