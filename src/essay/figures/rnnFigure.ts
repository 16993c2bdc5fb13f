import { RNN_LENGTHS, RNN_WIDTHS } from '../../state/panelChoices.ts';
import { PAGE_DEFAULTS } from '../../state/urlState.ts';
import type { RunConfig } from '../../train/config.ts';
import { createRnnGradientFlow, type GradientQuantity } from '../../viz/rnnGradientFlow.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { mountFigure, type Figure, type FigureParts } from './mountFigure.ts';
import { pollProbe } from './probePolling.ts';
import { bindAll } from './essayNumbers.ts';
import { gradientView, rnnBinds } from './rnnFigureView.ts';
import { WidthController, type Own, type WidthArch } from './widthConvergenceFigure.ts';
import { widthView, type WidthFigureModel } from './widthConvergenceView.ts';
import { describeRnnConvergence } from '../../viz/rnnCaption.ts';
import { WIDTH_PANEL, type WidthConvergenceView, type WidthPanelOptions } from '../../viz/widthConvergence.ts';
import type { RunSet } from './runSet.ts';

/**
 * The "rnn" figure: the companion paper's ReLU RNN (Allen-Zhu, Li, Song, NeurIPS 2019) on the width
 * figure's machinery (slider, curves, comparison), its width and sequence length the panel's own
 * choices (rnn-width, rnn-length), and below the curves the gradient over time: every run is asked,
 * while it trains, for ||dF/dh_t|| now and at initialization (a probe), and the view fits the per-step
 * growth factor from the answers.
 */
export const RNN_PANEL_ID = 'rnn';

/** The RNN runs' settings besides width and length: n = 8 sequences in d = 8, Gaussian labels, full-batch GD to F <= 1e-3 F_0. */
export const RNN_BASE: RunConfig = {
  ...PAGE_DEFAULTS,
  arch: 'rnn',
  L: 1,
  n: 8,
  d: 8,
  dOut: 1,
  trainA: false,
  trainB: false,
  labels: 'gaussian',
  closePairDelta: null,
  lr: null,
  lrScale: 0.5,
  batch: 0,
  eps: 1e-3, // the stop line of the CLI's check: F <= 1e-3 F_0
};

/** Widths the comparison trains side by side. */
export const RNN_SWEEP_WIDTHS: readonly number[] = [32, 128, 512];

export function rnnRunConfig(fig: Pick<Figure, 'choice'>): RunConfig {
  return { ...RNN_BASE, m: Number(fig.choice('width')), T: Number(fig.choice('length')) };
}

/** The width panel under the RNN's own ID, its slider over the RNN's widths. */
const RNN_PANEL: WidthPanelOptions = {
  ...WIDTH_PANEL,
  panelId: RNN_PANEL_ID,
  notches: RNN_WIDTHS,
  ticks: [16, 64, 256, 1024],
  numberTestIds: false, // the width-convergence panel's numbers carry them
};

/** The width figure's view with the recurrent network's caption (the width figure carries no RNN text). */
export function rnnView(m: WidthFigureModel): WidthConvergenceView {
  const r = m.current;
  return {
    ...widthView(m),
    caption: describeRnnConvergence(m.config, m.curves.map((e) => e.own.width), r?.own.width ?? m.config.m, r?.info?.lr ?? null),
  };
}

function rnnArch(fig: Figure, set: () => RunSet<Own>): WidthArch {
  return {
    panel: RNN_PANEL,
    sweepWidths: RNN_SWEEP_WIDTHS,
    config: rnnRunConfig,
    // the width is the panel's choice (the page's run settings stay the feed-forward figure's)
    changed: (f, config) => f.choose('width', config.m),
    view: rnnView,
    hidden: ['settings'],
    hooks: {
      probes: true,
      ...pollProbe<Own>({
        set,
        request: { kind: 'hiddenGradients' },
        take: (run, result) => {
          if (result.kind === 'hiddenGradients') run.own.probed = result;
        },
        redraw: () => fig.redraw(),
      }),
    },
  };
}

export function mountRnn(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, RNN_PANEL_ID, options, (fig): FigureParts => {
    let c: WidthController | null = null;
    c = new WidthController(fig, rnnArch(fig, () => c!.runs.set));
    const controller = c;
    const flow = createRnnGradientFlow(fig.root, RNN_LENGTHS, {
      length: (T) => {
        if (String(T) === fig.choice('length')) return;
        fig.choose('length', T);
        controller.config.T = T;
        controller.reset(); // curves of another length are not comparable
      },
      quantity: (q) => {
        fig.choose('gradient', q);
        fig.redraw();
      },
    });
    return {
      draw: () => {
        controller.draw();
        const runs = controller.runs.curves.map((r) => ({ width: r.own.width, current: r === controller.runs.current, probed: r.own.probed?.kind === 'hiddenGradients' ? r.own.probed : null }));
        const T = Number(fig.choice('length'));
        flow.update(gradientView(runs, T, fig.choice('gradient') as GradientQuantity));
        const cur = controller.runs.current;
        const probed = runs.find((r) => r.current)?.probed ?? null;
        if (cur) bindAll(rnnBinds({ width: cur.own.width, T, convergedAt: cur.end?.reason === 'converged' ? cur.end.step : null, probed: probed?.T === T ? probed : null }));
      },
      onscreen: () => controller.sync(),
      offscreen: () => controller.sync(),
      // far down the page: off screen a while, its runs lend their workers to the figures in view
      release: () => controller.release(),
      dispose: () => controller.dispose(),
      offersRetry: false,
    };
  });
}
