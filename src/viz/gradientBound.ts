import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatSlope } from './format.ts';
import { logTick } from './logTick.ts';
import { fitSeries, LOG_Y, titledLineChart, widthLogChart, type LineSeries } from './lineChart.ts';
import { button, el, numberToggle, setText, startProbePanel, theoryFooter, type LegendEntry } from './panelParts.ts';
import { GB_DEPTHS } from '../state/panelChoices.ts';

/**
 * The "gradient-bound" panel (the paper's gradient bound, Theorem 3, measured): ||grad F||^2 against F along runs of several
 * widths on log-log axes, with the slope-1 reference and each width's prediction from the kernel at
 * initialization, 2 lambda_min(K_0) F; beside it the smallest PL ratio of each run divided by m,
 * against m, marked in or outside the regime, with the prediction and the fit over the regime.
 * Draws a view and reports intents; starts nothing (src/essay/figures/gradientBoundFigure.ts does).
 */
export const GRADIENT_BOUND_ID = 'gradient-bound';

export interface GbWidth {
  m: number;
  tone: number;
  loss: number[];
  grad2: number[]; // ||grad F||^2 at the same records
  floor0: number; // 2 lambda_min(K_0): the PL ratio the kernel at initialization predicts
  plMinPerM: number; // min over the run of ||grad F||^2 / F, over m
  floor0PerM: number; // 2 lambda_min(K_0) / m
  share: number; // min PL ratio / 2 lambda_min(K_0)
  note: string;
}

export interface GbView {
  widths: GbWidth[];
  depth: number;
  rule: number; // in the regime: min PL ratio >= rule * 2 lambda_min(K_0)
  fit: { xs: number[]; ys: number[]; slope: number } | null;
  status: string;
  caption: string;
  numbers: string; // one line of measured figures
}

export interface GbIntents {
  depth(L: number): void;
  reseed(): void;
}

export function createGradientBound(figure: HTMLElement, intents: GbIntents, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: GbView): void } {
  const controls = startProbePanel(figure, GRADIENT_BOUND_ID, 'theory-panel');
  const depth = numberToggle(controls, 'depth L', GB_DEPTHS, (v) => intents.depth(v), (L) => `${L} trained layer${L > 1 ? 's' : ''}`);
  const again = button(controls, 'reseed', 'New data and initialization', () => intents.reseed());
  again.title = 'Train every width again from a new random data set and initialization';

  const body = el('div', 'probe-body theory-charts', figure);
  const size = { aspect: 0.75, maxHeight: 340 }; // the charts side by side, one height rule
  const { chart: pl } = titledLineChart(body, 'Gradient against loss along each run', {
    ariaLabel: 'Squared gradient norm against the loss along runs of several widths, log-log, with the slope-one reference and each width\u2019s prediction two lambda-min of K_0 times F',
    xLabel: 'F (loss, log)',
    xLog: true,
    formatX: logTick,
    yLabel: '\u2016\u2207F\u2016\u00b2 (squared gradient norm, log)',
    ...LOG_Y,
    ...size,
  });
  const { chart: perM } = titledLineChart(body, 'PL ratio per unit of width', widthLogChart('Smallest PL ratio of each run divided by the width, against the width, log-log, with the fitted slope', 'PL/m (min\u209c \u2016\u2207F\u2016\u00b2/F \u00f7 m, log)', size));
  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Widths and reference lines', download);

  return {
    update(v) {
      depth.set(v.depth);
      const series: LineSeries[] = [];
      let fLo = Infinity;
      let fHi = 0;
      let ratioHi = 0;
      for (const w of [...v.widths].sort((a, b) => a.m - b.m)) {
        series.push({ key: `m${w.m}`, label: `m = ${w.m}`, tone: w.tone, xs: w.loss, ys: w.grad2 });
        let lo = Infinity;
        let hi = 0;
        w.loss.forEach((f, i) => {
          if (!(f > 0)) return;
          lo = Math.min(lo, f);
          hi = Math.max(hi, f);
          ratioHi = Math.max(ratioHi, w.grad2[i] / f);
        });
        if (hi > 0 && w.floor0 > 0) {
          series.push({ key: `pred${w.m}`, label: `2\u03bb\u2098\u1d62\u2099(K\u2080)\u00b7F, m = ${w.m}`, tone: w.tone, xs: [lo, hi], ys: [w.floor0 * lo, w.floor0 * hi], dashed: true });
        }
        fLo = Math.min(fLo, lo);
        fHi = Math.max(fHi, hi);
      }
      if (fHi > 0 && ratioHi > 0) {
        // a line of slope one, a factor 4 above the steepest run: parallel curves mean a fixed ratio
        series.push({ key: 'ref1', label: 'slope 1', tone: 0, xs: [fLo, fHi], ys: [4 * ratioHi * fLo, 4 * ratioHi * fHi] });
      }
      pl.update(series);
      const pts = v.widths.filter((w) => w.plMinPerM > 0).sort((a, b) => a.m - b.m);
      const inside = pts.filter((w) => w.share >= v.rule);
      const outside = pts.filter((w) => w.share < v.rule);
      const right: LineSeries[] = [
        { key: 'ref-floor0', label: 'prediction 2\u03bb\u2098\u1d62\u2099(K\u2080) / m', tone: 0, xs: pts.map((w) => w.m), ys: pts.map((w) => w.floor0PerM), dots: true, lineless: true },
        { key: 'plmin', label: 'min PL ratio / m (in the regime)', tone: 1, xs: inside.map((w) => w.m), ys: inside.map((w) => w.plMinPerM), dots: true, lineless: true },
        { key: 'alt-out', label: 'min PL ratio / m (outside the regime)', tone: 0, xs: outside.map((w) => w.m), ys: outside.map((w) => w.plMinPerM), dots: true, lineless: true },
      ];
      if (v.fit) right.push(fitSeries(v.fit));
      perM.update(right);
      const items: LegendEntry[] = [...v.widths].sort((a, b) => a.m - b.m).map((w) => ({ tone: w.tone, label: `m = ${w.m}: ${w.note}` }));
      items.push({ tone: 0.5, label: 'dashed, in each width\u2019s colour: its prediction 2\u03bb\u2098\u1d62\u2099(K\u2080)\u00b7F (first chart)', dashed: true });
      items.push({ color: 'var(--muted)', label: 'slope 1 reference (first chart)', dashed: false });
      items.push({ tone: 1, label: `min PL ratio / m, in the regime (\u2265 ${Math.round(100 * v.rule)}% of the prediction)`, dot: true });
      items.push({ color: 'var(--alt)', label: 'min PL ratio / m, outside the regime', dot: true });
      items.push({ color: 'var(--muted)', label: 'prediction 2\u03bb\u2098\u1d62\u2099(K\u2080) / m (grey dots)', dot: true });
      if (v.fit) items.push({ color: 'var(--threshold)', label: `fitted slope ${formatSlope(v.fit.slope)}`, dashed: true });
      legend.update(items);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.depth = String(v.depth);
      figure.dataset.points = String(v.widths.reduce((a, w) => a + w.loss.length, 0));
      figure.dataset.done = String(v.widths.filter((w) => w.plMinPerM > 0 && !/^step|waiting|setting|paused/.test(w.note)).length);
    },
  };
}
