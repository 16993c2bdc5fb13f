import { setText } from './domWrites.ts';

/** The chart's legend as a text list: each curve's color, its label and how its run went. */
export interface LegendItem {
  key: string;
  label: string; // "m = 256"
  note: string; // "converged in 125 steps"
  tone: number; // 0..1, the curve's color (CSS --tone)
  current: boolean;
  fade: number;
}

export interface CurveLegend {
  update(items: readonly LegendItem[]): void;
}

export function createCurveLegend(root: HTMLElement, ariaLabel: string): CurveLegend {
  const ul = document.createElement('ul');
  ul.className = 'curve-legend';
  ul.setAttribute('aria-label', ariaLabel);
  root.append(ul);
  const rows = new Map<string, { li: HTMLLIElement; note: HTMLSpanElement }>();

  function row(i: LegendItem): { li: HTMLLIElement; note: HTMLSpanElement } {
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'legend-label';
    label.textContent = i.label;
    const note = document.createElement('span');
    note.className = 'legend-note';
    const li = document.createElement('li');
    li.dataset.key = i.key;
    li.style.setProperty('--tone', i.tone.toFixed(3));
    li.append(swatch, label, ' ', note);
    return { li, note };
  }

  return {
    update(items) {
      // rows are kept and edited in place: a running curve's note changes every frame
      let order = '';
      for (const i of items) {
        let r = rows.get(i.key);
        if (!r) rows.set(i.key, (r = row(i)));
        setText(r.note, i.note);
        r.li.classList.toggle('current', i.current);
        const opacity = String(Math.max(0.55, i.fade));
        if (r.li.style.opacity !== opacity) r.li.style.opacity = opacity;
        order += `${i.key};`;
      }
      for (const [k, r] of rows) {
        if (!items.some((i) => i.key === k)) {
          r.li.remove();
          rows.delete(k);
        }
      }
      if (ul.dataset.order !== order) {
        ul.dataset.order = order;
        ul.replaceChildren(...items.map((i) => rows.get(i.key)!.li));
      }
    },
  };
}
