import type { DownloadSource } from './download.ts';
import { createLiveNumbers } from './liveNumbers.ts';
import { formatSci } from './format.ts';
import { createLineChart, WHOLE_X } from './lineChart.ts';
import { createMatrixHeatmap, heatColor } from './matrixHeatmap.ts';
import { button, canvasLayers, colorBar, compositeSvg, el, numberToggle, probeFooter, PROBE_NUMBERS, setText, startProbePanel, staticLegend } from './panelParts.ts';

/**
 * The "ntk" panel: the tangent kernel at initialization K_0 and now K_t as heatmaps on one color
 * scale, both spectra on a log scale, and the residual norm the frozen kernel predicts,
 * ||(I - eta K_0)^t r_0||, against the actual ||r_t||. Draws a view; starts nothing (see
 * src/essay/figures/ntkFigure.ts).
 */
export const NTK_PANEL_ID = 'ntk';

export interface NtkView {
  width: number;
  kernel: { step: number; N: number; K0: Float64Array; Kt: Float64Array; eig0: Float64Array; eigT: Float64Array } | null;
  residual: { steps: number[]; actual: number[]; predicted: number[]; dense: { steps: number[]; values: number[] } }; // dense: the prediction at every step
  numbers: { step: string; drift: string; lambdaMin0: string; lambdaMinT: string; gap: string };
  status: string;
  caption: string;
}

export interface NtkIntents {
  width(m: number): void;
  restart(): void;
}

export interface NtkPanel {
  update(view: NtkView): void;
}

export function createNtkPanel(figure: HTMLElement, widths: readonly number[], intents: NtkIntents, download: Omit<DownloadSource, 'svg' | 'canvases'>): NtkPanel {

  const controls = startProbePanel(figure, NTK_PANEL_ID, 'ntk-panel');
  const widthGroup = numberToggle(controls, 'width m', widths, (v) => intents.width(v), (m) => `Train a network of width ${m}`);
  button(controls, 'restart', 'Train again', () => intents.restart());

  const numbers = createLiveNumbers<keyof NtkView['numbers']>(
    figure,
    {
      step: 'step t',
      drift: '\u2016K\u209c\u2212K\u2080\u2016/\u2016K\u2080\u2016',
      lambdaMin0: '\u03bb_min(K\u2080)',
      lambdaMinT: '\u03bb_min(K\u209c)',
      gap: 'actual / predicted \u2016r\u209c\u2016',
    },
    PROBE_NUMBERS,
  );

  const body = el('div', 'probe-body ntk-body', figure);
  const heats = el('div', 'ntk-heats', body);
  const h0 = createMatrixHeatmap(el('div', 'heat-cell', heats), 'K\u2080 (initialization)', 'Tangent kernel at initialization as a heatmap', 'K\u2080');
  const ht = createMatrixHeatmap(el('div', 'heat-cell', heats), 'K\u209c (now)', 'Tangent kernel at the current step as a heatmap', 'K\u209c');
  const scale = el('div', 'heat-scale', heats);
  const scaleLo = el('span', 'heat-scale-lo', scale);
  colorBar(scale, [0, 0.25, 0.5, 0.75, 1].map(heatColor));
  const scaleHi = el('span', 'heat-scale-hi', scale);

  const charts = el('div', 'ntk-charts', body);
  const spectrum = createLineChart(el('div', 'chart-cell', charts), {
    ariaLabel: 'Eigenvalues of K_0 and K_t in decreasing order, log scale',
    xLabel: 'index k',
    yLabel: 'eigenvalue \u03bb\u2096 (log)',
    yLog: true,
    ...WHOLE_X,
  });
  const residual = createLineChart(el('div', 'chart-cell', charts), {
    ariaLabel: 'Residual norm over steps: actual, and predicted by the frozen kernel K_0',
    xLabel: 'step t',
    yLabel: 'residual norm \u2016r\u209c\u2016 (log)',
    yLog: true,
    ...WHOLE_X,
  });
  const legend = staticLegend(figure, 'Legend');
  legend.update([
    { tone: 0, label: 'solid: measured at step t (spectrum of K\u209c; actual \u2016r\u209c\u2016, dots alone where probes are sparse)', dot: true },
    { tone: 1, label: 'dashed: from the kernel at initialization (spectrum of K\u2080; frozen-kernel prediction \u2016(I \u2212 \u03b7K\u2080)\u1d57 r\u2080\u2016 at every step)', dashed: true },
  ]);
  const { status, caption } = probeFooter(figure, { ...download, svg: () => compositeSvg(body), canvases: () => canvasLayers(body) });

  return {
    update(v) {
      widthGroup.set(v.width);
      const k = v.kernel;
      let lo = 0;
      let hi = 1;
      if (k) {
        lo = Infinity;
        hi = -Infinity;
        for (const M of [k.K0, k.Kt])
          for (const x of M) {
            if (x < lo) lo = x;
            if (x > hi) hi = x;
          }
      }
      h0.update(k ? k.K0 : null, k ? k.N : 0, [lo, hi]);
      ht.update(k ? k.Kt : null, k ? k.N : 0, [lo, hi]);
      setText(scaleLo, k ? formatSci(lo) : '');
      setText(scaleHi, k ? formatSci(hi) : '');
      const idx = (e: Float64Array) => Array.from(e, (_, i) => i + 1);
      const desc = (e: Float64Array) => Array.from(e).sort((a, b) => b - a);
      spectrum.update(
        k
          ? [
              { key: 'eig0', label: 'K\u2080', tone: 1, xs: idx(k.eig0), ys: desc(k.eig0), dashed: true, dots: true },
              { key: 'eigT', label: `K\u209c (t = ${k.step})`, tone: 0, xs: idx(k.eigT), ys: desc(k.eigT), dots: true },
            ]
          : [],
      );
      residual.update([
        // probes come back every so often: sparse ones are drawn as dots alone, not joined by invented segments
        { key: 'actual', label: 'actual \u2016r\u209c\u2016', tone: 0, xs: v.residual.steps, ys: v.residual.actual, dots: true, lineless: v.residual.steps.length < 40 },
        { key: 'predicted', label: 'frozen-kernel prediction', tone: 1, xs: v.residual.dense.steps, ys: v.residual.dense.values, dashed: true },
      ]);
      numbers.update(v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.step = k ? String(k.step) : '';
      figure.dataset.width = String(v.width);
      figure.dataset.points = String(v.residual.steps.length);
    },
  };
}
