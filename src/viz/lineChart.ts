import { axisBottom, axisLeft, type Axis } from 'd3-axis';
import { scaleLinear, scaleLog, type NumberValue, type ScaleContinuousNumeric } from 'd3-scale';
import { select } from 'd3-selection';
import { formatInt, formatSci, formatSlope } from './format.ts';
import { logTick } from './logTick.ts';
import { besidePoint, chartHover, type HoverHit, type KeyCursor } from './chartHover.ts';
import { el, resizingRedraw } from './panelParts.ts';
import { ChunkedPath, CURVE_CHUNK, drawable } from './curvePath.ts';
import { setAttr, setText } from './domWrites.ts';
import { axisDraft, patchAxis } from './axisInPlace.ts';

/**
 * The essay's one line chart, in SVG: several curves, each a polyline with optional dots, on
 * linear or log axes, with a hover (or touch) readout of the nearest point and the keyboard
 * readouts of chartHover (Left/Right along a curve, Up/Down between curves). Built once; each
 * update redraws what changed: a curve whose points carry a version has its path rebuilt only
 * when they or the scales changed. Two faces:
 * - createLineChart: the probe and theory panels' charts, axes fitted to the data;
 * - createLossCurves (lossCurves.ts, a module of its own so that panels without loss curves do
 *   not load it): the training loss of runs against steps.
 */

/** A curve's points by index: a SeriesBuffer, or two arrays (arrayPoints). */
export interface Points {
  readonly count: number;
  x(i: number): number;
  y(i: number): number;
  /** Bumped when the points change; absent: rebuilt on every update. */
  readonly version?: number;
  /** Changes when points other than the newest change (SeriesBuffer.epoch); absent: every path rebuilt on each redraw. */
  readonly epoch?: number | string;
  /** The value before any scaling (a loss curve drawn as F/F_0 reads out F too). */
  raw?(i: number): number;
}

/** One curve as the chart draws it. */
export interface PlotCurve {
  key: string;
  label: string; // for the readout, e.g. "m = 256"
  tone: number; // 0..1 between the two curve colors (CSS --tone)
  points: Points;
  /** x grows with the index: hover looks at the point nearest in x alone (a binary search). */
  sortedX?: boolean;
  dashed?: boolean;
  dots?: boolean;
  dotted?: boolean;
  /** Dots alone, no line between them (sparse records: a line would invent the path between them). */
  lineless?: boolean;
  current?: boolean; // drawn on top, thicker
  fade?: number; // opacity 0..1
}

/** The scales for one frame, and their axes. */
interface Scales {
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  key: string; // the same key: the same scales (the axes and paths drawn for them stand)
  xAxis: Axis<NumberValue>;
  yAxis: Axis<NumberValue>;
  /** Touches the drawn axes up (hides crowded labels). */
  finish?(xAxis: SVGGElement, yAxis: SVGGElement): void;
}

/** Picks the scales for what is drawn, in a plot w x h px; `rule` is a level the y axis must show. */
export type ScalePolicy = (curves: readonly PlotCurve[], w: number, h: number, rule?: number) => Scales;

interface ChartConfig {
  ariaLabel: string;
  rootClass: string;
  svgClass: string;
  exported: boolean; // in the panel's composite download (svg[data-export])
  xLabel: string;
  yLabel: string;
  yLabelAbove: boolean; // above the plot's corner; else inside it, under the top
  margin: { top: number; right: number; bottom: number; left: number };
  minWidth: number;
  aspect: number; // height over width, clamped to [minHeight, maxHeight]
  minHeight: number;
  maxHeight: number;
  heads: boolean; // a dot on each curve's last point
  keyAttribute: string; // the curve group's attribute that carries its key
  hoverRadius: number; // px: farther from every point, the pointer reads nothing
  readout(c: PlotCurve, i: number): { text: string; key: string };
}

interface Frame {
  curves: readonly PlotCurve[];
  scales: ScalePolicy;
  rule?: { y: number; label: string }; // a horizontal reference line with its label
}

