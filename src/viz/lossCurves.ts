import { axisBottom, axisLeft, scaleLinear, scaleLog, scaleSymlog, select, type ScaleContinuousNumeric, type ScaleLogarithmic } from 'd3';
import { formatInt, formatSci, powerOfTen } from './format.ts';
import type { SeriesBuffer } from './seriesBuffer.ts';
import { besidePoint, chartHover, type HoverHit, type KeyCursor } from './chartHover.ts';
import { onWidthChange } from './panelParts.ts';

/**
 * Loss curves against steps on a log scale, several at once (one per run), as SVG: built once,
 * `update` redraws what changed. A curve's path is rebuilt only when its data or the scales
 * changed, and the scales move in whole decades (y) and nice steps (x), so a frame usually
 * rebuilds just the running curve. Hovering (or touching) shows the nearest point's readout.
 */
export interface Curve {
  key: string; // stable identity across updates
  label: string; // e.g. "m = 256"
  series: SeriesBuffer; // x = step, y = loss
  tone: number; // 0..1, picks the color between the narrowest and the widest (CSS --tone)
  current: boolean; // drawn on top, thicker
  fade: number; // opacity 0..1 (older curves fade)
}

export interface LossCurvesView {
  curves: readonly Curve[];
  threshold?: number; // the current run's stop line, eps F_0
  stepAxis?: 'linear' | 'log'; // log: symmetric log (0 stays on the axis), so early steps spread out
}

export interface LossCurves {
  update(view: LossCurvesView): void;
}

const MARGIN = { top: 12, right: 14, bottom: 40, left: 50 };

/** The powers of ten in [lo, hi], thinned to at most `max` labels. */
function decadeTicks(lo: number, hi: number, max: number): number[] {
  const a = Math.round(Math.log10(lo));
  const b = Math.round(Math.log10(hi));
  const stride = Math.max(1, Math.ceil((b - a + 1) / max));
  const out: number[] = [];
  for (let k = b; k >= a; k -= stride) out.push(10 ** k);
  return out;
}

/** The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 x 10^k that is >= v: round, and never far above v. */
function niceCeiling(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 1.5, 2, 3, 4, 5, 6, 8, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}

/** 0, 1, 10, 100, ... up to `max`, every other decade when the axis is narrow. */
function stepDecades(max: number, widthPx: number): number[] {
  const out = [0];
  const stride = widthPx < 320 && max > 1e4 ? 2 : 1;
  for (let k = 0; 10 ** k <= max; k += stride) out.push(10 ** k);
  return out;
}

