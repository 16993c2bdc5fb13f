import { select, type Selection } from 'd3-selection';
import { createDownloadButtons, type DownloadSource } from './download.ts';

/**
 * Small DOM pieces the probe panels share: elements, buttons, a group of toggle buttons
 * (aria-pressed, arrow keys move between them), a static legend, a row of numbers, a color bar,
 * and a probe panel's footer.
 */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  parent?.append(e);
  return e;
}

/** A button that says what it does in data-action; small (a probe panel's control) unless `small` is false. */
export function button(parent: HTMLElement, action: string, text: string, onClick: () => void, small = true): HTMLButtonElement {
  const b = el('button', `btn${small ? ' btn-small' : ''} btn-${action}`, parent);
  b.type = 'button';
  b.dataset.action = action;
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

export interface ToggleGroup<T extends string> {
  readonly root: HTMLElement;
  set(value: T): void;
}

/** Buttons of which one is pressed; a click (or Enter/Space, or an arrow key) picks one. */
export function toggleGroup<T extends string>(
  parent: HTMLElement,
  label: string,
  options: readonly { value: T; text: string; title?: string }[],
  onPick: (value: T) => void,
): ToggleGroup<T> {
  const root = el('div', 'toggle-group', parent);
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', label);
  const caption = el('span', 'toggle-label', root);
  caption.textContent = label;
  caption.setAttribute('aria-hidden', 'true');
  const buttons = options.map((o) => {
    const b = button(root, 'toggle', o.text, () => onPick(o.value));
    b.dataset.value = o.value;
    if (o.title) b.title = o.title;
    return b;
  });
  root.addEventListener('keydown', (ev) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const d = ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 1 : ev.key === 'ArrowLeft' || ev.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    ev.preventDefault();
    const j = (i + d + buttons.length) % buttons.length;
    buttons[j].focus();
    onPick(options[j].value);
  });
  return {
    root,
    set(value) {
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.value === value));
    },
  };
}

/** A toggle group of numbers (widths, depths, distances): each button shows its number. */
export function numberToggle(
  parent: HTMLElement,
  label: string,
  values: readonly number[],
  onPick: (value: number) => void,
  title?: (value: number) => string,
): { readonly root: HTMLElement; set(value: number): void } {
  const group = toggleGroup(
    parent,
    label,
    values.map((v) => ({ value: String(v), text: String(v), title: title?.(v) })),
    (v) => onPick(Number(v)),
  );
  return { root: group.root, set: (v) => group.set(String(v)) };
}

/**
 * Starts a probe panel in `figure`: marks it with its panel ID and classes, drops the no-script
 * fallback, and returns the row its controls go in.
 */
export function startProbePanel(figure: HTMLElement, panelId: string, kind: string): HTMLElement {
  figure.dataset.panel = panelId;
  figure.classList.add('panel', 'probe-panel', kind);
  figure.replaceChildren();
  return el('div', 'probe-controls', figure);
}

export interface LegendEntry {
  tone?: number; // curve color between narrow and wide (CSS --tone)
  color?: string; // or an explicit CSS color
  label: string;
  dashed?: boolean;
  dotted?: boolean;
  dot?: boolean;
}

/** A legend as a text list; re-rendered only when its text changes. */
export function staticLegend(parent: HTMLElement, ariaLabel: string): { update(items: readonly LegendEntry[]): void } {
  const ul = el('ul', 'curve-legend probe-legend', parent);
  ul.setAttribute('aria-label', ariaLabel);
  let stamp = '';
  return {
    update(items) {
      const next = JSON.stringify(items);
      if (next === stamp) return;
      stamp = next;
      ul.replaceChildren(
        ...items.map((i) => {
          const li = document.createElement('li');
          if (i.tone !== undefined) li.style.setProperty('--tone', i.tone.toFixed(3));
          if (i.color) li.style.setProperty('--curve', i.color);
          const sw = el('span', `swatch${i.dashed ? ' dashed' : ''}${i.dotted ? ' dotted' : ''}${i.dot ? ' dot' : ''}`, li);
          sw.setAttribute('aria-hidden', 'true');
          const label = el('span', 'legend-label', li);
          label.textContent = i.label;
          return li;
        }),
      );
    },
  };
}

