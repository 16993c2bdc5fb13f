import { referenceKernels } from '../../net/kernels.ts';
import { createWasmKernels } from '../../net/wasmKernels.ts';
import { runCnnSweep } from '../../train/cnnSweep.ts';
import { log10TheoremWidth } from '../../train/panelData.ts';
import { cnnSweepBinds } from '../figures/cnnSweepView.ts';
import { BVR_SEARCH, bvrConfig, bvrTried, bvrView } from '../figures/boundsVsRealityFigure.ts';
import { GB_WIDTHS, gbConfig, gradientBoundView } from '../figures/gradientBoundFigure.ts';
import { HERO_WIDTHS, heroConfig } from '../figures/heroConfig.ts';
import { LR_FIELDS, LR_MEASURES, lazyRichView, lrConfig } from '../figures/lazyRichFigure.ts';
import { LR_ALPHAS } from '../../state/panelChoices.ts';
import { LB_WIDTHS, lazyBallView, lbConfig } from '../figures/lazyBallFigure.ts';
import { col, type Run, type RunSetOptions, type RunSpec } from '../figures/runSet.ts';
import { semiSmoothnessView, SS_WIDTHS, ssConfig } from '../figures/semiSmoothnessFigure.ts';
import { separationConfig, separationView } from '../figures/separationFigure.ts';
import type { Binds } from '../figures/essayNumbers.ts';
import type { RecordedCurve, RecordedPanel } from './recorded.ts';
import { hiddenGradientNorms } from '../../net/rnnGradientFlow.ts';
import { fastestKernels } from '../../net/wasmKernels.ts';
import { chosen } from '../../state/panelChoices.ts';
import { Run as TrainingRun } from '../../train/run.ts';
import { RNN_PANEL_ID, rnnRunConfig } from '../figures/rnnFigure.ts';
import { rnnBinds } from '../figures/rnnFigureView.ts';

/**
 * What is recorded at build time, per figure: the runs the figure starts when it first comes on
 * screen (its default choices; the same configs, measures and record fields as its controller), and
 * what the figure quotes from them once they have ended, computed by the controller's own view
 * function. scripts/recordResults.ts trains them in Node on the same core (through `train`, a
 * RunSet on an in-process pool) and writes src/essay/recorded/results.json.
 *
 * Recorded but never live: the CNN sweep's numbers (RecordedPanel.measured), 18 runs too many for a
 * page; the essay quotes them labelled as measured at build time, with the command that reproduces them.
 *
 * Not recorded: numbers that come from probes of a run as it trains (the tangent kernel's drift and
 * the frozen kernel's gap, the landscape's planes, the semi-smoothness slice, the fit figure's outputs): what they measure
 * depends on when the probe lands, so they are live only; their sentences wait for the live runs,
 * which go on while their section is on screen. The generalization figure is live only too: its
 * fifteen runs (widths to 1024, a test set and a kernel predictor each) would lengthen every build
 * several-fold.
 */
export type SetOptions<T> = Omit<RunSetOptions<T>, 'pool' | 'onChange'>;

/** Trains the runs to their ends (or errors) on one RunSet and returns them. */
export type Train = <T = undefined>(options: SetOptions<T>, specs: readonly RunSpec[]) => Promise<Run<T>[]>;

export interface Recipe {
  panel: string;
  record(train: Train): Promise<RecordedPanel>;
}

/** A view's binds without the ones it leaves to come (null). */
export function definite(binds: Binds): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(binds)) if (v !== null) out[k] = v;
  return out;
}

/** Loss to 4 significant digits: the curve as drawn, in a quarter of the bytes. */
function round4(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : v;
}

export function heroCurve(run: Run): RecordedCurve {
  return { m: run.spec.config.m, steps: col(run, 'step'), loss: col(run, 'loss').map(round4), end: run.end?.reason ?? (run.error ? 'error' : '') };
}

const byWidth = (widths: readonly number[], config: (m: number) => RunSpec['config']): RunSpec[] => widths.map((m) => ({ key: `m${m}`, config: config(m) }));