/** Index of the point whose x is nearest `x` (points sorted by x). */
function nearestIndex(s: SeriesBuffer, x: number): number {
  let lo = 0;
  let hi = s.count - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (s.x(mid) < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(s.x(lo) - x) <= Math.abs(s.x(hi) - x) ? lo : hi;
}

export function createLossCurves(root: HTMLElement, ariaLabel: string): LossCurves {
  root.classList.add('loss-curves');
  const svg = select(root).append('svg').attr('class', 'loss-curves-svg').attr('role', 'img').attr('aria-label', ariaLabel);
  const plot = svg.append('g');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const yAxis = plot.append('g').attr('class', 'axis axis-y');
  const xLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text('step t');
  const yLabel = plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'start').text('loss F(W\u209c)');
  const thresholdLine = plot.append('line').attr('class', 'threshold');
  const thresholdLabel = plot.append('text').attr('class', 'threshold-label').attr('text-anchor', 'end');
  const curvesLayer = plot.append('g').attr('class', 'curves');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 4.5).attr('visibility', 'hidden');
  const overlay = chartHover(root, plot, hoverDot, nearestPoint, { chartWidth: () => size.width, curves: () => view.curves.map((c) => c.key) });

  let view: LossCurvesView = { curves: [] };
  let size = { w: 0, h: 0, width: 0, height: 0 };
  let x: ScaleContinuousNumeric<number, number> = scaleLinear();
  let y: ScaleLogarithmic<number, number> = scaleLog();
  let scaleKey = '';
  const drawn = new Map<string, string>(); // curve key -> "version|scaleKey" its path was built for

  function layout(): void {
    const width = Math.max(260, root.clientWidth);
    const height = Math.round(Math.min(360, Math.max(220, width * 0.52)));
    size = { width, height, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    plot.attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    overlay.attr('width', size.w).attr('height', size.h);
    xLabel.attr('x', size.w).attr('y', size.h + 34);
    yLabel.attr('x', 6).attr('y', 2).attr('dy', '0.71em');
  }

  function rescale(): boolean {
    let maxStep = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of view.curves) {
      const s = c.series;
      if (!s.count) continue;
      maxStep = Math.max(maxStep, s.lastX);
      for (let i = 0; i < s.count; i++) {
        const v = s.y(i);
        if (v > 0 && Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    if (view.threshold && view.threshold > 0) lo = Math.min(lo, view.threshold);
    if (!(lo < Infinity)) [lo, hi] = [1e-4, 10];
    // whole decades, at least two, with room below the lowest point for the stop line's label
    const ylo = 10 ** Math.floor(Math.log10(lo) - 0.15);
    const yhi = Math.max(10 ** Math.ceil(Math.log10(hi)), ylo * 100);
    // x runs to the next round number: it changes a few times a decade, not every few steps
    const xmax = niceCeiling(Math.max(10, maxStep * 1.02));
    const logSteps = view.stepAxis === 'log';
    const key = `${size.width}x${size.height}|${xmax}|${logSteps}|${ylo}|${yhi}`;
    if (key === scaleKey) return false;
    scaleKey = key;
    x = (logSteps ? scaleSymlog().constant(1) : scaleLinear()).domain([0, xmax]).range([0, size.w]);
    y = scaleLog().domain([ylo, yhi]).range([size.h, 0]);
    const xAx = axisBottom(x).tickSizeOuter(0);
    if (logSteps) xAx.tickValues(stepDecades(xmax, size.w)).tickFormat((v) => formatInt(Number(v)));
    else xAx.ticks(Math.max(2, Math.floor(size.w / 80)));
    xAxis.attr('transform', `translate(0,${size.h})`).call(xAx);
    yAxis.call(
      axisLeft(y)
        .tickValues(decadeTicks(ylo, yhi, Math.max(3, Math.floor(size.h / 26))))
        .tickFormat((v) => powerOfTen(Number(v)))
        .tickSizeOuter(0),
    );
    return true;
  }

  function pathOf(s: SeriesBuffer): string {
    const parts: string[] = [];
    let pen = false;
    for (let i = 0; i < s.count; i++) {
      const v = s.y(i);
      if (!(v > 0 && Number.isFinite(v))) {
        pen = false; // a non-finite loss (a diverged run's last record) breaks the line
        continue;
      }
      parts.push(`${pen ? 'L' : 'M'}${x(s.x(i)).toFixed(1)},${y(v).toFixed(1)}`);
      pen = true;
    }
    return parts.join('');
  }

  function draw(): void {
    rescale();
    const t = view.threshold;
    if (t && t > 0) {
      const ty = y(t);
      thresholdLine.attr('x1', 0).attr('x2', size.w).attr('y1', ty).attr('y2', ty).attr('visibility', 'visible');
      thresholdLabel.attr('x', size.w - 4).attr('y', ty + 14).attr('visibility', 'visible').text('stop at \u03b5F\u2080');
    } else {
      thresholdLine.attr('visibility', 'hidden');
      thresholdLabel.attr('visibility', 'hidden');
    }
    // the current curve last, so it is drawn on top
    const ordered = [...view.curves].sort((a, b) => Number(a.current) - Number(b.current));
    const groups = curvesLayer
      .selectAll<SVGGElement, Curve>('g.curve')
      .data(ordered, (c) => c.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'curve');
        g.append('path').attr('class', 'curve-line');
        g.append('circle').attr('class', 'curve-head').attr('r', 3);
        return g;
      })
      .order()
      .attr('data-width-key', (c) => c.key)
      .classed('current', (c) => c.current)
      .style('--tone', (c) => c.tone.toFixed(3))
      .style('opacity', (c) => c.fade.toFixed(2));
    groups.each(function (c) {
      const stamp = `${c.series.version}|${scaleKey}`;
      if (drawn.get(c.key) === stamp) return;
      drawn.set(c.key, stamp);
      const g = select(this);
      g.select('path').attr('d', pathOf(c.series));
      const s = c.series;
      let i = s.count - 1;
      while (i >= 0 && !(s.y(i) > 0 && Number.isFinite(s.y(i)))) i--;
      g.select('circle')
        .attr('visibility', i >= 0 ? 'visible' : 'hidden')
        .attr('cx', i >= 0 ? x(s.x(i)) : 0)
        .attr('cy', i >= 0 ? y(s.y(i)) : 0);
    });
    for (const k of drawn.keys()) if (!view.curves.some((c) => c.key === k)) drawn.delete(k);
  }

  /**
   * The recorded point nearest (px, py), if within 48 px, or for the keyboard the nearest at all
   * (in x alone on the cursor's curve): marks it in its curve's color; the readout goes beside it.
   */
  function nearestPoint(px: number, py: number, keys: KeyCursor | null): HoverHit | null {
    let best: { c: Curve; i: number; d: number } | null = null;
    const on = view.curves.find((c) => c.key === keys?.curve && c.series.count);
    for (const c of on ? [on] : view.curves) {
      if (!c.series.count) continue;
      const i = nearestIndex(c.series, x.invert(px));
      const v = c.series.y(i);
      if (!(v > 0 && Number.isFinite(v))) continue;
      const d = on ? 0 : Math.hypot(x(c.series.x(i)) - px, y(v) - py);
      if (!best || d < best.d) best = { c, i, d };
    }
    if (!best || (best.d > 48 && !keys)) return null;
    const { c, i } = best;
    const cx = x(c.series.x(i));
    const cy = y(c.series.y(i));
    hoverDot.attr('cx', cx).attr('cy', cy).style('--tone', c.tone.toFixed(3));
    return {
      text: `${c.label} \u00b7 step ${c.series.x(i)} \u00b7 F = ${formatSci(c.series.y(i))}`,
      key: `${c.key}:${c.series.x(i)}`,
      place: besidePoint(cx + MARGIN.left, cy + MARGIN.top),
      y: cy,
      curve: c.key,
    };
  }

  // Lay out when the width changes (the height follows from it). The observer also fires once
  // after the first layout, so the chart never forces a layout of the page to learn its size.
  const sizing = onWidthChange(root, () => {
    layout();
    draw();
  });

  return {
    update(next) {
      view = next;
      if (sizing.measured) draw();
    },
  };
}
