import { h, reconcile, setText, show } from './dom.js';

export interface Column<T> {
  head: string;
  /** cell class: `num` right-aligns figures */
  cls?: string;
  text?: (row: T) => string;
  /** for cells holding more than text (badges); must update `td` in place */
  render?: (td: HTMLTableCellElement, row: T) => void;
  /** cell title (hover), e.g. a full id shown shortened */
  title?: (row: T) => string;
}

export interface DataTable<T> {
  el: HTMLElement;
  update(rows: readonly T[]): void;
}

/** A table whose rows are keyed and updated in place on refresh; shows `empty` when there are no rows. */
export function dataTable<T>(columns: Column<T>[], key: (row: T) => string, opts: { testid: string; empty: HTMLElement; onRow?: (row: T) => void }): DataTable<T> {
  const body = h('tbody');
  const table = h('table', { class: 'table' }, h('thead', null, h('tr', null, ...columns.map((c) => h('th', { class: c.cls?.includes('num') ? 'num' : undefined }, c.head)))), body);
  const scroller = h('div', { class: 'table-scroll' }, table);
  const el = h('div', { testid: opts.testid }, scroller, opts.empty);
  show(opts.empty, false);

  const createRow = (first: Entry<T>) => {
    const cells = columns.map((c) => h('td', { class: c.cls }));
    const tr = h('tr', { attrs: { 'data-key': first.key } }, ...cells);
    let current = first.row;
    if (opts.onRow) {
      tr.classList.add('clickable');
      tr.tabIndex = 0;
      tr.addEventListener('click', () => opts.onRow!(current));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && opts.onRow!(current));
    }
    return {
      el: tr,
      update({ row }: Entry<T>) {
        current = row;
        columns.forEach((c, i) => {
          const td = cells[i]!;
          if (c.render) c.render(td, row);
          else setText(td, c.text ? c.text(row) : '');
          if (c.title) td.title = c.title(row);
        });
      },
    };
  };

  return {
    el,
    update(rows) {
      reconcile(body, withUniqueKeys(rows, key), (e) => e.key, createRow);
      show(scroller, rows.length > 0);
      show(opts.empty, rows.length === 0);
    },
  };
}

interface Entry<T> {
  key: string;
  row: T;
}

/** Identical rows (two events in the same millisecond) stay two rows: repeats get `#2`, `#3`… */
function withUniqueKeys<T>(rows: readonly T[], key: (row: T) => string): Entry<T>[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const k = key(row);
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return { key: n === 1 ? k : `${k}#${n}`, row };
  });
}
