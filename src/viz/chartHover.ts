import { pointer, type Selection } from 'd3';
import { el } from './panelParts.ts';

/** What a chart's hover shows for the item under the pointer. */
export interface HoverHit {
  text: string; // the readout
  key: string; // root.dataset.hover: which item is hovered
  /** The readout's top-left in root's pixels, given its size; the left edge is then kept inside the chart. */
  place(width: number, height: number): [number, number];
}

/** Readout placement near the pointer at (x, y) in root's pixels: up and to the right of it. */
export function nearPointer(x: number, y: number): HoverHit['place'] {
  return () => [x + 10, y - 30];
}

/** Readout placement beside a point at (x, y) in root's pixels: to its right and above it, below the top edge. */
export function besidePoint(x: number, y: number): HoverHit['place'] {
  return (_width, height) => [x + 10, Math.max(4, y - height - 8)];
}

/**
 * Hover (or touch) readouts over a plot: a transparent overlay on top of `plot` and a readout box
 * in `root`. On each pointer move or touch, `find(px, py)` (in plot coordinates) moves `mark` to
 * the item under the pointer and says what to show; null, or leaving the plot, hides mark and
 * readout. Returns the overlay, for the chart to size. Call it after the plot's last layer, so
 * the overlay lies on top.
 */
export function chartHover<M extends SVGElement>(
  root: HTMLElement,
  plot: Selection<SVGGElement, unknown, null, undefined>,
  mark: Selection<M, unknown, null, undefined>,
  find: (px: number, py: number) => HoverHit | null,
  chartWidth: () => number = () => root.clientWidth,
): Selection<SVGRectElement, unknown, null, undefined> {
  const overlay = plot.append('rect').attr('class', 'hover-overlay').attr('fill', 'transparent');
  const readout = el('div', 'chart-readout', root);
  readout.setAttribute('aria-hidden', 'true'); // the figure's numbers, legend and status say it in text
  readout.hidden = true;

  function show(ev: PointerEvent): void {
    const [px, py] = pointer(ev, plot.node());
    const hit = find(px, py);
    if (!hit) return hide();
    mark.attr('visibility', 'visible');
    readout.textContent = hit.text;
    readout.hidden = false;
    const [x, y] = hit.place(readout.offsetWidth, readout.offsetHeight);
    const left = Math.min(chartWidth() - readout.offsetWidth - 4, Math.max(4, x)); // inside the chart
    readout.style.transform = `translate(${left}px, ${Math.max(0, y)}px)`;
    root.dataset.hover = hit.key;
  }

  function hide(): void {
    mark.attr('visibility', 'hidden');
    readout.hidden = true;
    delete root.dataset.hover;
  }

  overlay.on('pointermove', show).on('pointerdown', show).on('pointerleave', hide);
  return overlay;
}
