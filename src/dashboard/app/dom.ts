/**
 * DOM helpers. User data only ever enters the page through text nodes and attributes set by the
 * DOM API (never innerHTML), so a project named `<img onerror=…>` is shown as those characters.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** data-testid, for the end-to-end test and for people reading the DOM */
  testid?: string;
  attrs?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props?.class) el.className = props.class;
  if (props?.testid) el.dataset.testid = props.testid;
  for (const [k, v] of Object.entries(props?.attrs ?? {})) el.setAttribute(k, v);
  for (const [k, fn] of Object.entries(props?.on ?? {})) el.addEventListener(k, fn as EventListener);
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Sets text only when it changed, so a refresh does not touch (or repaint) unchanged nodes. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setClass(el: Element, className: string): void {
  if (el.className !== className) el.className = className;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

export function show(el: HTMLElement, visible: boolean): void {
  if (el.hidden === visible) el.hidden = !visible;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export interface Keyed<T> {
  el: HTMLElement;
  update(item: T): void;
}

const keyedState = new WeakMap<Element, Map<string, Keyed<unknown>>>();

/**
 * Keeps `container`'s children in step with `items` by key: existing nodes are updated in place,
 * new ones created, gone ones removed, order fixed with the fewest moves. No flicker on refresh.
 */
export function reconcile<T>(container: Element, items: readonly T[], key: (item: T) => string, create: (item: T) => Keyed<T>): void {
  const previous = (keyedState.get(container) ?? new Map()) as Map<string, Keyed<T>>;
  const next = new Map<string, Keyed<T>>();
  for (const item of items) {
    const k = key(item);
    if (next.has(k)) continue;
    const entry = previous.get(k) ?? create(item);
    entry.update(item);
    next.set(k, entry);
  }
  for (const [k, entry] of previous) if (!next.has(k)) entry.el.remove();
  let cursor = container.firstElementChild;
  for (const entry of next.values()) {
    if (entry.el !== cursor) container.insertBefore(entry.el, cursor);
    else cursor = cursor.nextElementSibling;
  }
  keyedState.set(container, next as Map<string, Keyed<unknown>>);
}