function arrayPoints(xs: ArrayLike<number>, ys: ArrayLike<number>): Points {
  return { count: Math.min(xs.length, ys.length), x: (i) => xs[i], y: (i) => ys[i] };
}

/** Index of the point whose x lands nearest the pixel column px (x grows with the index). */
function nearestInX(p: Points, x: (v: number) => number, px: number): number {
  let lo = 0;
  let hi = p.count - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x(p.x(mid)) < px) lo = mid;
    else hi = mid;
  }
  return Math.abs(x(p.x(lo)) - px) <= Math.abs(x(p.x(hi)) - px) ? lo : hi;
}

/** Each curve group's paths (the first is the group's own path.curve-line), as last drawn. */
const curvePaths = new WeakMap<SVGGElement, { chunks: ChunkedPath; els: SVGPathElement[] }>();

/**
 * Brings one curve's line, dots and head up to date. `stamp` names the scales: with the same
 * scales and the same epoch of points, only the paths holding new points are rewritten.
 */
function drawCurve(g: SVGGElement, c: PlotCurve, x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>, stamp: string): void {
  const p = c.points;
  let own = curvePaths.get(g);
  if (!own) curvePaths.set(g, (own = { chunks: new ChunkedPath(), els: [g.querySelector<SVGPathElement>('path.curve-line')!] }));
  const first = own.els[0];
  first.classList.toggle('dashed', Boolean(c.dashed));
  first.classList.toggle('dotted', Boolean(c.dotted));
  const epoch = p.epoch === undefined ? null : `${p.epoch}|${stamp}|${c.dashed || c.dotted ? 'one' : 'chunks'}`;
  // a dashed line is one path, so its dashes run on across it
  const from = c.lineless ? 0 : own.chunks.update(p, x, y, epoch, c.dashed || c.dotted ? Infinity : CURVE_CHUNK);
  const ds = c.lineless ? [] : own.chunks.ds;
  if (c.lineless) own.chunks = new ChunkedPath();
  for (let k = from; k < ds.length; k++) {
    if (!own.els[k]) {
      const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      path.setAttribute('class', 'curve-line');
      own.els[k - 1].after(path);
      own.els.push(path);
    }
    own.els[k].setAttribute('d', ds[k]);
  }
  while (own.els.length > Math.max(1, ds.length)) own.els.pop()!.remove();
  if (!ds.length) setAttr(first, 'd', '');
  drawDots(g, c, x, y);
}

/** The curve's dots (a dotted or lineless curve) and the head on its last drawn point, each written only where it changed. */
function drawDots(g: SVGGElement, c: PlotCurve, x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>): void {
  const p = c.points;
  const withDots = Boolean(c.dots || c.lineless);
  const dots = g.querySelector<SVGGElement>('g.dots')!;
  if (withDots || dots.firstChild) {
    const pts: [number, number][] = [];
    for (let i = 0; withDots && i < p.count; i++) {
      const px = x(p.x(i));
      const py = y(p.y(i));
      if (drawable(px, py)) pts.push([px, py]);
    }
    select(dots)
      .selectAll('circle')
      .data(pts)
      .join('circle')
      .attr('class', 'curve-dot')
      .attr('r', 3.2)
      .attr('cx', (d) => d[0])
      .attr('cy', (d) => d[1]);
  }
  const head = g.querySelector('circle.curve-head');
  if (!head) return;
  let hx = NaN;
  let hy = NaN;
  for (let i = p.count - 1; i >= 0 && !drawable(hx, hy); i--) [hx, hy] = [x(p.x(i)), y(p.y(i))];
  const seen = drawable(hx, hy);
  setAttr(head, 'visibility', seen ? 'visible' : 'hidden');
  setAttr(head, 'cx', String(seen ? hx : 0));
  setAttr(head, 'cy', String(seen ? hy : 0));
}

/** What each curve group's inline style was last set to. */
const curveStyles = new WeakMap<SVGGElement, string>();