/** A probe panel's row of labelled numbers (createLiveNumbers): styled as the probe panels' own, no test IDs (several panels share a page). */
export const PROBE_NUMBERS = { className: 'probe-numbers', testIds: false };

/** A color key's bar, the colors left to right (hidden from screen readers: the words beside it say it). */
export function colorBar(parent: HTMLElement, colors: readonly string[]): HTMLElement {
  const bar = el('span', 'heat-scale-bar', parent);
  bar.style.background = `linear-gradient(to right, ${colors.join(',')})`;
  bar.setAttribute('aria-hidden', 'true');
  return bar;
}

/**
 * The end of a probe panel: its status line (a live region: what is running, what finished), its
 * caption (the setup in words) and the download buttons.
 */
export function probeFooter(figure: HTMLElement, download: DownloadSource): { status: HTMLElement; caption: HTMLElement } {
  const status = el('p', 'wc-status', figure);
  status.setAttribute('role', 'status');
  const caption = el('figcaption', 'probe-caption', figure);
  createDownloadButtons(figure, download);
  return { status, caption };
}

/**
 * A theory panel's end: its legend, its line of measured numbers, then the probe footer (status,
 * caption, and downloads of every chart in `body` as one picture).
 */
export function theoryFooter(
  figure: HTMLElement,
  body: HTMLElement,
  legendLabel: string,
  download: Omit<DownloadSource, 'svg' | 'canvases'>,
): { legend: ReturnType<typeof staticLegend>; numbers: HTMLElement; status: HTMLElement; caption: HTMLElement } {
  const legend = staticLegend(figure, legendLabel);
  const numbers = el('p', 'theory-numbers', figure);
  return { legend, numbers, ...probeFooter(figure, { ...download, svg: () => compositeSvg(body), canvases: () => canvasLayers(body) }) };
}

export { setAttr, setData, setText } from './domWrites.ts';

/**
 * Coalesces redraw requests to one per animation frame and at most one per `everyMs` (0: every
 * frame), or, under reduced motion, one per `reducedMs` at most.
 */
