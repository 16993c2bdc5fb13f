import { CONFIG_FIELDS, type RunConfig } from '../../train/config.ts';
import { CNN_ARCHS, CNN_CHANNELS } from '../../state/panelChoices.ts';
import type { StateField } from '../../state/urlState.ts';
import { describeCnn } from '../../viz/cnnCaption.ts';
import { formatSci } from '../../viz/format.ts';
import { WIDTH_PANEL, type WidthConvergenceView, type WidthPanelOptions } from '../../viz/widthConvergence.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import type { Figure } from './mountFigure.ts';
import { mountWidthFigure, type WidthArch } from './widthConvergenceFigure.ts';
import { shownRun, widthNumbers, widthView, type WidthFigureModel } from './widthConvergenceView.ts';

/**
 * The "cnn" figure: the width-convergence experience (widthConvergenceFigure.ts) for the paper's
 * convolutional network (src/net/cnn.ts), its width the channel count m. The signal's shape is fixed
 * (q = 8 positions, c = 2 channels, window s = 3); depth, data, seeds and step size are the page's
 * run settings. The channel count and the architecture (plain or residual) are the panel's choices,
 * in the URL as cnn-channels and cnn-arch, and as embed attributes of the same names.
 */
export const CNN_PANEL_ID = 'cnn';
export const CNN_SIGNAL = { q: 8, d: 2, window: 3 } as const;
/** Channel counts "Compare" trains side by side. */
export const CNN_SWEEP_CHANNELS: readonly number[] = [16, 64, 256, 512];
/** Each record carries these, for the readouts. */
const CNN_MEASURES = { pl: true, dist: true, flips: true } as const;

/** The run the figure trains at channel count m on the page's run settings. */
export function cnnConfig(base: RunConfig, arch: RunConfig['arch'], m: number): RunConfig {
  return { ...base, ...CNN_SIGNAL, arch, m };
}

/** The architecture, offered in the panel's settings (the one setting of its own). */
const ARCH_FIELD: StateField = {
  group: 'run',
  param: 'arch',
  key: 'arch',
  label: 'architecture',
  effect: 'figure',
  spec: { ...CONFIG_FIELDS.find((f) => f.key === 'arch')!, values: [...CNN_ARCHS], help: 'cnn, or cnn-resnet: h[p] = ReLU(h[p] + tau W patch_p(h))' },
};

const CNN_PANEL: WidthPanelOptions = {
  ...WIDTH_PANEL,
  panelId: CNN_PANEL_ID,
  className: 'cnn-panel',
  sliderLabel: 'channels m',
  notches: CNN_CHANNELS,
  ticks: [8, 64, 512],
  valueText: (m) => `${m} channels per layer`,
  numbers: { width: 'channels', params: 'parameters', step: 'step', rate: 'steps/s', loss: 'loss', pl: 'PL ratio', dist: 'moved', flips: 'flips' },
  numberTestIds: false, // the width-convergence panel's numbers carry them
  chartLabel: 'Training loss against step, log scale, one curve per channel count',
  legendTitle: 'Channel counts tried',
  settingsFields: [ARCH_FIELD],
  compareLabel: 'Compare channel counts',
  compareTitle: 'Train several channel counts at once, one per worker',
};

const percent = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? `${(100 * v).toPrecision(2)}%` : '\u2013');

/** The width figure's numbers, plus the instruments' readouts of the shown run's last record. */
export function cnnNumbers(m: WidthFigureModel): Record<string, string> {
  const r = shownRun(m);
  const read = r?.own.readouts ?? {};
  return {
    ...widthNumbers(m),
    pl: read.plRatio !== undefined && Number.isFinite(read.plRatio) ? formatSci(read.plRatio, 3) : '\u2013',
    dist: percent(read.distRel),
    flips: percent(read.flipFrac),
  };
}

export function cnnView(m: WidthFigureModel): WidthConvergenceView {
  const r = m.current;
  return {
    ...widthView(m),
    numbers: cnnNumbers(m),
    caption: describeCnn(m.config, m.curves.map((e) => e.own.width), r?.own.width ?? m.config.m, r?.info?.lr ?? null),
  };
}

export const CNN_WIDTH_ARCH: WidthArch = {
  panel: CNN_PANEL,
  sweepWidths: CNN_SWEEP_CHANNELS,
  measures: CNN_MEASURES,
  config: (fig: Figure) => cnnConfig(fig.state.config, fig.choice('arch') as RunConfig['arch'], Number(fig.choice('channels'))),
  // the channel count and the architecture are the panel's choices (the page's run settings stay the FC figure's)
  changed: (fig, config) => {
    fig.choose('channels', config.m);
    fig.choose('arch', config.arch);
  },
  view: cnnView,
  sizeName: (m) => `${m} channels`,
  // far down the page: it must not hold a worker from the figures above until it is seen
  lazy: true,
};

export function mountCnn(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountWidthFigure(root, options, CNN_WIDTH_ARCH);
}