/** A curve group's key, emphasis, color and opacity, each written only when it changed. */
function styleCurve(g: SVGGElement, c: PlotCurve, keyAttribute: string): void {
  setAttr(g, keyAttribute, c.key);
  g.classList.toggle('current', Boolean(c.current)); // toggled to the state it is in: no write
  const tone = c.tone.toFixed(3);
  const opacity = c.fade === undefined ? '' : c.fade.toFixed(2);
  if (curveStyles.get(g) === `${tone}|${opacity}`) return;
  curveStyles.set(g, `${tone}|${opacity}`);
  g.style.setProperty('--tone', tone);
  if (opacity) g.style.setProperty('opacity', opacity);
  else g.style.removeProperty('opacity');
}

/**
 * The drawn point nearest (px, py) and its distance in px; for the keyboard, on the cursor's curve
 * (when it is still drawn) and by x alone.
 */
function nearestOnCurves(
  curves: readonly PlotCurve[],
  x: ScaleContinuousNumeric<number, number>,
  y: ScaleContinuousNumeric<number, number>,
  px: number,
  py: number,
  keys: KeyCursor | null,
): { c: PlotCurve; i: number; d: number } | null {
  let best: { c: PlotCurve; i: number; d: number } | null = null;
  const on = curves.find((c) => c.key === keys?.curve && c.points.count);
  for (const c of on ? [on] : curves) {
    const p = c.points;
    if (!p.count) continue;
    const near = c.sortedX ? nearestInX(p, x, px) : -1;
    for (let i = near < 0 ? 0 : near; i < (near < 0 ? p.count : near + 1); i++) {
      const cx = x(p.x(i));
      const cy = y(p.y(i));
      if (!drawable(cx, cy)) continue;
      const d = on ? Math.abs(cx - px) : Math.hypot(cx - px, cy - py);
      if (!best || d < best.d) best = { c, i, d };
    }
  }
  return best;
}

