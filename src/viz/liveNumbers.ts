/**
 * A row of labelled numbers that change every frame (width, step, loss, ...). Not a live region:
 * a screen reader reads them on demand; the figure's status line announces what matters.
 */
export interface LiveNumbers {
  update(values: Readonly<Record<string, string>>): void;
}

/** `className` adds to the list's class; `testIds` marks each value `${key}-value` for tests (one panel a page may do it). */
export function createLiveNumbers(root: HTMLElement, fields: readonly { key: string; label: string }[], { className = '', testIds = true } = {}): LiveNumbers {
  const dl = document.createElement('dl');
  dl.className = `live-numbers ${className}`.trim();
  const outs = new Map<string, HTMLElement>();
  for (const f of fields) {
    const item = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = f.label;
    const dd = document.createElement('dd');
    if (testIds) dd.dataset.testid = `${f.key}-value`;
    dd.textContent = '\u2013';
    item.append(dt, dd);
    dl.append(item);
    outs.set(f.key, dd);
  }
  root.append(dl);
  return {
    update(values) {
      for (const [k, v] of Object.entries(values)) {
        const el = outs.get(k);
        if (el && el.textContent !== v) el.textContent = v;
      }
    },
  };
}
