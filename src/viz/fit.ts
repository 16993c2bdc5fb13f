import { axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { chartHover, type HoverHit } from './chartHover.ts';
import { button, el, probeFooter, resizingRedraw, setText, startProbePanel, staticLegend } from './panelParts.ts';

/**
 * The "fit" panel: what the theorems are about. For each training point i (sorted by its target
 * on x), its target y_i as a hollow circle and the network's output yhat_i as a filled dot, joined
 * by a thin line, the residual; faint at initialization, solid now. Draws a view; starts nothing
 * (see src/essay/figures/fitFigure.ts).
 */
export const FIT_PANEL_ID = 'fit';

/** One training point: its index in the data, its target, its output at initialization and now. */
export interface FitPoint {
  i: number;
  target: number;
  out0: number;
  out: number;
}

export interface FitView {
  points: FitPoint[] | null; // sorted by target; null before the first probe answers
  step: number | null;
  size: string; // the network's size in words
  numbers: string; // measured: the residual's norm now and at init
  status: string;
  caption: string;
}

export interface FitIntents {
  restart(): void;
}

const MARGIN = { left: 44, right: 12, top: 10, bottom: 34 };
const HEIGHT = 260;

type G<E extends SVGElement> = Selection<E, unknown, null, undefined>;

/** The residual lines (target to output) and the output dots of one moment, in `layer`. */
function drawMoment(layer: G<SVGGElement>, points: readonly FitPoint[], x: (k: number) => number, y: (v: number) => number, pick: (p: FitPoint) => number, r: number): void {
  layer
    .selectAll<SVGLineElement, FitPoint>('line')
    .data(points, (p) => String(p.i))
    .join('line')
    .attr('class', 'fit-residual')
    .attr('x1', (_, k) => x(k))
    .attr('x2', (_, k) => x(k))
    .attr('y1', (p) => y(p.target))
    .attr('y2', (p) => y(pick(p)));
  layer
    .selectAll<SVGCircleElement, FitPoint>('circle')
    .data(points, (p) => String(p.i))
    .join('circle')
    .attr('class', 'fit-output')
    .attr('r', r)
    .attr('cx', (_, k) => x(k))
    .attr('cy', (p) => y(pick(p)));
}

/** sqrt(sum (a_i - y_i)^2): how far the outputs are from the targets. */
export function residualNorm(points: readonly FitPoint[], pick: (p: FitPoint) => number): number {
  return Math.sqrt(points.reduce((s, p) => s + (pick(p) - p.target) ** 2, 0));
}

export function createFitPanel(figure: HTMLElement, intents: FitIntents, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: FitView): void } {
  const controls = startProbePanel(figure, FIT_PANEL_ID, 'theory-panel');
  figure.classList.add('fit-panel');
  button(controls, 'restart', 'Train again', () => intents.restart());
  const size = el('p', 'fit-size', figure);
  const body = el('div', 'probe-body', figure);
  const root = el('div', 'chart-cell', body);
  root.style.position = 'relative';
  const svg = select(root).append('svg').attr('class', 'fit-svg').attr('data-export', '').attr('role', 'img');
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const yAxis = plot.append('g').attr('class', 'axis');
  const zero = plot.append('line').attr('class', 'fit-zero');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end');
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('transform', 'rotate(-90)').attr('text-anchor', 'end').text('value');
  const initLayer = plot.append('g').attr('class', 'fit-init');
  const nowLayer = plot.append('g').attr('class', 'fit-now');
  const targets = plot.append('g').attr('class', 'fit-targets');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 8).attr('visibility', 'hidden');
  const overlay = chartHover(root, plot, hoverDot, nearestPoint, { keyStep: () => [step(), 20] });
  const legend = staticLegend(figure, 'Marks');
  const numbers = el('p', 'theory-numbers', figure);
  const { status, caption } = probeFooter(figure, { ...download, svg: () => svg.node() });

  let view: FitView | null = null;
  let x = (k: number) => k;
  let y = (v: number) => v;
  let w = 0;
  const step = () => (view?.points && view.points.length > 1 ? x(1) - x(0) : 20);

  function draw(rootWidth: number): void {
    const v = view;
    if (!v) return;
    const width = Math.max(260, rootWidth);
    w = width - MARGIN.left - MARGIN.right;
    const h = HEIGHT - MARGIN.top - MARGIN.bottom;
    svg.attr('width', width).attr('height', HEIGHT).attr('viewBox', `0 0 ${width} ${HEIGHT}`);
    const pts = v.points ?? [];
    const n = Math.max(1, pts.length);
    x = (k: number) => ((k + 0.5) / n) * w;
    let lo = -1;
    let hi = 1;
    for (const p of pts) for (const val of [p.target, p.out0, p.out]) if (Number.isFinite(val)) (lo = Math.min(lo, val)), (hi = Math.max(hi, val));
    const ys = scaleLinear().domain([lo, hi]).nice().range([h, 0]);
    y = (val: number) => ys(val);
    yAxis.call(axisLeft(ys).ticks(Math.max(3, Math.floor(h / 40))).tickSizeOuter(0));
    zero.attr('x1', 0).attr('x2', w).attr('y1', ys(0)).attr('y2', ys(0));
    xLabel.attr('x', w).attr('y', h + 24).text(`the ${pts.length || 'n'} training points, sorted by target y\u1d62`);
    yLabel.attr('x', 0).attr('y', -32);
    const r = Math.max(2.5, Math.min(5, (w / n) * 0.22));
    drawMoment(initLayer, pts, x, y, (p) => p.out0, r * 0.8);
    drawMoment(nowLayer, pts, x, y, (p) => p.out, r);
    targets
      .selectAll<SVGCircleElement, FitPoint>('circle')
      .data(pts, (p) => String(p.i))
      .join('circle')
      .attr('class', 'fit-target')
      .attr('r', r + 2.5)
      .attr('cx', (_, k) => x(k))
      .attr('cy', (p) => y(p.target));
    overlay.attr('x', 0).attr('y', -MARGIN.top).attr('width', w).attr('height', HEIGHT);
    svg.attr(
      'aria-label',
      pts.length
        ? `${pts.length} training points sorted by target: hollow circles are the targets, filled dots the network's outputs at step ${v.step}, faint ones at initialization; ${v.numbers}`
        : 'Targets and outputs of the training points, waiting for the first measurement',
    );
  }

  /** The point whose column is nearest px (the keyboard moves one point per arrow key). */
  function nearestPoint(px: number): HoverHit | null {
    const pts = view?.points;
    if (!pts?.length) return null;
    const k = Math.max(0, Math.min(pts.length - 1, Math.round((px / w) * pts.length - 0.5)));
    const p = pts[k];
    const f = (v: number) => v.toFixed(3);
    const text = `point ${k + 1} of ${pts.length} (x${p.i + 1}): target y = ${f(p.target)}, output \u0177 = ${f(p.out)} at step ${view?.step}, ${f(p.out0)} at initialization`;
    const cx = x(k);
    const cy = y(p.out);
    hoverDot.attr('cx', cx).attr('cy', cy);
    return { text, key: `point${p.i}`, place: (width) => [cx + MARGIN.left - width / 2, Math.max(cy, y(p.target)) + MARGIN.top + 14], y: cy };
  }

  const redraw = resizingRedraw(root, draw);

  legend.update([
    { color: 'var(--fg)', label: 'hollow circle: the target y\u1d62', dot: true },
    { color: 'var(--accent)', label: 'filled dot: the network\u2019s output \u0177\u1d62 now; the thin line to its target is the residual', dot: true },
    { color: 'var(--faint)', label: 'faint dot and line: the output at initialization', dot: true },
  ]);

  return {
    update(v) {
      view = v;
      redraw();
      setText(size, v.size);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      const pts = v.points ?? [];
      figure.dataset.step = v.step !== null ? String(v.step) : '';
      figure.dataset.points = String(pts.length);
      figure.dataset.residual = pts.length ? String(residualNorm(pts, (p) => p.out)) : '';
      figure.dataset.residual0 = pts.length ? String(residualNorm(pts, (p) => p.out0)) : '';
    },
  };
}
