import type { DownloadSource } from './download.ts';
import { createLineChart, WHOLE_X, type LineSeries } from './lineChart.ts';
import { compositeSvg, el, numberToggle, probeFooter, setText, startProbePanel, staticLegend } from './panelParts.ts';

/**
 * The "separation" panel: a control that moves one input to distance delta from another; per
 * delta, lambda_min(K_0) and the measured convergence rate for random sign labels and for teacher
 * labels, and the loss curves at the chosen delta. Draws a view; starts nothing (see
 * src/essay/figures/separationFigure.ts).
 */
export const SEPARATION_PANEL_ID = 'separation';

export interface SeparationView {
  delta: number;
  lambda: { deltas: number[]; values: number[] };
  rates: { sign: { deltas: number[]; values: number[] }; teacher: { deltas: number[]; values: number[] } };
  curves: { sign: { steps: number[]; ratio: number[] }; teacher: { steps: number[]; ratio: number[] } };
  status: string;
  caption: string;
}

export const SIGN_TONE = 0;
export const TEACHER_TONE = 1;

export function createSeparationPanel(
  figure: HTMLElement,
  deltas: readonly number[],
  intents: { delta(d: number): void },
  download: Omit<DownloadSource, 'svg' | 'canvases'>,
): { update(v: SeparationView): void } {
  const controls = startProbePanel(figure, SEPARATION_PANEL_ID, 'separation-panel');
  const group = numberToggle(controls, 'distance \u03b4 between x\u2081 and x\u2082', deltas, (v) => intents.delta(v), (d) => `Move x\u2082 to distance ${d} from x\u2081 and train`);
  const body = el('div', 'probe-body sep-charts', figure);
  const fmtDelta = (v: number) => String(Number(v.toPrecision(2)));
  const lambda = createLineChart(el('div', 'chart-cell', body), {
    ariaLabel: 'Smallest eigenvalue of K_0 against the distance delta, log-log',
    xLabel: '\u03b4 (distance)',
    yLabel: '\u03bb_min(K\u2080) (log)',
    xLog: true,
    yLog: true,
    formatX: fmtDelta,
  });
  const rate = createLineChart(el('div', 'chart-cell', body), {
    ariaLabel: 'Convergence rate against delta for sign and teacher labels, log-log',
    xLabel: '\u03b4 (distance)',
    yLabel: 'rate \u2212ln(F_T/F\u2080)/T per step (log)',
    xLog: true,
    yLog: true,
    formatX: fmtDelta,
  });
  const loss = createLineChart(el('div', 'chart-cell', body), {
    ariaLabel: 'Loss relative to its start against step at the chosen delta, for both label kinds',
    xLabel: 'step t',
    yLabel: 'F(W\u209c)/F(W\u2080) (log)',
    yLog: true,
    ...WHOLE_X,
  });
  const legend = staticLegend(figure, 'Legend');
  legend.update([
    { tone: 0.5, label: '\u03bb_min(K\u2080) (the same for both label kinds)', dot: true },
    { tone: SIGN_TONE, label: 'random sign labels', dot: true },
    { tone: TEACHER_TONE, label: 'teacher labels', dashed: true },
  ]);
  const { status, caption } = probeFooter(figure, { ...download, svg: () => compositeSvg(body) });

  return {
    update(v) {
      group.set(v.delta);
      const lambdaSeries: LineSeries = { key: 'lambda', label: '\u03bb_min(K\u2080)', tone: 0.5, xs: v.lambda.deltas, ys: v.lambda.values, dots: true };
      lambda.update([lambdaSeries]);
      rate.update([
        { key: 'sign', label: 'sign labels', tone: SIGN_TONE, xs: v.rates.sign.deltas, ys: v.rates.sign.values, dots: true },
        { key: 'teacher', label: 'teacher labels', tone: TEACHER_TONE, xs: v.rates.teacher.deltas, ys: v.rates.teacher.values, dots: true, dashed: true },
      ]);
      loss.update([
        { key: 'sign', label: 'sign labels', tone: SIGN_TONE, xs: v.curves.sign.steps, ys: v.curves.sign.ratio },
        { key: 'teacher', label: 'teacher labels', tone: TEACHER_TONE, xs: v.curves.teacher.steps, ys: v.curves.teacher.ratio, dashed: true },
      ]);
      setText(status, v.status);
      setText(caption, v.caption);
      figure.dataset.delta = String(v.delta);
      figure.dataset.points = String(v.lambda.deltas.length);
    },
  };
}