export function frameScheduler(draw: () => void, reducedMotion: boolean, reducedMs = 500, everyMs = 0): () => void {
  let pending = false;
  let last = -Infinity;
  return () => {
    if (pending) return;
    pending = true;
    const wait = Math.max(0, last + (reducedMotion ? reducedMs : everyMs) - performance.now());
    const go = () =>
      requestAnimationFrame(() => {
        pending = false;
        last = performance.now();
        draw();
      });
    if (wait > 0) setTimeout(go, wait);
    else go();
  };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * One SVG of a panel's several charts, for downloads: every `svg[data-export]` inside `container`
 * is cloned at its place. The composite sits over the container only while a download is being
 * made (downloadRender.ts reads it synchronously) and is removed right after.
 */
export function compositeSvg(container: HTMLElement): SVGSVGElement {
  const box = container.getBoundingClientRect();
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('class', 'export-composite');
  out.setAttribute('width', String(Math.round(box.width)));
  out.setAttribute('height', String(Math.round(box.height)));
  out.setAttribute('viewBox', `0 0 ${Math.round(box.width)} ${Math.round(box.height)}`);
  out.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none';
  for (const svg of container.querySelectorAll<SVGSVGElement>('svg[data-export]')) {
    const r = svg.getBoundingClientRect();
    if (r.width === 0) continue;
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.removeAttribute('data-export');
    clone.setAttribute('x', String(r.left - box.left));
    clone.setAttribute('y', String(r.top - box.top));
    clone.setAttribute('width', String(r.width));
    clone.setAttribute('height', String(r.height));
    out.append(clone);
  }
  container.append(out);
  setTimeout(() => out.remove(), 0);
  return out;
}

/**
 * A chart painted on a canvas with its axes, marks and hover in an exported SVG laid over it (the
 * canvas is hidden from screen readers: the SVG's label says what it shows).
 */
export function canvasUnderSvg(root: HTMLElement, canvasClass: string, svgClass: string, ariaLabel: string): { canvas: HTMLCanvasElement; svg: Selection<SVGSVGElement, unknown, null, undefined> } {
  const canvas = el('canvas', canvasClass, root);
  canvas.setAttribute('aria-hidden', 'true');
  const svg = select(root).append('svg').attr('class', svgClass).attr('data-export', '').attr('role', 'img').attr('aria-label', ariaLabel);
  return { canvas, svg };
}

/**
 * Lays out a square plot: the SVG as wide as its root (`rootWidth`, from onWidthChange) within
 * [minWidth, maxWidth], the plot a square inside `margin`, the canvas under it at device
 * resolution and the hover overlay over it. Returns the square's side in CSS px.
 */
export function layoutSquarePlot(
  rootWidth: number,
  parts: { svg: Selection<SVGSVGElement, unknown, null, undefined>; canvas: HTMLCanvasElement; overlay: Selection<SVGRectElement, unknown, null, undefined> },
  margin: { top: number; right: number; bottom: number; left: number },
  [minWidth, maxWidth]: [number, number],
): number {
  const width = Math.max(minWidth, Math.min(rootWidth, maxWidth));
  const side = width - margin.left - margin.right;
  const height = side + margin.top + margin.bottom;
  parts.svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const dpr = Math.max(1, globalThis.devicePixelRatio || 1);
  parts.canvas.width = Math.round(side * dpr);
  parts.canvas.height = Math.round(side * dpr);
  Object.assign(parts.canvas.style, { width: `${side}px`, height: `${side}px`, left: `${margin.left}px`, top: `${margin.top}px` });
  parts.overlay.attr('width', side).attr('height', side);
  return side;
}

/** Canvases inside `container` that are drawn (for the PNG download's layers). */
export function canvasLayers(container: HTMLElement): HTMLCanvasElement[] {
  return [...container.querySelectorAll<HTMLCanvasElement>('canvas')].filter((c) => c.width > 0 && c.getBoundingClientRect().width > 0);
}

/** A box's content width in whole CSS px, as the ResizeObserver measured it. */
function observedWidth(entry: ResizeObserverEntry): number {
  const box = entry.contentBoxSize?.[0];
  return Math.round(box ? box.inlineSize : entry.contentRect.width);
}

/**
 * Calls `onWidth` with `root`'s width (its content box, in whole px) whenever that changes (not on
 * height changes, which redraws cause). The width is the observer's own measure: reading the
 * element's (clientWidth) there would force a layout of the page whenever an earlier callback had
 * changed it, as every chart's callback does. `measured` turns true at the first call: until then
 * a chart has no size to draw at; `width` is the last one (0 before).
 */
export function onWidthChange(root: HTMLElement, onWidth: (width: number) => void): { readonly measured: boolean; readonly width: number } {
  let observed = -1;
  new ResizeObserver((entries) => {
    const width = observedWidth(entries[entries.length - 1]);
    if (width === observed) return;
    observed = width;
    onWidth(width);
  }).observe(root);
  return {
    get measured() {
      return observed >= 0;
    },
    get width() {
      return Math.max(0, observed);
    },
  };
}

/**
 * A chart's redraw: `layout` then `draw` with root's width whenever it changes (the first time once
 * root is laid out), and the function returned draws new data, but only once there is a size to
 * draw at.
 */
export function resizingRedraw(root: HTMLElement, draw: (width: number) => void, layout?: (width: number) => void): () => void {
  const sizing = onWidthChange(root, (width) => {
    layout?.(width);
    draw(width);
  });
  return () => {
    if (sizing.measured) draw(sizing.width);
  };
}
