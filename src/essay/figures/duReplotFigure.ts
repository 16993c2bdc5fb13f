import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { RunHandle } from '../../train/runHandle.ts';
import type { PageState } from '../../state/urlState.ts';
import { createDuPanel, type DuCurve, type DuView } from '../../viz/duFigure.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatInt, formatSci, formatTolerance } from '../../viz/format.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { observeFigureReleasing } from './releaseLater.ts';

/**
 * Wires the "du-figure" panel: one run per width (the paper's network with L = 1: W_1 trained,
 * A and B fixed), records with the flip fraction, and 'neurons' probes polled while each run
 * trains for the largest per-neuron distance from init. Each run is let go once it ends.
 */
export const DU_WIDTHS: readonly number[] = [32, 128, 512];

export function duConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 1, n: 32, d: 16, labels: 'gaussian', steps: 300, every: 5, eps: 1e-4, lrScale: 0.5 };
}

interface Entry {
  curve: DuCurve;
  handle: RunHandle;
  asking: boolean;
  end: string;
  lossEnd: number;
}

export function mountDuFigure(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let entries: Entry[] = [];
  let started = false;

  const panel = createDuPanel(figure, { restart: () => startAll() }, {
    csv: () => {
      const rows: unknown[][] = [];
      for (const e of entries) {
        const c = e.curve;
        c.steps.forEach((s, i) => rows.push([c.m, 'loss', s, c.loss[i]]));
        c.flipSteps.forEach((s, i) => rows.push([c.m, 'pattern_changes_percent', s, c.flips[i]]));
        c.neuronSteps.forEach((s, i) => rows.push([c.m, 'max_neuron_distance', s, c.neuron[i]]));
      }
      return { columns: ['width', 'quantity', 'iteration', 'value'], rows };
    },
    basename: () => `du-figure_m${DU_WIDTHS.join('-')}_L1_n32_d16_seed1`,
  });
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  let redo = false;
  const letGoUnfinished = (): void => {
    // unfinished runs let go of their workers; all widths train again on return
    if (!entries.some((e) => !e.end)) return;
    for (const e of entries) e.handle.cancel();
    redo = true;
    redraw();
  };
  const lifecycle = observeFigureReleasing(figure, letGoUnfinished, (active) => {
    if (active && (!started || redo)) {
      redo = false;
      startAll();
    }
    for (const e of entries) {
      if (!e.handle.active) continue;
      if (active) e.handle.resume();
      else e.handle.pause();
    }
    redraw();
  });

  function startAll(): void {
    for (const e of entries) e.handle.cancel();
    started = true;
    entries = DU_WIDTHS.map((m, k) => {
      const entry: Entry = {
        // W_1 = W_1(0) at step 0: the distance starts at exactly 0
        curve: { m, tone: k / (DU_WIDTHS.length - 1), steps: [], loss: [], flipSteps: [], flips: [], neuronSteps: [0], neuron: [0], note: 'waiting' },
        handle: null as unknown as RunHandle,
        asking: false,
        end: '',
        lossEnd: NaN,
      };
      entry.handle = pool.start(
        { config: duConfig(m), measures: { flips: true }, probes: true },
        {
          records: (batch) => {
            const c = entry.curve;
            for (let i = 0; i < batch.count; i++) {
              const s = batch.get(i, 'step');
              c.steps.push(s);
              c.loss.push(batch.get(i, 'loss'));
              const f = batch.get(i, 'flipFrac');
              if (Number.isFinite(f)) {
                c.flipSteps.push(s);
                c.flips.push(100 * f);
              }
            }
            entry.lossEnd = c.loss[c.loss.length - 1];
            if (!entry.asking) ask(entry, false);
            redraw();
          },
          done: (end) => {
            entry.end = end.reason === 'converged' ? `converged in ${formatInt(end.step)} iterations` : `stopped at ${formatInt(end.step)} iterations`;
            ask(entry, true);
            redraw();
          },
          error: (msg) => {
            entry.end = `failed: ${msg}`;
            redraw();
          },
          state: () => redraw(),
        },
        { paused: !lifecycle.active },
      );
      return entry;
    });
    redraw();
  }

  function ask(e: Entry, last: boolean): void {
    if (e.asking && !last) return;
    e.asking = true;
    e.handle.probe({ kind: 'neurons' }, (result, done) => {
      if (result?.kind === 'neurons') {
        const c = e.curve;
        const prev = c.neuronSteps[c.neuronSteps.length - 1];
        if (prev === undefined || result.step > prev) {
          c.neuronSteps.push(result.step);
          c.neuron.push(result.maxDistance);
        }
      }
      if (done) {
        e.asking = false;
        if (last) e.handle.cancel(); // the last distance is in: let the worker go
      }
      redraw();
    });
  }

  function view(): DuView {
    const curves = entries.map((e) => {
      const h = e.handle;
      e.curve.note =
        e.end ||
        (h.state === 'queued' ? 'waiting for a worker' : h.state === 'starting' ? 'setting up' : h.state === 'paused' ? `paused at ${formatInt(h.progress.step)}` : `iteration ${formatInt(h.progress.step)}`);
      return e.curve;
    });
    const c = duConfig(DU_WIDTHS[0]);
    let caption =
      `n = ${c.n} points on the unit sphere in d = ${c.d} with Gaussian labels; the paper's network with L = ${c.L} ` +
      `(only W\u2081 trained, A and B fixed), full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb_max(K\u2080), ` +
      `to F \u2264 ${formatTolerance(c.eps)} F\u2080 or ${c.steps} iterations. `;
    const finished = entries.filter((e) => e.end && e.curve.flips.length && e.curve.neuron.length);
    if (finished.length) {
      caption +=
        'At the end: ' +
        finished
          .map((e) => `m = ${e.curve.m}: ${formatSci(e.curve.flips[e.curve.flips.length - 1], 2)}% patterns changed, largest neuron move ${formatSci(e.curve.neuron[e.curve.neuron.length - 1], 2)}`)
          .join('; ') +
        '.';
    }
    const running = entries.filter((e) => !e.end).length;
    return {
      curves,
      status: !started ? 'Starts when the figure comes into view.' : running ? `Training ${running} width${running > 1 ? 's' : ''}\u2026` : 'All widths done.',
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