/** bounds-vs-reality: its search, as its controller runs it: widths in turn until one trains. */
async function searchWidths(train: Train, n: number, L: number): Promise<RecordedPanel> {
  const own = () => ({ loss0: NaN, ratio: NaN });
  const records: SetOptions<{ loss0: number; ratio: number }>['records'] = (run, batch) => {
    for (let k = 0; k < batch.count; k++) {
      const f = batch.get(k, 'loss');
      if (Number.isNaN(run.own.loss0)) run.own.loss0 = f;
      run.own.ratio = f / run.own.loss0;
    }
  };
  const runs: Run<{ loss0: number; ratio: number }>[] = [];
  let practical: number | null = null;
  let delta: number | null = null;
  for (const m of BVR_SEARCH) {
    const [run] = await train({ own, records }, [{ key: `m${m}`, config: bvrConfig(m, n, L) }]);
    runs.push(run);
    delta = run.info?.delta ?? delta;
    if (run.end?.reason === 'converged') {
      practical = m;
      break;
    }
  }
  const history = practical !== null && delta !== null ? [{ n, L, practical, log10: log10TheoremWidth(n, L, delta) }] : [];
  return { binds: definite(bvrView({ n, L, tried: runs.map(bvrTried), practical, delta, history, status: '' }).binds) };
}

/** rnn: its default run trained to its end, and the gradient over time at its initialization (deterministic, so no probe timing). */
async function recordRnn(train: Train): Promise<RecordedPanel> {
  const config = rnnRunConfig({ choice: (name) => chosen({}, RNN_PANEL_ID, name) });
  const [run] = await train({}, [{ key: `m${config.m}`, config }]);
  const model = new TrainingRun(config, await fastestKernels()).model;
  const { total, fromLast } = hiddenGradientNorms(model);
  const probed = { kind: 'hiddenGradients' as const, step: 0, T: config.T, total, fromLast, total0: total, fromLast0: fromLast };
  const convergedAt = run.end?.reason === 'converged' ? run.end.step : null;
  return { binds: definite(rnnBinds({ width: config.m, T: config.T, convergedAt, probed })) };
}

export const RECIPES: readonly Recipe[] = [
  {
    panel: 'hero',
    record: async (train) => ({ curves: (await train({}, byWidth(HERO_WIDTHS, heroConfig))).map(heroCurve) }),
  },
  {
    panel: 'gradient-bound',
    record: async (train) => {
      const runs = await train({ measures: { pl: true, ntk: true }, fields: ['gradNorm', 'plRatio', 'twoLambdaMin'] }, byWidth(GB_WIDTHS, (m) => gbConfig(m, 2, 1)));
      return { binds: definite(gradientBoundView(runs, 2, 1, '').binds) };
    },
  },
  {
    panel: 'semi-smoothness',
    record: async (train) => {
      const runs = await train({ measures: { rho: true }, fields: ['rho', 'rhoRelu'] }, byWidth(SS_WIDTHS, ssConfig));
      return { binds: definite(semiSmoothnessView(runs, 128, null, '').binds) };
    },
  },
  {
    panel: 'lazy-ball',
    record: async (train) => {
      const runs = await train({ measures: { dist: true, flips: true }, fields: ['distFro', 'distRel', 'flipFrac'] }, byWidth(LB_WIDTHS, lbConfig));
      return { binds: definite(lazyBallView(runs, 'dist', '').binds) };
    },
  },
  {
    panel: 'separation',
    record: async (train) => {
      const specs = [1, 0.1].flatMap((d) => (['sign', 'teacher'] as const).map((labels) => ({ key: `${d}:${labels}`, config: separationConfig(d, labels) })));
      const runs = await train(
        {
          measures: { ntk: true },
          fields: ['lambdaMin'],
          own: () => ({ lambdaMin0: NaN }),
          records: (run) => (run.own.lambdaMin0 = col(run, 'lambdaMin')[col(run, 'step').indexOf(0)] ?? NaN),
        },
        specs,
      );
      return { binds: definite(separationView(runs, 0.1, '').binds) };
    },
  },
  { panel: 'bounds-vs-reality', record: (train) => searchWidths(train, 16, 2) },
  { panel: RNN_PANEL_ID, record: recordRnn },
  {
    panel: 'lazy-rich',
    record: async (train) => {
      const runs = await train({ measures: LR_MEASURES, fields: LR_FIELDS }, LR_ALPHAS.map((a) => ({ key: `a${a}`, config: lrConfig(a) })));
      return { binds: definite(lazyRichView(runs, 1, '').binds) };
    },
  },
  {
    // the measured CNN sweep: the sweep CLI's jobs, run here in the recorder's thread on the same kernels
    panel: 'cnn',
    record: async () => ({ measured: definite(cnnSweepBinds(runCnnSweep((await createWasmKernels()) ?? referenceKernels))) }),
  },
];