/** The chart both faces configure: built once in `root`; each update is one frame of curves, their scales and an optional rule. */
export function createCurveChart(root: HTMLElement, cfg: ChartConfig): { svg: SVGSVGElement; update(frame: Frame): void } {
  root.classList.add(cfg.rootClass);
  const svg = select(root).append('svg').attr('class', cfg.svgClass).attr('role', 'img').attr('aria-label', cfg.ariaLabel);
  if (cfg.exported) svg.attr('data-export', '');
  const plot = svg.append('g').attr('transform', `translate(${cfg.margin.left},${cfg.margin.top})`);
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const yAxis = plot.append('g').attr('class', 'axis axis-y');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text(cfg.xLabel);
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'start').text(cfg.yLabel);
  if (cfg.yLabelAbove) yLabel.attr('x', -cfg.margin.left + 2).attr('y', -9);
  else yLabel.attr('x', 6).attr('y', 2).attr('dy', '0.71em');
  const ruleLine = plot.append('line').attr('class', 'threshold').attr('visibility', 'hidden');
  const ruleLabel = plot.append('text').attr('class', 'threshold-label').attr('text-anchor', 'end').attr('visibility', 'hidden');
  const layer = plot.append('g').attr('class', 'curves');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 4.5).attr('visibility', 'hidden');
  const overlay = chartHover(root, plot, hoverDot, nearestPoint, { chartWidth: () => size.width, curves: () => frame?.curves.map((c) => c.key) ?? [] });

  let frame: Frame | null = null; // nothing to draw before the first update
  let size = { width: 0, height: 0, w: 0, h: 0 };
  let x: ScaleContinuousNumeric<number, number> = scaleLinear();
  let y: ScaleContinuousNumeric<number, number> = scaleLinear();
  let scaleKey = '';
  const drawn = new Map<string, string>(); // curve key -> "version|scaleKey" its path was built for

  function layout(rootWidth: number): void {
    const width = Math.max(cfg.minWidth, rootWidth);
    const height = Math.round(Math.min(cfg.maxHeight, Math.max(cfg.minHeight, width * cfg.aspect)));
    size = { width, height, w: width - cfg.margin.left - cfg.margin.right, h: height - cfg.margin.top - cfg.margin.bottom };
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    overlay.attr('width', size.w).attr('height', size.h);
    xLabel.attr('x', size.w).attr('y', size.h + 33);
  }

  function rescale(frame: Frame): void {
    const s = frame.scales(frame.curves, size.w, size.h, frame.rule?.y);
    x = s.x;
    y = s.y;
    if (s.key === scaleKey) return;
    scaleKey = s.key;
    // drawn off the page, then edited into place: ticks move and relabel rather than come and go
    const [xg, yg] = [axisDraft(s.xAxis), axisDraft(s.yAxis)];
    s.finish?.(xg, yg);
    setAttr(xAxis.node()!, 'transform', `translate(0,${size.h})`);
    patchAxis(xAxis.node()!, xg);
    patchAxis(yAxis.node()!, yg);
  }

  /** The rule and its label, written only where they changed (a frame of training usually leaves them be). */
  function drawRule(frame: Frame): void {
    const r = frame.rule;
    const ry = r && r.y > 0 ? y(r.y) : NaN;
    const shown = Number.isFinite(ry) ? 'visible' : 'hidden';
    const line = ruleLine.node()!;
    const label = ruleLabel.node()!;
    setAttr(line, 'visibility', shown);
    setAttr(label, 'visibility', shown);
    if (!r || shown === 'hidden') return;
    for (const [k, v] of [['x1', 0], ['x2', size.w], ['y1', ry], ['y2', ry]] as const) setAttr(line, k, String(v));
    setAttr(label, 'x', String(size.w - 4));
    setAttr(label, 'y', String(ry + 14));
    setText(label, r.label);
  }

  function draw(): void {
    if (!frame || size.w <= 0) return;
    rescale(frame);
    drawRule(frame);
    // the current curve last, so it is drawn on top
    const ordered = [...frame.curves].sort((a, b) => Number(Boolean(a.current)) - Number(Boolean(b.current)));
    layer
      .selectAll<SVGGElement, PlotCurve>('g.curve')
      .data(ordered, (c) => c.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'curve');
        g.append('path').attr('class', 'curve-line');
        g.append('g').attr('class', 'dots');
        if (cfg.heads) g.append('circle').attr('class', 'curve-head').attr('r', 3);
        return g;
      })
      .order()
      .each(function (c) {
        styleCurve(this, c, cfg.keyAttribute);
        const stamp = c.points.version === undefined ? null : `${c.points.version}|${scaleKey}`;
        if (stamp !== null && drawn.get(c.key) === stamp) return;
        if (stamp !== null) drawn.set(c.key, stamp);
        drawCurve(this, c, x, y, scaleKey);
      });
    const shown = new Set(frame.curves.map((c) => c.key));
    for (const k of drawn.keys()) if (!shown.has(k)) drawn.delete(k);
  }

  /** The point nearest the pointer (or the keyboard cursor): marks it in its curve's color; the readout goes beside it. */
  function nearestPoint(px: number, py: number, keys: KeyCursor | null): HoverHit | null {
    const hit = nearestOnCurves(frame?.curves ?? [], x, y, px, py, keys);
    if (!hit || (hit.d > cfg.hoverRadius && !keys)) return null;
    const { c, i } = hit;
    const cx = x(c.points.x(i));
    const cy = y(c.points.y(i));
    hoverDot.attr('cx', cx).attr('cy', cy).style('--tone', c.tone.toFixed(3));
    return { ...cfg.readout(c, i), place: besidePoint(cx + cfg.margin.left, cy + cfg.margin.top), y: cy, curve: c.key };
  }

  // The height follows from the width; the first draw waits for the first layout, so the chart
  // never forces a layout of the page to learn its size.
  const redraw = resizingRedraw(root, draw, layout);

  return {
    svg: svg.node()!,
    update(next) {
      frame = next;
      redraw();
    },
  };
}

