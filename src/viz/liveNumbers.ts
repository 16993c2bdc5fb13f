import { setText } from './domWrites.ts';

/**
 * A row of labelled numbers that change every frame (width, step, loss, ...). Not a live region:
 * a screen reader reads them on demand; the figure's status line announces what matters.
 */
export interface LiveNumbers<K extends string> {
  update(values: Readonly<Record<K, string>>): void;
}

/**
 * One number per key of `labels`, in their order, labelled by its value. `className` adds to the
 * list's class; `testIds` marks each value `${key}-value` for tests (one panel a page may do it).
 */
export function createLiveNumbers<K extends string>(
  root: HTMLElement,
  labels: Readonly<Record<K, string>>,
  { className = '', testIds = true } = {},
): LiveNumbers<K> {
  const dl = document.createElement('dl');
  dl.className = `live-numbers ${className}`.trim();
  const outs = new Map<K, HTMLElement>();
  for (const [key, label] of Object.entries(labels) as [K, string][]) {
    const item = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    if (testIds) dd.dataset.testid = `${key}-value`;
    dd.textContent = '\u2013';
    item.append(dt, dd);
    dl.append(item);
    outs.set(key, dd);
  }
  root.append(dl);
  return {
    update(values) {
      for (const [k, el] of outs) {
        setText(el, values[k]); // an edit of its text node: the row is laid out again, nothing restyled
      }
    },
  };
}
