import type { DownloadSource } from './download.ts';
import { createLiveNumbers } from './liveNumbers.ts';
import { createLandscapeChart, type LandscapeGridView } from './landscapeChart.ts';
import { canvasLayers, compositeSvg, el, probeFooter, PROBE_NUMBERS, setText, startProbePanel, toggleGroup } from './panelParts.ts';
import type { LANDSCAPE_SCALES } from '../state/panelChoices.ts';

/**
 * The "landscape" panel: the loss around a point W_t of a run in the plane of the gradient and
 * the most negatively curved direction, with a scrubber along the run and a scale toggle (the
 * theorem's small ball, or a unit step), and the whole trajectory on its PCA plane. Draws a view;
 * starts nothing (see src/essay/figures/landscapeFigure.ts).
 */
export const LANDSCAPE_PANEL_ID = 'landscape';
export type Scale = (typeof LANDSCAPE_SCALES)[number];

export interface LandscapeView {
  scrub: { max: number; step: number; value: number; enabled: boolean };
  scale: Scale;
  gc: LandscapeGridView | null;
  pca: LandscapeGridView | null;
  path: { xs: number[]; ys: number[]; steps: number[]; highlight: number } | null;
  numbers: { center: string; loss: string; curvature: string; extent: string; progress: string };
  status: string;
  caption: string;
}

export interface LandscapeIntents {
  scrub(t: number): void;
  scale(s: Scale): void;
}

function rangeOf(g: LandscapeGridView | null): [number, number] | null {
  if (!g) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of g.values) {
    if (!(v > 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi === lo ? lo * 1.01 : hi] : null;
}

export function createLandscapePanel(figure: HTMLElement, intents: LandscapeIntents, download: Omit<DownloadSource, 'svg' | 'canvases'>): { update(v: LandscapeView): void } {
  const id = `ls${Math.random().toString(36).slice(2, 7)}`;

  const controls = startProbePanel(figure, LANDSCAPE_PANEL_ID, 'landscape-panel');
  const scrub = el('div', 'scrubber', controls);
  const label = el('label', '', scrub);
  label.htmlFor = `${id}-t`;
  label.textContent = 'point on the path';
  const input = el('input', '', scrub);
  input.type = 'range';
  input.id = `${id}-t`;
  input.min = '0';
  const out = el('output', '', scrub);
  out.htmlFor.add(input.id);
  input.addEventListener('input', () => intents.scrub(Number(input.value)));
  const scaleGroup = toggleGroup<Scale>(
    controls,
    'scale',
    [
      { value: 'ball', text: 'small ball', title: 'Reach = the distance training moved, \u2016W_T \u2212 W_0\u2016' },
      { value: 'unit', text: 'unit', title: 'Reach = a distance of 1 in weight space' },
    ],
    (v) => intents.scale(v),
  );

  const numbers = createLiveNumbers<keyof LandscapeView['numbers']>(
    figure,
    {
      center: 'center W\u209c at step',
      loss: 'F(W\u209c)',
      curvature: 'curvature v\u1d40Hv',
      extent: 'reach (weight distance)',
      progress: 'grid computed',
    },
    PROBE_NUMBERS,
  );

  const body = el('div', 'probe-body landscape-body', figure);
  const gcChart = createLandscapeChart(el('div', 'chart-cell', body), {
    title: 'Around W\u209c: gradient \u00d7 curvature',
    ariaLabel: 'Loss surface around the current point in the plane of the gradient and the most negatively curved direction',
    xLabel: 'a: along the gradient u (distance)',
    yLabel: 'b: along curvature v (distance)',
  });
  const pcaChart = createLandscapeChart(el('div', 'chart-cell', body), {
    title: 'The path on its PCA plane',
    ariaLabel: 'The training trajectory projected on its two principal directions, over the loss on that plane',
    xLabel: 'PC 1 (distance)',
    yLabel: 'PC 2 (distance)',
  });
  el('p', 'grid-progress', figure).textContent =
    'Colour: F on a log scale, its own for each plot, with the values of F at the key under it; white lines: contours; \u25cb: the grid\u2019s center (first plot: W\u209c; second: the end point W_T); red dot: W\u209c on the path.';
  const { status, caption } = probeFooter(figure, { ...download, svg: () => compositeSvg(body), canvases: () => canvasLayers(body) });

  return {
    update(v) {
      input.max = String(v.scrub.max);
      input.step = String(v.scrub.step);
      if (document.activeElement !== input || input.value !== String(v.scrub.value)) input.value = String(v.scrub.value);
      input.disabled = !v.scrub.enabled;
      input.setAttribute('aria-valuetext', `step ${v.scrub.value}`);
      setText(out, `t = ${v.scrub.value}`);
      scaleGroup.set(v.scale);
      gcChart.update(v.gc, { arrow: true }, rangeOf(v.gc));
      pcaChart.update(v.pca, { path: v.path }, rangeOf(v.pca));
      numbers.update(v.numbers);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.scale = v.scale;
      figure.dataset.filled = v.gc ? String(v.gc.filled) : '0';
      figure.dataset.extent = v.gc ? String(v.gc.axis[v.gc.axis.length - 1]) : '';
    },
  };
}