// ---- createLineChart: the probe and theory panels' charts ----

export interface LineSeries {
  key: string;
  label: string; // for the readout, e.g. "m = 256"
  tone: number; // 0..1 between the two curve colors (CSS --tone)
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  dashed?: boolean;
  dots?: boolean;
  dotted?: boolean;
  /** Dots alone, no line (sparse records). */
  lineless?: boolean;
}

export interface LineChartOptions {
  ariaLabel: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  /** Height as a fraction of the width, clamped to [minHeight, maxHeight]. */
  aspect?: number;
  minHeight?: number;
  maxHeight?: number;
  formatX?(v: number): string;
  formatY?(v: number): string;
}

/** A y axis on a log scale (its ticks labelled by logTick: 0.1, 1, 10, 10⁴ or 2×10⁻³). */
export const LOG_Y: Pick<LineChartOptions, 'yLog'> = { yLog: true };

/** An x axis of whole numbers (indices, steps), labelled and read out without decimals. */
export const WHOLE_X: Pick<LineChartOptions, 'formatX'> = { formatX: (v) => String(Math.round(v)) };

/** An x axis of widths m on a log scale, labelled with whole widths. */
export const WIDTH_X: Pick<LineChartOptions, 'xLabel' | 'xLog' | 'formatX'> = { xLabel: 'm (width, log)', xLog: true, ...WHOLE_X };

/** An x axis of training steps t, grouped by thousands (1,000). */
export const STEP_X: Pick<LineChartOptions, 'xLabel' | 'formatX'> = { xLabel: 't (step)', formatX: formatInt };

/** A theory panel's chart of one number per width, log-log (a fit against m goes on it). */
export function widthLogChart(ariaLabel: string, yLabel: string, size: Pick<LineChartOptions, 'aspect' | 'maxHeight'>): LineChartOptions {
  return { ariaLabel, ...WIDTH_X, yLabel, ...LOG_Y, ...size };
}

/** A theory panel's chart of a quantity along the steps of runs, on a log axis unless `log` is false. */
export function stepChart(ariaLabel: string, yLabel: string, size: Pick<LineChartOptions, 'aspect' | 'maxHeight'>, log = true): LineChartOptions {
  return { ariaLabel, ...STEP_X, yLabel, ...(log ? LOG_Y : {}), ...size };
}

/** A least-squares line on log-log axes as a series: the theory panels draw it in the accent (key "fit"). */
export function fitSeries(fit: { xs: number[]; ys: number[]; slope: number }, dashed = true): LineSeries {
  return { key: 'fit', label: `fit, slope ${formatSlope(fit.slope)}`, tone: 0, xs: fit.xs, ys: fit.ys, dashed };
}

export interface LineChart {
  readonly svg: SVGSVGElement;
  update(series: readonly LineSeries[], domains?: { x?: [number, number]; y?: [number, number] }): void;
}

/** The range of one coordinate over the drawable points, padded when it is a single value. */
function extent(curves: readonly PlotCurve[], log: boolean, pick: 'x' | 'y', valid: (px: number, py: number) => boolean): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of curves) {
    const p = c.points;
    for (let i = 0; i < p.count; i++) {
      if (!valid(p.x(i), p.y(i))) continue;
      const v = p[pick](i);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!(lo <= hi)) return log ? [0.1, 10] : [0, 1];
  if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
  return [lo, hi];
}

/** Log axes: keep labels on powers of ten only when there are many ticks. */
function thinLogTicks(axis: SVGGElement, scale: ScaleContinuousNumeric<number, number>): void {
  const [a, b] = scale.domain();
  const decades = Math.abs(Math.log10(b / a));
  const mantissa = (v: number) => Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
  const keep = (v: number) => (decades >= 1.5 ? mantissa(v) === 1 : [1, 2, 5].includes(mantissa(v)));
  select(axis)
    .selectAll<SVGTextElement, number>('.tick text')
    .attr('visibility', (v) => (keep(v) ? 'visible' : 'hidden'));
}

