import type { MeasureSwitches } from '../../train/instruments.ts';
import type { RecordField } from '../../train/recordLayout.ts';
import { GB_WIDTHS, gbConfig, gradientBoundView } from '../figures/gradientBoundFigure.ts';
import { HERO_WIDTHS, heroConfig } from '../figures/heroConfig.ts';
import { LB_WIDTHS, lazyBallView, lbConfig } from '../figures/lazyBallFigure.ts';
import { col, type Run, type RunSpec } from '../figures/runSet.ts';
import { semiSmoothnessView, SS_WIDTHS, ssConfig } from '../figures/semiSmoothnessFigure.ts';
import type { Binds } from '../figures/essayNumbers.ts';
import type { RecordedCurve, RecordedPanel } from './recorded.ts';

/**
 * What is recorded at build time, per figure: the runs the figure starts when it first comes on
 * screen (its default choices, the same configs, measures and record fields as its controller), and
 * what the figure quotes from them once they have ended, computed by the controller's own view
 * function. scripts/recordResults.ts trains them in Node on the same core and writes
 * src/essay/recorded/results.json.
 *
 * Figures whose quoted numbers come from probes of a finished run (the kernel, the landscape, the
 * slice of semi-smoothness, the bounds' search) are not recorded: their sentences wait for the live
 * runs, which go on while their section is on screen.
 */
export interface Recipe {
  panel: string;
  measures?: Partial<MeasureSwitches>;
  fields?: readonly RecordField[];
  specs(): RunSpec[];
  result(runs: readonly Run[]): RecordedPanel;
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

export const RECIPES: readonly Recipe[] = [
  {
    panel: 'hero',
    specs: () => byWidth(HERO_WIDTHS, heroConfig),
    result: (runs) => ({ curves: runs.map(heroCurve) }),
  },
  {
    panel: 'gradient-bound',
    measures: { pl: true, ntk: true },
    fields: ['gradNorm', 'plRatio', 'twoLambdaMin'],
    specs: () => byWidth(GB_WIDTHS, (m) => gbConfig(m, 2, 1)),
    result: (runs) => ({ binds: definite(gradientBoundView(runs, 2, 1, '').binds) }),
  },
  {
    panel: 'semi-smoothness',
    measures: { rho: true },
    fields: ['rho', 'rhoRelu'],
    specs: () => byWidth(SS_WIDTHS, ssConfig),
    result: (runs) => ({ binds: definite(semiSmoothnessView(runs, 128, null, '').binds) }),
  },
  {
    panel: 'lazy-ball',
    measures: { dist: true, flips: true },
    fields: ['distFro', 'distRel', 'flipFrac'],
    specs: () => byWidth(LB_WIDTHS, lbConfig),
    result: (runs) => ({ binds: definite(lazyBallView(runs, 'dist', '').binds) }),
  },
];
