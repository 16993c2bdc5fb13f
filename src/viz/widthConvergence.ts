import type { RunConfig } from '../train/config.ts';
import { STATE_FIELDS, type ControlName, type StateField } from '../state/urlState.ts';
import { createCurveLegend, type LegendItem } from './curveLegend.ts';
import { formatInt } from './format.ts';
import { createLiveNumbers } from './liveNumbers.ts';
import { createLogSlider } from './logSlider.ts';
import { createLossCurves, type Curve } from './lossCurves.ts';
import { createSettingsForm } from './settingsForm.ts';
import { button, el, setAttr, setData, setText } from './panelParts.ts';
import { readoutPace } from './readoutPace.ts';

/**
 * The "width-convergence" panel: the training loss of the paper's network against steps, one
 * curve per width the reader has tried, a log-scale width slider, transport controls, live
 * numbers, a width comparison (a sweep over a pool of workers) with its progress, and the
 * settings. It draws a view and reports the reader's intents; it starts no runs itself (see
 * src/essay/figures/widthConvergenceFigure.ts).
 */

export const PANEL_ID = 'width-convergence';

/** Widths the slider stops at: 8 to 4096 in half octaves (x1.5, x4/3), round numbers. */
export const WIDTH_NOTCHES: readonly number[] = [
  8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096,
];

export type StatusKind = 'idle' | 'starting' | 'running' | 'paused' | 'waiting' | 'converged' | 'diverged' | 'steps' | 'error';

export interface PanelCurve extends Curve, LegendItem {}

export interface WidthConvergenceView {
  width: number; // what the slider shows
  curves: readonly PanelCurve[];
  threshold?: number;
  stepAxis: 'linear' | 'log';
  /** The live numbers, by the keys of the panel's `numbers` labels (WIDTH_PANEL's, or another architecture's). */
  numbers: Readonly<Record<string, string>>;
  status: { kind: StatusKind; text: string };
  playing: boolean; // the play button offers "Pause"
  canPlay: boolean;
  canStep: boolean;
  sweep: { running: boolean; fraction: number; text: string } | null;
  config: RunConfig; // fills the settings
  caption: string;
  hide: readonly ControlName[];
}

export interface WidthConvergenceIntents {
  width(m: number, final: boolean): void;
  playPause(): void;
  step(): void;
  reset(): void;
  sweep(): void;
  setting(param: string, raw: string): void;
  stepAxis(axis: 'linear' | 'log'): void;
}

export interface WidthConvergencePanel {
  update(view: WidthConvergenceView): void;
}

/**
 * What differs between the architectures the panel trains (the FC/ResNet network; the CNN, whose
 * width is its channel count): the panel's ID, the slider's words and stops, the live numbers, the
 * settings it offers and the legend's and the comparison's words.
 */
export interface WidthPanelOptions {
  panelId: string;
  /** Extra class on the figure (the width panel's styles apply to every architecture). */
  className?: string;
  sliderLabel: string;
  notches: readonly number[];
  ticks: readonly number[];
  valueText(m: number): string;
  /** Live numbers, key to label, in order. */
  numbers: Readonly<Record<string, string>>;
  /** Marks the numbers for tests (the one panel a page may do it: see liveNumbers.ts). */
  numberTestIds: boolean;
  chartLabel: string;
  legendTitle: string;
  settingsFields: readonly StateField[];
  compareLabel: string;
  compareTitle: string;
}

export const WIDTH_PANEL: WidthPanelOptions = {
  panelId: PANEL_ID,
  sliderLabel: 'width m',
  notches: WIDTH_NOTCHES,
  ticks: [8, 64, 512, 4096],
  valueText: (m) => `${m} neurons per layer`,
  numbers: { width: 'width', params: 'parameters', step: 'step', rate: 'steps/s', loss: 'loss' },
  numberTestIds: true,
  chartLabel: 'Training loss against step, log scale, one curve per width',
  legendTitle: 'Widths tried',
  settingsFields: STATE_FIELDS.filter((f) => f.key !== 'm'),
  compareLabel: 'Compare widths',
  compareTitle: 'Train several widths at once, one per worker',
};

let instances = 0;