/** Axes fitted to the data (or to given domains), made nice, linear or log. */
function fittedScales(opt: LineChartOptions, domains: { x?: [number, number]; y?: [number, number] }): ScalePolicy {
  const xl = Boolean(opt.xLog);
  const yl = Boolean(opt.yLog);
  const onAxis = (v: number, log: boolean) => Number.isFinite(v) && (!log || v > 0);
  const valid = (vx: number, vy: number) => onAxis(vx, xl) && onAxis(vy, yl);
  const tickX = opt.formatX ?? (xl ? logTick : (v: number) => formatSci(v));
  const tickY = opt.formatY ?? (yl ? logTick : (v: number) => formatSci(v));
  return (curves, w, h) => {
    const x = (xl ? scaleLog() : scaleLinear()).domain(domains.x ?? extent(curves, xl, 'x', valid)).range([0, w]);
    const y = (yl ? scaleLog() : scaleLinear()).domain(domains.y ?? extent(curves, yl, 'y', valid)).range([h, 0]);
    if (!domains.x) x.nice();
    if (!domains.y) y.nice();
    const xTicks = Math.max(2, Math.floor(w / 80));
    const yTicks = Math.max(2, Math.floor(h / 36));
    return {
      x,
      y,
      key: `${w}x${h}|${x.domain().join()}|${y.domain().join()}`,
      xAxis: axisBottom(x).ticks(xTicks, xl ? 0 : undefined).tickFormat((v) => tickX(Number(v))).tickSizeOuter(0),
      yAxis: axisLeft(y).ticks(yTicks).tickFormat((v) => tickY(Number(v))).tickSizeOuter(0),
      finish(xg, yg) {
        if (xl) thinLogTicks(xg, x);
        if (yl) thinLogTicks(yg, y);
      },
    };
  };
}

/** A line chart in a new chart cell of `parent`, under an h3 title (a panel may change its text later). */
export function titledLineChart(parent: HTMLElement, title: string, opt: LineChartOptions): { chart: LineChart; title: HTMLElement } {
  const cell = el('div', 'chart-cell', parent);
  const h3 = el('h3', '', cell);
  h3.textContent = title;
  return { chart: createLineChart(cell, opt), title: h3 };
}

export function createLineChart(root: HTMLElement, opt: LineChartOptions): LineChart {
  // readouts: the option, else 3 significant digits
  const fx = opt.formatX ?? ((v: number) => formatSci(v));
  const fy = opt.formatY ?? ((v: number) => formatSci(v));
  const chart = createCurveChart(root, {
    ariaLabel: opt.ariaLabel,
    rootClass: 'line-chart',
    svgClass: 'line-chart-svg',
    exported: true,
    xLabel: opt.xLabel,
    yLabel: opt.yLabel,
    yLabelAbove: true,
    margin: { top: 22, right: 12, bottom: 38, left: 54 },
    minWidth: 240,
    aspect: opt.aspect ?? 0.55,
    minHeight: opt.minHeight ?? 180,
    maxHeight: opt.maxHeight ?? 300,
    heads: false,
    keyAttribute: 'data-key',
    hoverRadius: 40,
    // the axis names are read at hover time: a panel may relabel its axes (opt is its object)
    readout: (c, i) => ({
      text: `${c.label} \u00b7 ${opt.xLabel.split(' (')[0]} = ${fx(c.points.x(i))} \u00b7 ${opt.yLabel.split(' (')[0]} = ${fy(c.points.y(i))}`,
      key: `${c.key}:${i}`,
    }),
  });
  return {
    svg: chart.svg,
    update(series, domains = {}) {
      const curves = series.map((s): PlotCurve => ({ key: s.key, label: s.label, tone: s.tone, points: arrayPoints(s.xs, s.ys), dashed: s.dashed, dotted: s.dotted, dots: s.dots, lineless: s.lineless }));
      chart.update({ curves, scales: fittedScales(opt, domains) });
    },
  };
}

// ---- createLossCurves: training loss against steps, one curve per run ----
