import { type PriceRow, priceSummary } from '../../../metering/catalog-view.js';
import { api } from '../client.js';
import { emptyState, panel } from '../components.js';
import { h, setText } from '../dom.js';
import { count } from '../format.js';
import { choiceFilter, type Page, pageHeader, type Route, writeQuery } from '../page.js';
import { dataTable } from '../table.js';

const MODALITIES = [
  { value: '', label: 'All types' },
  { value: 'stt', label: 'STT' },
  { value: 'llm', label: 'LLM' },
  { value: 'tts', label: 'TTS' },
] as const;
type ModalityValue = (typeof MODALITIES)[number]['value'];

/** The price catalog as requests are priced (the rows of `voicegw prices`). */
export function pricesPage(route: Route, services: { refreshNow(): void }): Page {
  let modality = (MODALITIES.find((m) => m.value === route.query.get('modality'))?.value ?? '') as ModalityValue;
  let search = '';
  let rows: PriceRow[] = [];
  const modalityPick = choiceFilter('Type', 'filter-modality', [...MODALITIES], modality, (v) => {
    modality = v;
    writeQuery(route, { modality: v });
    services.refreshNow();
  });
  const input = h('input', { class: 'input', attrs: { type: 'search', placeholder: 'filter models', 'aria-label': 'Filter models' }, testid: 'filter-model' }) as HTMLInputElement;
  const header = pageHeader('Prices', '', modalityPick.el, input);
  const summary = h('span', { class: 'muted small', testid: 'prices-summary' });
  const table = dataTable<PriceRow>(
    [
      { head: 'Type', text: (r) => r.modality.toUpperCase() },
      { head: 'Model', cls: 'mono', text: (r) => r.model },
      { head: 'Price (USD)', cls: 'num', text: priceSummary },
      { head: 'Source', cls: 'mono', text: (r) => r.source, title: (r) => r.reference },
      { head: 'As of', text: (r) => r.as_of || '-' },
      { head: 'Flags', text: (r) => [r.override ? 'override' : '', r.verified ? '' : 'unverified'].filter(Boolean).join(', ') || '-', title: (r) => r.note ?? '' },
    ],
    (r) => `${r.modality}:${r.model}`,
    { testid: 'table-prices', empty: emptyState('No prices match', 'Clear the filter. Add prices under prices: in voicegw.yaml.') },
  );
  const show = () => {
    const shown = search ? rows.filter((r) => r.model.includes(search)) : rows;
    setText(summary, `${count(shown.length)} of ${count(rows.length)}`);
    table.update(shown);
  };
  input.addEventListener('input', () => {
    search = input.value.trim().toLowerCase();
    show();
  });
  const p = panel('Catalog', undefined, summary);
  p.body.append(table.el);
  const el = h('div', { class: 'page', testid: 'page-prices' }, header.el, p.el);
  return {
    el,
    async refresh() {
      const catalog = await api.prices({ modality: modality || undefined });
      rows = catalog.rows;
      setText(header.subtitle, 'LLMs from genai-prices, STT/TTS from the voicegateway catalog, prices: in voicegw.yaml on top');
      show();
    },
    destroy() {},
  };
}
