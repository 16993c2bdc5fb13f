import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleLog, scaleSymlog } from 'd3-scale';
import { formatInt, formatSci, powerOfTen } from './format.ts';
import { createCurveChart, type PlotCurve, type Points, type ScalePolicy } from './lineChart.ts';
import type { SeriesBuffer } from './seriesBuffer.ts';

/**
 * The training loss of runs against steps, on lineChart.ts's curve chart: axes that move in whole
 * decades and round steps, so a frame of a running curve usually rebuilds that curve alone.
 */

export interface Curve {
  key: string; // stable identity across updates
  label: string; // e.g. "m = 256"
  series: SeriesBuffer; // x = step, y = loss
  /** Drawn as y * scale: 1/F_0 draws F/F_0, so each run's stop level eps F_0 is the one line at eps. */
  scale?: number;
  tone: number; // 0..1, picks the color between the narrowest and the widest (CSS --tone)
  current: boolean; // drawn on top, thicker
  fade: number; // opacity 0..1 (older curves fade)
}

export interface LossCurvesView {
  curves: readonly Curve[];
  threshold?: number; // the stop line, in the curves' drawn units (eps, for curves of F/F_0)
  stepAxis?: 'linear' | 'log'; // log: symmetric log (0 stays on the axis), so early steps spread out
}

export interface LossCurves {
  update(view: LossCurvesView): void;
}

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

/**
 * Steps from 0 to the next round number past the longest run (it changes a few times a decade,
 * not every few steps), linear or symmetric log; the loss on a log axis in whole decades, at
 * least two, with room below the lowest point (or the stop line) for the stop line's label.
 */
function trainingScales(logSteps: boolean): ScalePolicy {
  return (curves, w, h, rule) => {
    let maxStep = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const { points: p } of curves) {
      if (!p.count) continue;
      maxStep = Math.max(maxStep, p.x(p.count - 1));
      for (let i = 0; i < p.count; i++) {
        const v = p.y(i);
        if (v > 0 && Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    if (rule && rule > 0) lo = Math.min(lo, rule);
    if (!(lo < Infinity)) [lo, hi] = [1e-4, 10];
    const ylo = 10 ** Math.floor(Math.log10(lo) - 0.15);
    const yhi = Math.max(10 ** Math.ceil(Math.log10(hi)), ylo * 100);
    const xmax = niceCeiling(Math.max(10, maxStep * 1.02));
    const x = (logSteps ? scaleSymlog().constant(1) : scaleLinear()).domain([0, xmax]).range([0, w]);
    const y = scaleLog().domain([ylo, yhi]).range([h, 0]);
    const xAxis = axisBottom(x).tickSizeOuter(0);
    if (logSteps) xAxis.tickValues(stepDecades(xmax, w)).tickFormat((v) => formatInt(Number(v)));
    else xAxis.ticks(Math.max(2, Math.floor(w / 80)));
    const yAxis = axisLeft(y)
      .tickValues(decadeTicks(ylo, yhi, Math.max(3, Math.floor(h / 26))))
      .tickFormat((v) => powerOfTen(Number(v)))
      .tickSizeOuter(0);
    return { x, y, key: `${w}x${h}|${xmax}|${logSteps}|${ylo}|${yhi}`, xAxis, yAxis };
  };
}

/** A loss series drawn times `scale` (1/F_0), reading out the loss itself too; unscaled when there is no scale yet. */
function scaledPoints(series: SeriesBuffer, scale: number | undefined): Points {
  if (!(scale !== undefined && scale > 0 && Number.isFinite(scale))) return series;
  return {
    get count() {
      return series.count;
    },
    get version() {
      return series.version + scale; // a new scale (a new F_0) redraws too
    },
    get epoch() {
      return `${series.epoch}|${scale}`;
    },
    x: (i) => series.x(i),
    y: (i) => series.y(i) * scale,
    raw: (i) => series.y(i),
  };
}

export function createLossCurves(root: HTMLElement, ariaLabel: string): LossCurves {
  const chart = createCurveChart(root, {
    ariaLabel,
    rootClass: 'loss-curves',
    svgClass: 'loss-curves-svg',
    exported: false,
    xLabel: 'step t',
    yLabel: 'F(W\u209c) / F\u2080', // short enough to clear the step-axis button at 375 px; the caption says what it is
    yLabelAbove: false,
    margin: { top: 12, right: 14, bottom: 40, left: 50 },
    minWidth: 260,
    aspect: 0.52,
    minHeight: 220,
    maxHeight: 360,
    heads: true,
    keyAttribute: 'data-width-key',
    hoverRadius: 48,
    readout: (c, i) => ({
      text: `${c.label} \u00b7 step ${c.points.x(i)} \u00b7 F = ${formatSci(c.points.raw ? c.points.raw(i) : c.points.y(i))}${c.points.raw ? ` (F/F\u2080 = ${formatSci(c.points.y(i))})` : ''}`,
      key: `${c.key}:${c.points.x(i)}`,
    }),
  });
  return {
    update(view) {
      const curves = view.curves.map((c): PlotCurve => ({ key: c.key, label: c.label, tone: c.tone, points: scaledPoints(c.series, c.scale), sortedX: true, current: c.current, fade: c.fade }));
      chart.update({
        curves,
        scales: trainingScales(view.stepAxis === 'log'),
        rule: view.threshold && view.threshold > 0 ? { y: view.threshold, label: 'stop: F/F\u2080 = \u03b5' } : undefined,
      });
    },
  };
}