export function createWidthConvergence(figure: HTMLElement, intents: WidthConvergenceIntents, o: WidthPanelOptions = WIDTH_PANEL): WidthConvergencePanel {
  const id = `wc${++instances}`;
  figure.dataset.panel = o.panelId;
  figure.classList.add('panel', 'width-convergence', ...(o.className ? [o.className] : []));
  figure.replaceChildren(); // anything there was the no-script fallback

  const top = el('div', 'wc-top', figure);
  const slider = createLogSlider(top, {
    id: `${id}-width`,
    label: o.sliderLabel,
    notches: o.notches,
    pageNotches: 2, // one octave
    ticks: o.ticks,
    valueText: o.valueText,
    onInput: (m, final) => intents.width(m, final),
  });
  const sliderRoot = top.querySelector<HTMLElement>('.log-slider')!;
  const numbers = createLiveNumbers<string>(top, o.numbers, { testIds: o.numberTestIds });

  const chartRoot = el('div', 'wc-chart', figure);
  const chart = createLossCurves(chartRoot, o.chartLabel);
  const axisBtn = button(chartRoot, 'step-axis', 'log steps', () => intents.stepAxis(axisBtn.getAttribute('aria-pressed') === 'true' ? 'linear' : 'log'));
  axisBtn.title = 'Step axis on a logarithmic scale: the early steps spread out';
  const legend = createCurveLegend(figure, o.legendTitle);

  const bar = el('div', 'wc-bar', figure);
  const transport = el('div', 'wc-transport', bar);
  const playBtn = button(transport, 'play', 'Pause', () => intents.playPause(), false);
  const stepBtn = button(transport, 'step', 'Step', () => intents.step(), false);
  const resetBtn = button(transport, 'reset', 'Reset', () => intents.reset(), false);
  resetBtn.title = 'Clear the curves and train the current width again';
  stepBtn.title = 'Pause and make one update';
  const sweepBox = el('div', 'wc-sweep', bar);
  const sweepBtn = button(sweepBox, 'sweep', o.compareLabel, () => intents.sweep(), false);
  sweepBtn.title = o.compareTitle;
  const progress = el('progress', 'wc-progress', sweepBox);
  progress.max = 1;
  progress.setAttribute('aria-label', 'comparison progress');
  const progressText = el('span', 'wc-progress-text', sweepBox);
  const status = el('p', 'wc-status', figure);
  status.setAttribute('role', 'status');
  status.dataset.testid = 'run-status';

  const settings = createSettingsForm(figure, id, o.settingsFields, (p, raw) => intents.setting(p, raw));
  const caption = el('figcaption', 'wc-caption', figure);

  const pace = readoutPace();
  const controls: Record<ControlName, HTMLElement[]> = {
    slider: [sliderRoot],
    transport: [transport],
    sweep: [sweepBox],
    settings: [settings.root],
  };

  return {
    update(v) {
      slider.update(v.width);
      // the step, rate, loss and legend notes: a few times a second while only their digits tick, at
      // once when what they say changes (another width, a curve added, "step 1,200" to "converged in 1,234 steps")
      const ticking = (t: string) => t.replace(/[\d.,\u2212-]+/g, '#');
      const legendKey = v.curves.map((c) => `${c.key}:${c.label}:${c.current}:${c.fade}:${ticking(c.note)}`).join();
      const readouts = pace(v.status.kind === 'running', `${v.numbers.width}|${v.numbers.params}|${v.status.kind}|${ticking(Object.values(v.numbers).join('|'))}|${legendKey}`);
      if (readouts) numbers.update(v.numbers);
      chart.update({ curves: v.curves, threshold: v.threshold, stepAxis: v.stepAxis });
      setAttr(axisBtn, 'aria-pressed', String(v.stepAxis === 'log'));
      if (readouts) legend.update([...v.curves].sort((a, b) => Number(a.label.replace(/\D+/g, '')) - Number(b.label.replace(/\D+/g, '')) || a.key.localeCompare(b.key)));
      // each write only where the value changed: a frame of training changes the numbers and the curve, little else
      setText(status, v.status.text);
      setData(status, { status: v.status.kind });
      setText(playBtn, v.playing ? 'Pause' : 'Play');
      // the accessible name is the visible text (WCAG 2.5.3, Label in Name); the title only describes it
      setAttr(playBtn, 'title', v.playing ? 'Pause training' : 'Start training');
      if (playBtn.disabled !== !v.canPlay) playBtn.disabled = !v.canPlay; // a boolean attribute set again is a mutation too
      if (stepBtn.disabled !== !v.canStep) stepBtn.disabled = !v.canStep;
      setText(sweepBtn, v.sweep?.running ? 'Stop comparing' : o.compareLabel);
      for (const e of [progress, progressText]) if (e.hidden !== !v.sweep) e.hidden = !v.sweep;
      if (v.sweep) {
        if (progress.value !== v.sweep.fraction) progress.value = v.sweep.fraction;
        setText(progressText, v.sweep.text);
      }
      settings.update(v.config);
      setText(caption, v.caption);
      for (const [name, els] of Object.entries(controls) as [ControlName, HTMLElement[]][]) {
        for (const e of els) if (e.hidden !== v.hide.includes(name)) e.hidden = !e.hidden;
      }
      setData(figure, { width: String(v.width), status: v.status.kind, curves: String(v.curves.length) });
    },
  };
}

/** "131,072" or, when not all are trained, "133,376 (131,072 trained)". */
export function formatParams(total: number, trained: number): string {
  return trained === total ? formatInt(total) : `${formatInt(total)} (${formatInt(trained)} trained)`;
}
