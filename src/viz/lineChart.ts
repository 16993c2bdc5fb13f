import { axisBottom, axisLeft, scaleLinear, scaleLog, select, type ScaleContinuousNumeric } from 'd3';
import { formatSci } from './format.ts';
import { logTick } from './logTick.ts';
import { besidePoint, chartHover, type HoverHit, type KeyCursor } from './chartHover.ts';
import { onWidthChange } from './panelParts.ts';

/**
 * A small line chart in SVG shared by the probe panels (NTK residuals, separation, Du et al.):
 * several series, each a polyline with optional dots, linear or log axes with labels, and a hover
 * (or touch) readout of the nearest point. Built once; `update` redraws from the view.
 */
export interface LineSeries {
  key: string;
  label: string; // for the readout, e.g. "m = 256"
  tone: number; // 0..1 between the two curve colors (CSS --tone)
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  dashed?: boolean;
  dots?: boolean;
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

/** An x axis of widths m on a log scale, labelled with whole widths. */
export const WIDTH_X: Pick<LineChartOptions, 'xLabel' | 'xLog' | 'formatX'> = { xLabel: 'm (width, log)', xLog: true, formatX: (v) => String(Math.round(v)) };

export interface LineChart {
  readonly svg: SVGSVGElement;
  update(series: readonly LineSeries[], domains?: { x?: [number, number]; y?: [number, number] }): void;
}

const MARGIN = { top: 22, right: 12, bottom: 38, left: 54 };

function finitePositive(v: number, log: boolean): boolean {
  return Number.isFinite(v) && (!log || v > 0);
}

export function createLineChart(root: HTMLElement, opt: LineChartOptions): LineChart {
  root.classList.add('line-chart');
  const svg = select(root).append('svg').attr('class', 'line-chart-svg').attr('data-export', '').attr('role', 'img').attr('aria-label', opt.ariaLabel);
  const plot = svg.append('g');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const yAxis = plot.append('g').attr('class', 'axis axis-y');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text(opt.xLabel);
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'start').text(opt.yLabel);
  const layer = plot.append('g').attr('class', 'curves');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 4.5).attr('visibility', 'hidden');
  const overlay = chartHover(root, plot, hoverDot, nearestPoint, { chartWidth: () => size.width, curves: () => series.map((s) => s.key) });
  // readouts: the option, else 3 significant digits; ticks: the option, else logTick on a log axis
  const fx = opt.formatX ?? ((v: number) => formatSci(v));
  const fy = opt.formatY ?? ((v: number) => formatSci(v));
  const tickX = opt.formatX ?? (opt.xLog ? logTick : fx);
  const tickY = opt.formatY ?? (opt.yLog ? logTick : fy);

  let series: readonly LineSeries[] = [];
  let domains: { x?: [number, number]; y?: [number, number] } = {};
  let size = { width: 0, height: 0, w: 0, h: 0 };
  let x: ScaleContinuousNumeric<number, number> = scaleLinear();
  let y: ScaleContinuousNumeric<number, number> = scaleLinear();

  function layout(): void {
    const width = Math.max(240, root.clientWidth);
    const height = Math.round(Math.min(opt.maxHeight ?? 300, Math.max(opt.minHeight ?? 180, width * (opt.aspect ?? 0.55))));
    size = { width, height, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    plot.attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    overlay.attr('width', size.w).attr('height', size.h);
    xLabel.attr('x', size.w).attr('y', size.h + 33);
    yLabel.attr('x', -MARGIN.left + 2).attr('y', -9);
  }

  function extent(log: boolean, pick: (s: LineSeries) => ArrayLike<number>, other: (s: LineSeries) => ArrayLike<number>, otherLog: boolean): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of series) {
      const a = pick(s);
      const b = other(s);
      for (let i = 0; i < a.length; i++) {
        if (!finitePositive(a[i], log) || !finitePositive(b[i], otherLog)) continue;
        lo = Math.min(lo, a[i]);
        hi = Math.max(hi, a[i]);
      }
    }
    if (!(lo <= hi)) return log ? [0.1, 10] : [0, 1];
    if (lo === hi) return log ? [lo / 2, hi * 2] : [lo - 1, hi + 1];
    return [lo, hi];
  }

  function draw(): void {
    if (size.w <= 0) return;
    const xl = Boolean(opt.xLog);
    const yl = Boolean(opt.yLog);
    const xd = domains.x ?? extent(xl, (s) => s.xs, (s) => s.ys, yl);
    const yd = domains.y ?? extent(yl, (s) => s.ys, (s) => s.xs, xl);
    x = (xl ? scaleLog() : scaleLinear()).domain(xd).range([0, size.w]);
    y = (yl ? scaleLog() : scaleLinear()).domain(yd).range([size.h, 0]);
    if (!domains.x) x.nice();
    if (!domains.y) y.nice();
    const xTicks = Math.max(2, Math.floor(size.w / 80));
    const yTicks = Math.max(2, Math.floor(size.h / 36));
    xAxis.attr('transform', `translate(0,${size.h})`).call(axisBottom(x).ticks(xTicks, xl ? 0 : undefined).tickFormat((v) => tickX(Number(v))).tickSizeOuter(0));
    yAxis.call(axisLeft(y).ticks(yTicks).tickFormat((v) => tickY(Number(v))).tickSizeOuter(0));
    if (xl) thinLogTicks(xAxis.node()!, x);
    if (yl) thinLogTicks(yAxis.node()!, y);
    const groups = layer
      .selectAll<SVGGElement, LineSeries>('g.curve')
      .data(series, (s) => s.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'curve');
        g.append('path').attr('class', 'curve-line');
        g.append('g').attr('class', 'dots');
        return g;
      })
      .attr('data-key', (s) => s.key)
      .style('--tone', (s) => s.tone.toFixed(3));
    groups.each(function (s) {
      const g = select(this);
      const parts: string[] = [];
      const pts: [number, number][] = [];
      let pen = false;
      for (let i = 0; i < s.xs.length; i++) {
        if (!finitePositive(s.xs[i], xl) || !finitePositive(s.ys[i], yl)) {
          pen = false;
          continue;
        }
        const px = x(s.xs[i]);
        const py = y(s.ys[i]);
        parts.push(`${pen ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`);
        pts.push([px, py]);
        pen = true;
      }
      g.select('path').attr('d', parts.join('')).classed('dashed', Boolean(s.dashed));
      g.select('g.dots')
        .selectAll('circle')
        .data(s.dots ? pts : [])
        .join('circle')
        .attr('class', 'curve-dot')
        .attr('r', 3.2)
        .attr('cx', (p) => p[0])
        .attr('cy', (p) => p[1]);
    });
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

  /**
   * The plotted point nearest (px, py), if within 40 px, or for the keyboard the nearest at all (in
   * x alone on the cursor's curve): marks it; the readout goes beside it.
   */
  function nearestPoint(px: number, py: number, keys: KeyCursor | null): HoverHit | null {
    let best: { s: LineSeries; i: number; d: number } | null = null;
    const on = series.find((s) => s.key === keys?.curve);
    for (const s of on ? [on] : series) {
      for (let i = 0; i < s.xs.length; i++) {
        if (!finitePositive(s.xs[i], Boolean(opt.xLog)) || !finitePositive(s.ys[i], Boolean(opt.yLog))) continue;
        const d = on ? Math.abs(x(s.xs[i]) - px) : Math.hypot(x(s.xs[i]) - px, y(s.ys[i]) - py);
        if (!best || d < best.d) best = { s, i, d };
      }
    }
    if (!best || (best.d > 40 && !keys)) return null;
    const { s, i } = best;
    const cx = x(s.xs[i]);
    const cy = y(s.ys[i]);
    hoverDot.attr('cx', cx).attr('cy', cy);
    return {
      text: `${s.label} \u00b7 ${opt.xLabel.split(' (')[0]} = ${fx(s.xs[i])} \u00b7 ${opt.yLabel.split(' (')[0]} = ${fy(s.ys[i])}`,
      key: `${s.key}:${i}`,
      place: besidePoint(cx + MARGIN.left, cy + MARGIN.top),
      y: cy,
      curve: s.key,
    };
  }

  const sizing = onWidthChange(root, () => {
    layout();
    draw();
  });

  return {
    svg: svg.node()!,
    update(next, nextDomains = {}) {
      series = next;
      domains = nextDomains;
      if (sizing.measured) draw();
    },
  };
}
