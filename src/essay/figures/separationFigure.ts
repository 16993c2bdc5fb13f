import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { SEPARATION_DELTAS } from '../../state/panelChoices.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createSeparationPanel, type SeparationView } from '../../viz/separation.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { setStatus } from './runNote.ts';
import { col, type Run } from './runSet.ts';

/**
 * Wires the "separation" panel: each delta the reader picks trains two runs (random sign labels,
 * teacher labels) with x_2 moved to distance delta from x_1; the first record gives
 * lambda_min(K_0), the loss curve gives the rate. Runs pause off screen.
 */
type Labels = 'sign' | 'teacher';
const LABELS = ['sign', 'teacher'] as const;

export function separationConfig(delta: number, labels: Labels): RunConfig {
  // data seed 2: the close pair's random sign labels are opposite (checked: y = -1, +1)
  return { ...DEFAULT_CONFIG, m: 128, L: 1, n: 16, d: 8, dataSeed: 2, labels, closePairDelta: delta, steps: 300, every: 5, eps: 1e-6, lrScale: 0.5 };
}

/**
 * The run's average rate, -ln(F_T / F_0) / T per step (T = its last recorded step): a run that
 * stalls on the close pair's residual keeps a large F_T and gets a small rate.
 */
export function fittedRate(steps: number[], loss: number[]): number {
  const n = steps.length;
  if (n < 2 || !(steps[n - 1] > 0) || !(loss[n - 1] > 0) || !(loss[0] > 0)) return NaN;
  return -Math.log(loss[n - 1] / loss[0]) / steps[n - 1];
}

type SepRun = Run<{ lambdaMin0: number }>;
const deltaOf = (r: SepRun): number => r.spec.config.closePairDelta ?? NaN;
const labelsOf = (r: SepRun): Labels => r.spec.config.labels as Labels;
const finished = (r: SepRun): boolean => r.end !== null || r.error !== null;
const rateOf = (r: SepRun): number => fittedRate(col(r, 'step'), col(r, 'loss'));

export function mountSeparation(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'separation', options, (figure) => {
    let delta = Number(figure.choice('delta'));
    const set = figure.runs({
      measures: { ntk: true },
      fields: ['lambdaMin'],
      own: () => ({ lambdaMin0: NaN }),
      records: (run) => (run.own.lambdaMin0 = col(run, 'lambdaMin')[col(run, 'step').indexOf(0)] ?? NaN),
    });
    const ensure = (d: number): void => {
      for (const labels of LABELS) if (!set.get(`${d}:${labels}`)) set.start({ key: `${d}:${labels}`, config: separationConfig(d, labels), first: d === delta });
    };
    const panel = createSeparationPanel(
      root,
      SEPARATION_DELTAS,
      {
        delta: (d) => {
          figure.choose('delta', d);
          delta = d;
          ensure(d); // a delta picked before has its runs: only the view changes
          figure.redraw();
        },
      },
      {
        csv: () => ({
          columns: ['delta', 'labels', 'lambda_min_K0', 'rate', 'steps_run', 'final_loss_ratio'],
          rows: set.runs.map((e) => [deltaOf(e), labelsOf(e), e.own.lambdaMin0, rateOf(e), col(e, 'step').at(-1), col(e, 'loss').at(-1)! / col(e, 'loss')[0]]),
        }),
        basename: () => `separation_m128_L1_n16_dataseed2`,
      },
    );
    return {
      // two deltas from the start, so the trend shows
      ...calmSetParts(figure, set, () => (delta === 1 ? [1, 0.1] : [1, delta]).forEach(ensure),
        () => {
          const status = setStatus(set, { active: figure.active, noun: 'run', done: `${set.runs.length} runs done; pick another \u03b4 to add two more.` });
          const { binds, ...view } = separationView(set.runs, delta, status);
          bindAll(binds);
          const se = set.get(`${delta}:sign`);
          root.dataset.lambdaMin = se && Number.isFinite(se.own.lambdaMin0) ? String(se.own.lambdaMin0) : '';
          root.dataset.runs = String(set.runs.length);
          root.dataset.done = String(set.runs.filter(finished).length);
          panel.update(view);
        },
        () => '',
      ),
    };
  });
}

/** The panel's view and the summary the essay quotes, from the runs so far. */
export function separationView(runs: readonly SepRun[], delta: number, status: string): SeparationView & { binds: Binds } {
  const byDelta = [...runs].sort((a, b) => deltaOf(b) - deltaOf(a));
  const series = (labels: Labels, value: (r: SepRun) => number, use: (r: SepRun) => boolean) => {
    const out = { deltas: [] as number[], values: [] as number[] };
    for (const r of byDelta) if (labelsOf(r) === labels && use(r)) {
      out.deltas.push(deltaOf(r));
      out.values.push(value(r));
    }
    return out;
  };
  const lambda = series('sign', (r) => r.own.lambdaMin0, (r) => Number.isFinite(r.own.lambdaMin0));
  const sign = series('sign', rateOf, finished);
  const teacher = series('teacher', rateOf, finished);
  const curve = (labels: Labels) => {
    const r = runs.find((x) => deltaOf(x) === delta && labelsOf(x) === labels);
    const loss = r ? col(r, 'loss') : [];
    return { steps: r ? col(r, 'step') : [], ratio: loss.map((v) => v / loss[0]) };
  };
  const c = separationConfig(delta, 'sign');
  const at = (r: { deltas: number[]; values: number[] }, d: number) => r.values[r.deltas.indexOf(d)];
  let caption =
    `Width m = ${c.m}, L = ${c.L}, n = ${c.n} points on the unit sphere in d = ${c.d}, x\u2082 moved to distance \u03b4 from x\u2081; ` +
    `gradient descent with \u03b7 = ${c.lrScale}/\u03bb_max(K\u2080) for up to ${c.steps} steps; rate = \u2212ln(F_T/F\u2080)/T, the average fall of ln F per step over a run of T steps (it stops early at F \u2264 ${formatTolerance(c.eps)} F\u2080). `;
  const se = runs.find((e) => deltaOf(e) === delta && labelsOf(e) === 'sign');
  const sr = at(sign, delta);
  const tr = at(teacher, delta);
  if (se && Number.isFinite(se.own.lambdaMin0)) caption += `At \u03b4 = ${delta}: \u03bb_min(K\u2080) = ${formatSci(se.own.lambdaMin0)}`;
  if (Number.isFinite(sr) && Number.isFinite(tr)) caption += `, rate ${formatSci(sr)} per step with sign labels and ${formatSci(tr)} with teacher labels.`;
  else if (se) caption += '.';
  const binds: Binds = {};
  if (sign.deltas.length >= 2 && teacher.deltas.length >= 2) {
    const lo = Math.min(...sign.deltas);
    const hi = Math.max(...sign.deltas);
    binds['separation.summary'] =
      `In the runs so far, moving \u03b4 from ${hi} to ${lo} took \u03bb_min(K\u2080) from ${formatSci(at(lambda, hi))} to ${formatSci(at(lambda, lo))}; ` +
      `the rate with sign labels went from ${formatSci(at(sign, hi))} to ${formatSci(at(sign, lo))} per step, with teacher labels from ` +
      `${formatSci(at(teacher, hi))} to ${formatSci(at(teacher, lo))}.`;
  }
  return { delta, lambda, rates: { sign, teacher }, curves: { sign: curve('sign'), teacher: curve('teacher') }, status, caption, binds };
}
