import { pointer, type Selection } from 'd3-selection';
import { el } from './panelParts.ts';

/** What a chart's hover shows for the item under the pointer. */
export interface HoverHit {
  text: string; // the readout
  key: string; // root.dataset.hover: which item is hovered
  /** The readout's top-left in root's pixels, given its size; the left edge is then kept inside the chart. */
  place(width: number, height: number): [number, number];
  /** The item's height in plot pixels: the keyboard cursor moves on from there. */
  y?: number;
  /** The curve the item lies on (a chart with `curves`): the keyboard cursor stays on it. */
  curve?: string;
}

/** What the keyboard cursor asks of a chart: the item nearest its position, on `curve` when that is set and still drawn. */
export interface KeyCursor {
  curve: string | null;
}

/**
 * Finds the item at (px, py) in plot pixels, or null. `keys` is set when the keyboard cursor asks:
 * a chart that ignores items far from the pointer should then take the nearest one anyway.
 */
export type HoverFind = (px: number, py: number, keys: KeyCursor | null) => HoverHit | null;

export interface ChartHoverOptions {
  /** The chart's width in root's pixels (the readout is kept inside it); default root.clientWidth. */
  chartWidth?: () => number;
  /** Plot pixels one arrow key moves the keyboard cursor, [dx, dy]: a cell of a grid; default 1/40 of the overlay. */
  keyStep?: () => [number, number];
  /** The keys of the curves drawn, in order: Up and Down then switch curves, and the other keys move along one. */
  curves?: () => readonly string[];
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
 *
 * The same readouts work from the keyboard: the chart's <svg> takes focus (Tab), the arrow keys
 * move a cursor over the overlay (Shift: five times as far; Home/End: to the left and right
 * edges; on a chart of curves, Left/Right/Home/End move along the curve and Up/Down switch to the
 * previous or next one), Escape or leaving hides it, and a polite live region reads each readout out.
 */
export function chartHover<M extends SVGElement>(
  root: HTMLElement,
  plot: Selection<SVGGElement, unknown, null, undefined>,
  mark: Selection<M, unknown, null, undefined>,
  find: HoverFind,
  options: ChartHoverOptions = {},
): Selection<SVGRectElement, unknown, null, undefined> {
  const chartWidth = options.chartWidth ?? (() => root.clientWidth);
  const overlay = plot.append('rect').attr('class', 'hover-overlay').attr('fill', 'transparent');
  const readout = el('div', 'chart-readout', root);
  readout.setAttribute('aria-hidden', 'true'); // pointer readouts: the figure's numbers, legend and status say it in text
  readout.hidden = true;
  const spoken = el('div', 'visually-hidden', root); // keyboard readouts, read out
  spoken.setAttribute('aria-live', 'polite');

  function showHit(hit: HoverHit | null): boolean {
    if (!hit) {
      hide();
      return false;
    }
    mark.attr('visibility', 'visible');
    readout.textContent = hit.text;
    readout.hidden = false;
    const [x, y] = hit.place(readout.offsetWidth, readout.offsetHeight);
    const left = Math.min(chartWidth() - readout.offsetWidth - 4, Math.max(4, x)); // inside the chart
    readout.style.transform = `translate(${left}px, ${Math.max(0, y)}px)`;
    root.dataset.hover = hit.key;
    return true;
  }

  function show(ev: PointerEvent): void {
    const [px, py] = pointer(ev, plot.node());
    showHit(find(px, py, null));
  }

  function hide(): void {
    mark.attr('visibility', 'hidden');
    readout.hidden = true;
    delete root.dataset.hover;
  }

  overlay.on('pointermove', show).on('pointerdown', show).on('pointerleave', hide);

  // ---- the keyboard cursor, in plot pixels, over the overlay's box ----
  const svg = plot.node()?.ownerSVGElement;
  if (svg) {
    svg.setAttribute('tabindex', '0');
    svg.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight ArrowUp ArrowDown Home End Escape');
    let cursor: [number, number] | null = null;
    let curve: string | null = null; // the curve the cursor is on
    const box = () => {
      const n = overlay.node() as SVGRectElement;
      const num = (a: string) => Number(n.getAttribute(a)) || 0;
      return { x: num('x'), y: num('y'), w: num('width'), h: num('height') };
    };
    const center = (): [number, number] => {
      const b = box();
      return [b.x + b.w / 2, b.y + b.h / 2];
    };
    const moveTo = (px: number, py: number) => {
      const b = box();
      if (b.w <= 0 || b.h <= 0) return;
      // kept just inside the far edges, so a grid's last cell is still found there
      const x = Math.min(b.x + b.w - 0.01, Math.max(b.x, px));
      const y = Math.min(b.y + b.h - 0.01, Math.max(b.y, py));
      const hit = find(x, y, { curve });
      cursor = [x, hit?.y ?? y];
      curve = hit?.curve ?? null;
      if (showHit(hit)) spoken.textContent = hit!.text;
    };
    svg.addEventListener('focus', () => {
      if (!svg.matches(':focus-visible')) return; // a click focuses too; the pointer shows its own readout
      moveTo(...(cursor ?? center()));
    });
    svg.addEventListener('blur', hide);
    svg.addEventListener('keydown', (ev) => {
      const b = box();
      const [dx, dy] = options.keyStep?.() ?? [b.w / 40, b.h / 40];
      const k = ev.shiftKey ? 5 : 1;
      const [cx, cy] = cursor ?? center();
      const to: Record<string, [number, number]> = {
        ArrowLeft: [cx - k * dx, cy],
        ArrowRight: [cx + k * dx, cy],
        ArrowUp: [cx, cy - k * dy],
        ArrowDown: [cx, cy + k * dy],
        Home: [b.x, cy],
        End: [b.x + b.w, cy],
      };
      if (ev.key === 'Escape') {
        hide();
        return;
      }
      const curves = options.curves?.();
      if (curves?.length && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown')) {
        const at = curve === null ? -1 : curves.indexOf(curve);
        curve = curves[Math.min(curves.length - 1, Math.max(0, at + (ev.key === 'ArrowDown' ? 1 : -1)))];
        ev.preventDefault();
        moveTo(cx, cy);
        return;
      }
      const target = to[ev.key];
      if (!target) return;
      ev.preventDefault(); // the arrows would scroll the page
      moveTo(...target);
    });
  }
  return overlay;
}

/** What a grid chart reads at one cell: the readout and the cell's hover key. */
export interface GridRead {
  text: string;
  key: string;
}

export interface GridHoverOptions {
  /** The square plot's side in px. */
  side(): number;
  /** Cells along each side (0 while nothing is drawn). */
  cells(): number;
  /** Where the plot's origin sits in root's pixels (the readout follows the pointer there). */
  origin: { left: number; top: number };
  /** The cell at `row` (from the top) and `col`, or null when there is nothing to read. */
  read(row: number, col: number): GridRead | null;
  /** Puts the mark on the cell whose top-left corner is (x, y) in plot pixels, `size` px across. */
  place(x: number, y: number, size: number): void;
}

/**
 * chartHover over a square grid of cells painted on a canvas (heatmaps, loss surfaces): the
 * pointer reads the cell under it, and each arrow key moves the keyboard cursor one cell.
 */
export function gridHover<M extends SVGElement>(
  root: HTMLElement,
  plot: Selection<SVGGElement, unknown, null, undefined>,
  mark: Selection<M, unknown, null, undefined>,
  o: GridHoverOptions,
): Selection<SVGRectElement, unknown, null, undefined> {
  const cellSize = () => o.side() / Math.max(1, o.cells());
  function cellAt(px: number, py: number): HoverHit | null {
    const n = o.cells();
    const side = o.side();
    if (n === 0 || side <= 0) return null;
    const col = Math.floor((px / side) * n);
    const row = Math.floor((py / side) * n);
    if (row < 0 || col < 0 || row >= n || col >= n) return null;
    const hit = o.read(row, col);
    if (!hit) return null;
    const c = cellSize();
    o.place(col * c, row * c, c);
    return { ...hit, place: nearPointer(px + o.origin.left, py + o.origin.top) };
  }
  return chartHover(root, plot, mark, cellAt, { keyStep: () => [cellSize(), cellSize()] });
}
