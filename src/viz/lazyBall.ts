import './theoryPanels.css';
import type { DownloadSource } from './download.ts';
import { formatInt, formatSlope } from './format.ts';
import { fitSeries, LOG_Y, STEP_X, titledLineChart, WIDTH_X, type LineSeries } from './lineChart.ts';
import { el, numberToggle, setText, startProbePanel, theoryFooter, toggleGroup, type LegendEntry } from './panelParts.ts';
import type { LB_QUANTITIES } from '../state/panelChoices.ts';
import { createFlipRaster, type LbRaster } from './flipRaster.ts';

export type { LbRaster };

/**
 * The "lazy-ball" panel: how far training moves the weights, and how many ReLUs change sign.
 * One quantity at a time (distance from init or the fraction of flipped ReLUs): over training
 * for several widths, and its final value against the width on log-log axes with the fitted
 * slope and reference slopes (distance: -1/2, the theory's; flips: -1/3, the bound, and -1/2, typical). Below, a raster of units x samples of one layer
 * of one run: a marked cell is a (sample, unit) whose ReLU differs from initialization.
 * The raster is painted on a canvas and shown as an SVG image, so it downloads with the charts.
 */
export const LAZY_BALL_ID = 'lazy-ball';

export type LbQuantity = (typeof LB_QUANTITIES)[number];

export interface LbTrack {
  m: number;
  tone: number;
  steps: number[];
  values: number[]; // of the chosen quantity
  final: number; // at the end of the run
  note: string;
}


export interface LbView {
  quantity: LbQuantity;
  tracks: LbTrack[];
  fit: { xs: number[]; ys: number[]; slope: number } | null;
  references: { key: string; label: string; xs: number[]; ys: number[]; dashed?: boolean; dotted?: boolean }[]; // reference slopes through the data's middle
  rasterWidth: number;
  rasterWidths: readonly number[];
  layer: number;
  layers: number;
  raster: LbRaster | null;
  numbers: string;
  status: string;
  caption: string;
}

export interface LbIntents {
  quantity(q: LbQuantity): void;
  rasterWidth(m: number): void;
  layer(l: number): void;
}

const LABEL: Record<LbQuantity, { y: string; short: string; final: string }> = {
  dist: { y: '\u2016W\u209c \u2212 W\u2080\u2016_F (distance, log)', short: 'distance', final: 'final \u2016W_T \u2212 W\u2080\u2016_F (log)' },
  flips: { y: 'flipped ReLUs (fraction, log)', short: 'flipped fraction', final: 'final fraction flipped (log)' },
};

export function createLazyBall(figure: HTMLElement, layers: number, intents: LbIntents, download: Omit<DownloadSource, 'svg' | 'canvases'>, rasterWidths: readonly number[]): { update(v: LbView): void } {
  const controls = startProbePanel(figure, LAZY_BALL_ID, 'theory-panel');
  const quantity = toggleGroup<LbQuantity>(
    controls,
    'show',
    [
      { value: 'dist', text: 'distance from init', title: 'Frobenius distance of the trained weights from their initial values' },
      { value: 'flips', text: 'flipped ReLUs', title: 'Fraction of (sample, layer, unit) whose ReLU sign differs from initialization' },
    ],
    (q) => intents.quantity(q),
  );

  const body = el('div', 'probe-body', figure);
  const charts = el('div', 'theory-charts', body);
  const size = { aspect: 0.7, maxHeight: 320 }; // the charts side by side, one height rule
  const overOpt = {
    ariaLabel: 'The chosen quantity over training, one curve per width, log scale',
    ...STEP_X,
    yLabel: LABEL.dist.y,
    ...LOG_Y,
    ...size,
  };
  const { chart: over, title: t1 } = titledLineChart(charts, '', overOpt); // the readout names the y axis from overOpt.yLabel
  const perMOpt = {
    ariaLabel: 'The final value of the chosen quantity against the width, log-log, with the fitted slope and the reference slopes',
    ...WIDTH_X,
    yLabel: LABEL.dist.final,
    ...LOG_Y,
    ...size,
  };
  const { chart: perM, title: t2 } = titledLineChart(charts, '', perMOpt);
  const yLabels = [over, perM].map((c) => c.svg.querySelector<SVGTextElement>('.axis-label[text-anchor="start"]'));

  // the raster
  const rasterControls = el('div', 'probe-controls', body);
  const rw = numberToggle(rasterControls, 'raster width m', rasterWidths, (v) => intents.rasterWidth(v));
  const ly = numberToggle(rasterControls, 'layer \u2113', Array.from({ length: layers }, (_, i) => i + 1), (v) => intents.layer(v));
  const flipRaster = createFlipRaster(body, figure);

  const { legend, numbers, status, caption } = theoryFooter(figure, body, 'Widths and reference lines', download);

  return {
    update(v) {
      quantity.set(v.quantity);
      rw.set(v.rasterWidth);
      ly.set(v.layer);
      const L = LABEL[v.quantity];
      overOpt.yLabel = L.y;
      perMOpt.yLabel = L.final;
      yLabels[0]?.replaceChildren(L.y);
      yLabels[1]?.replaceChildren(L.final);
      setText(t1, `${v.quantity === 'dist' ? 'Distance from initialization' : 'Fraction of ReLUs flipped'} over training`);
      setText(t2, `${v.quantity === 'dist' ? 'Final distance' : 'Final flipped fraction'} against width`);
      over.update(v.tracks.map((t) => ({ key: `m${t.m}`, label: `m = ${t.m}`, tone: t.tone, xs: t.steps, ys: t.values })));
      const done = v.tracks.filter((t) => t.final > 0);
      const ps: LineSeries[] = [{ key: 'final', label: L.short, tone: 0.55, xs: done.map((t) => t.m), ys: done.map((t) => t.final), dots: true, lineless: true }];
      for (const r of v.references) ps.push({ ...r, tone: 0 });
      if (v.fit) ps.push(fitSeries(v.fit, false));
      perM.update(ps);
      setText(flipRaster.title, v.raster ? `Which ReLUs flipped: layer ${v.raster.layer}, m = ${v.raster.m}, at step ${formatInt(v.raster.step)}` : `Which ReLUs flipped (m = ${v.rasterWidth}, layer ${v.layer}): waiting for the run to end`);
      flipRaster.update(v.raster);
      const items: LegendEntry[] = [...v.tracks].sort((a, b) => a.m - b.m).map((t) => ({ tone: t.tone, label: `m = ${t.m}: ${t.note}` }));
      items.push({ tone: 0.55, label: `final ${L.short} per width`, dot: true });
      if (v.fit) items.push({ color: 'var(--threshold)', label: `fitted slope ${formatSlope(v.fit.slope)}` });
      for (const r of v.references) items.push({ color: 'var(--muted)', label: r.label, dashed: r.dashed, dotted: r.dotted });
      items.push({ color: 'var(--threshold)', label: 'raster: a marked cell = ReLU sign differs from init', dot: true });
      legend.update(items);
      setText(numbers, v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.quantity = v.quantity;
      figure.dataset.finals = String(done.length);
      figure.dataset.raster = v.raster ? `${v.raster.m}:${v.raster.layer}:${v.raster.step}` : '';
    },
  };
}
