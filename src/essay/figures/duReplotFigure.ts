import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { createDuPanel, type DuCurve, type DuView } from '../../viz/duFigure.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, type Run } from './runSet.ts';

/**
 * Wires the "du-figure" panel: one run per width (the paper's network with L = 1: W_1 trained,
 * A and B fixed), records with the flip fraction, and 'neurons' probes polled while each run
 * trains for the largest per-neuron distance from init. Each run is let go once it ends.
 */
export const DU_WIDTHS: readonly number[] = [32, 128, 512];

export function duConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 1, n: 32, d: 16, labels: 'gaussian', steps: 300, every: 5, eps: 1e-4, lrScale: 0.5 };
}

/** A run's largest per-neuron distance from init, as the probes bring it. */
export interface Neurons {
  steps: number[];
  distance: number[];
  asking: boolean;
}
type DuRun = Run<Neurons>;

export function mountDuFigure(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'du-figure', options, (figure) => {
    const set = figure.runs<Neurons>({
      measures: { flips: true },
      fields: ['flipFrac'],
      probes: true,
      // W_1 = W_1(0) at step 0: the distance starts at exactly 0
      own: () => ({ steps: [0], distance: [0], asking: false }),
      records: (run) => {
        if (!run.own.asking) ask(run, false);
      },
      done: (run) => ask(run, true),
    });
    const startAll = (): void => {
      set.startAll(DU_WIDTHS.map((m) => ({ key: `m${m}`, config: duConfig(m) })));
    };
    function ask(run: DuRun, last: boolean): void {
      const e = run.own;
      if (e.asking && !last) return;
      e.asking = true;
      run.handle.probe({ kind: 'neurons' }, (result, done) => {
        if (result?.kind === 'neurons') {
          const prev = e.steps[e.steps.length - 1];
          if (prev === undefined || result.step > prev) {
            e.steps.push(result.step);
            e.distance.push(result.maxDistance);
          }
        }
        if (done) {
          e.asking = false;
          if (last) run.handle.cancel(); // the last distance is in: let the worker go
        }
        figure.redraw();
      });
    }
    const panel = createDuPanel(root, { restart: startAll }, {
      csv: () => {
        const rows: unknown[][] = [];
        for (const c of set.runs.map(duCurve)) {
          c.steps.forEach((s, i) => rows.push([c.m, 'loss', s, c.loss[i]]));
          c.flipSteps.forEach((s, i) => rows.push([c.m, 'pattern_changes_percent', s, c.flips[i]]));
          c.neuronSteps.forEach((s, i) => rows.push([c.m, 'max_neuron_distance', s, c.neuron[i]]));
        }
        return { columns: ['width', 'quantity', 'iteration', 'value'], rows };
      },
      basename: () => `du-figure_m${DU_WIDTHS.join('-')}_L1_n32_d16_seed1`,
    });
    return {
      ...calmSetParts(figure, set, startAll,
        () => panel.update(duView(set.runs, setStatus(set, { active: figure.active }))),
        () => set.runs.map((r) => (r.end ? r.own.steps.length : '')).join(),
      ),
    };
  });
}

/** One width's three curves: the loss, the patterns changed (percent), the largest neuron move. */
export function duCurve(run: DuRun): DuCurve {
  const m = run.spec.config.m;
  const steps = col(run, 'step');
  const flipSteps: number[] = [];
  const flips: number[] = [];
  col(run, 'flipFrac').forEach((f, i) => {
    if (!Number.isFinite(f)) return;
    flipSteps.push(steps[i]);
    flips.push(100 * f);
  });
  const note = runNote(run, { unit: 'iteration' });
  return { m, tone: DU_WIDTHS.indexOf(m) / (DU_WIDTHS.length - 1), steps, loss: col(run, 'loss'), flipSteps, flips, neuronSteps: run.own.steps, neuron: run.own.distance, note };
}

export function duView(runs: readonly DuRun[], status: string): DuView {
  const curves = runs.map(duCurve);
  const c = duConfig(DU_WIDTHS[0]);
  let caption =
    `n = ${c.n} points on the unit sphere in d = ${c.d} with Gaussian labels; the paper's network with L = ${c.L} ` +
    `(only W\u2081 trained, A and B fixed), full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb_max(K\u2080), ` +
    `to F \u2264 ${formatTolerance(c.eps)} F\u2080 or ${c.steps} iterations. `;
  const finished = curves.filter((cv, i) => (runs[i].end || runs[i].error) && cv.flips.length && cv.neuron.length);
  if (finished.length) {
    const at = (cv: DuCurve) => `m = ${cv.m}: ${formatSci(cv.flips[cv.flips.length - 1], 2)}% patterns changed, largest neuron move ${formatSci(cv.neuron[cv.neuron.length - 1], 2)}`;
    caption += `At the end: ${finished.map(at).join('; ')}.`;
  }
  return { curves, status, caption };
}
