import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { SEPARATION_DELTAS } from '../../state/panelChoices.ts';
import type { RunHandle } from '../../train/runHandle.ts';
import type { PageState } from '../../state/urlState.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { createSeparationPanel, type SeparationView } from '../../viz/separation.ts';
import { bind } from './essayNumbers.ts';
import { initialChoice, recordChoice } from './choices.ts';
import { observeFigureReleasing } from './releaseLater.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';

/**
 * Wires the "separation" panel: each delta the reader picks trains two runs (random sign labels,
 * teacher labels) with x_2 moved to distance delta from x_1; the first record gives
 * lambda_min(K_0), the loss curve gives the rate. Runs pause off screen.
 */
type Labels = 'sign' | 'teacher';

export function separationConfig(delta: number, labels: Labels): RunConfig {
  // data seed 2: the close pair's random sign labels are opposite (checked: y = -1, +1)
  return { ...DEFAULT_CONFIG, m: 128, L: 1, n: 16, d: 8, dataSeed: 2, labels, closePairDelta: delta, steps: 300, every: 5, eps: 1e-6, lrScale: 0.5 };
}

interface Entry {
  delta: number;
  labels: Labels;
  handle: RunHandle;
  steps: number[];
  loss: number[];
  lambdaMin0: number;
  done: boolean;
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

export function mountSeparation(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let delta = Number(initialChoice(state, 'separation', 'delta'));
  let entries: Entry[] = [];
  let started = false;

  const panel = createSeparationPanel(figure, SEPARATION_DELTAS, { delta: pick }, {
    csv: () => ({
      columns: ['delta', 'labels', 'lambda_min_K0', 'rate', 'steps_run', 'final_loss_ratio'],
      rows: entries.map((e) => [e.delta, e.labels, e.lambdaMin0, fittedRate(e.steps, e.loss), e.steps[e.steps.length - 1], e.loss[e.loss.length - 1] / e.loss[0]]),
    }),
    basename: () => `separation_m128_L1_n16_dataseed2`,
  });
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  let toRedo: number[] = [];
  const letGoUnfinished = (): void => {
    // unfinished runs let go of their workers; their deltas train again on return
    for (const e of entries.filter((x) => !x.done)) {
      e.handle.cancel();
      if (!toRedo.includes(e.delta)) toRedo.push(e.delta);
    }
    entries = entries.filter((x) => x.done);
    redraw();
  };
  const lifecycle = observeFigureReleasing(figure, letGoUnfinished, (active) => {
    if (active) {
      for (const d of toRedo) ensure(d);
      toRedo = [];
    }
    if (active && !started) {
      started = true;
      for (const d of delta === 1 ? [1, 0.1] : [1, delta]) ensure(d); // two deltas so the trend shows from the start
    }
    for (const e of entries) {
      if (!e.handle.active) continue;
      if (active) e.handle.resume();
      else e.handle.pause();
    }
    redraw();
  });

  function pick(d: number): void {
    recordChoice(state, options, 'separation', 'delta', d);
    delta = d;
    started = true;
    ensure(d);
    redraw();
  }

  function ensure(d: number): void {
    for (const labels of ['sign', 'teacher'] as const) {
      if (entries.some((e) => e.delta === d && e.labels === labels)) continue;
      const entry: Entry = { delta: d, labels, handle: null as unknown as RunHandle, steps: [], loss: [], lambdaMin0: NaN, done: false };
      entry.handle = pool.start(
        { config: separationConfig(d, labels), measures: { ntk: true } },
        {
          records: (batch) => {
            for (let i = 0; i < batch.count; i++) {
              const step = batch.get(i, 'step');
              if (step === 0) entry.lambdaMin0 = batch.get(i, 'lambdaMin');
              entry.steps.push(step);
              entry.loss.push(batch.get(i, 'loss'));
            }
            redraw();
          },
          done: () => {
            entry.done = true;
            redraw();
          },
          error: () => {
            entry.done = true;
            redraw();
          },
        },
        { first: d === delta, paused: !lifecycle.active },
      );
      entries.push(entry);
    }
  }

  function view(): SeparationView {
    const byDelta = [...entries].sort((a, b) => b.delta - a.delta);
    const lambda = { deltas: [] as number[], values: [] as number[] };
    for (const e of byDelta) if (e.labels === 'sign' && Number.isFinite(e.lambdaMin0)) {
      lambda.deltas.push(e.delta);
      lambda.values.push(e.lambdaMin0);
    }
    const rates = (labels: Labels) => {
      const out = { deltas: [] as number[], values: [] as number[] };
      for (const e of byDelta) if (e.labels === labels && e.done) {
        out.deltas.push(e.delta);
        out.values.push(fittedRate(e.steps, e.loss));
      }
      return out;
    };
    const curve = (labels: Labels) => {
      const e = entries.find((x) => x.delta === delta && x.labels === labels);
      return e ? { steps: e.steps, ratio: e.loss.map((v) => v / e.loss[0]) } : { steps: [], ratio: [] };
    };
    const running = entries.filter((e) => !e.done).length;
    const sign = rates('sign');
    const teacher = rates('teacher');
    const c = separationConfig(delta, 'sign');
    const at = (r: { deltas: number[]; values: number[] }, d: number) => r.values[r.deltas.indexOf(d)];
    let caption =
      `Width m = ${c.m}, L = ${c.L}, n = ${c.n} points on the unit sphere in d = ${c.d}, x\u2082 moved to distance \u03b4 from x\u2081; ` +
      `gradient descent with \u03b7 = ${c.lrScale}/\u03bb_max(K\u2080) for up to ${c.steps} steps; rate = \u2212ln(F_T/F\u2080)/T, the average fall of ln F per step over a run of T steps (it stops early at F \u2264 ${formatTolerance(c.eps)} F\u2080). `;
    const se = entries.find((e) => e.delta === delta && e.labels === 'sign');
    const sr = at(sign, delta);
    const tr = at(teacher, delta);
    if (se && Number.isFinite(se.lambdaMin0)) caption += `At \u03b4 = ${delta}: \u03bb_min(K\u2080) = ${formatSci(se.lambdaMin0)}`;
    if (Number.isFinite(sr) && Number.isFinite(tr)) caption += `, rate ${formatSci(sr)} per step with sign labels and ${formatSci(tr)} with teacher labels.`;
    else if (se) caption += '.';
    if (sign.deltas.length >= 2 && teacher.deltas.length >= 2) {
      const lo = Math.min(...sign.deltas);
      const hi = Math.max(...sign.deltas);
      bind(
        'separation.summary',
        `In the runs so far, moving \u03b4 from ${hi} to ${lo} took \u03bb_min(K\u2080) from ${formatSci(at(lambda, hi))} to ${formatSci(at(lambda, lo))}; ` +
          `the rate with sign labels went from ${formatSci(at(sign, hi))} to ${formatSci(at(sign, lo))} per step, with teacher labels from ` +
          `${formatSci(at(teacher, hi))} to ${formatSci(at(teacher, lo))}.`,
      );
    }
    figure.dataset.lambdaMin = se && Number.isFinite(se.lambdaMin0) ? String(se.lambdaMin0) : '';
    figure.dataset.runs = String(entries.length);
    figure.dataset.done = String(entries.filter((e) => e.done).length);
    return {
      delta,
      lambda,
      rates: { sign, teacher },
      curves: { sign: curve('sign'), teacher: curve('teacher') },
      status: !started ? 'Starts when the figure comes into view.' : running ? `Training ${running} run${running > 1 ? 's' : ''}\u2026` : `${entries.length} runs done; pick another \u03b4 to add two more.`,
      caption,
    };
  }

  redraw();
  return {
    state,
    dispose() {
      lifecycle.disconnect();
      for (const e of entries) e.handle.cancel();
    },
  };
}
