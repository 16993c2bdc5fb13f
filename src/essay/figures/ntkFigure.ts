import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { NTK_WIDTHS } from '../../state/panelChoices.ts';
import type { ProbeResult } from '../../train/probes.ts';
import type { RunHandle } from '../../train/runHandle.ts';
import type { PageState } from '../../state/urlState.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatInt, formatSci } from '../../viz/format.ts';
import { createNtkPanel, type NtkView } from '../../viz/ntk.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { bind } from './essayNumbers.ts';
import { initialChoice, recordChoice } from './choices.ts';
import { observeFigureReleasing } from './releaseLater.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';

/**
 * Wires the "ntk" panel: one run with probes at the chosen width; while it trains, kernel probes
 * come back one after another (K_0, K_t, spectra, r_t and the frozen kernel's prediction). The run
 * starts when the figure first comes on screen and pauses whenever it leaves.
 */

type KernelResult = Extract<ProbeResult, { kind: 'kernel' }>;

export function ntkConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 2, n: 16, d: 8, steps: 300, every: 5, eps: 1e-4, lrScale: 0.5 };
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

export function kernelDriftF(K0: Float64Array, Kt: Float64Array): number {
  let d = 0;
  let b = 0;
  for (let i = 0; i < K0.length; i++) {
    d += (Kt[i] - K0[i]) ** 2;
    b += K0[i] ** 2;
  }
  return Math.sqrt(d / b);
}

export function mountNtk(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let width = Number(initialChoice(state, 'ntk', 'width'));
  let handle: RunHandle | null = null;
  let kernel: KernelResult | null = null;
  let asking = false;
  let finalAsked = false;
  let lr = NaN;
  let ended = '';
  let residual = { steps: [] as number[], actual: [] as number[], predicted: [] as number[] };
  let started = false;

  const panel = createNtkPanel(figure, NTK_WIDTHS, {
    width: (m) => {
      recordChoice(state, options, 'ntk', 'width', m);
      start(m);
    },
    restart: () => start(width),
  }, {
    csv: () => ({
      columns: ['step', 'residual_norm', 'predicted_residual_norm'],
      rows: residual.steps.map((s, i) => [s, residual.actual[i], residual.predicted[i]]),
    }),
    basename: () => `ntk_m${width}_L2_n16_seed1`,
  });
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  const letGoUnfinished = (): void => {
    // still training off screen: let the worker go, and train again on return
    if (handle?.active) {
      handle.cancel();
      handle = null;
      started = false;
      redraw();
    }
  };
  const lifecycle = observeFigureReleasing(figure, letGoUnfinished, (active) => {
    if (active && !started) start(width);
    else if (handle?.active) {
      if (active && kernel) handle.resume();
      else handle.pause();
    }
    redraw();
  });

  function start(m: number): void {
    handle?.cancel();
    started = true;
    width = m;
    kernel = null;
    asking = false;
    finalAsked = false;
    ended = '';
    lr = NaN;
    residual = { steps: [], actual: [], predicted: [] };
    const h = pool.start(
      { config: ntkConfig(m), probes: true },
      {
        started: (info) => {
          lr = info.lr;
          ask(h);
        },
        records: () => {
          if (!asking) ask(h);
          redraw();
        },
        done: (end) => {
          ended = end.reason === 'converged' ? `converged at step ${formatInt(end.step)}` : `ended at step ${formatInt(end.step)}`;
          finalAsked = true;
          ask(h, true);
        },
        error: (msg) => {
          ended = `the run failed: ${msg}`;
          redraw();
        },
        state: () => redraw(),
      },
      // held until the kernel at step 0 is in, so the residual curve starts at r_0
      { first: true, paused: true },
    );
    handle = h;
    redraw();
  }

  function ask(h: RunHandle, last = false): void {
    if (h !== handle || (asking && !last)) return;
    asking = true;
    h.probe({ kind: 'kernel' }, (result, done, error) => {
      if (h !== handle) return;
      if (result?.kind === 'kernel') take(result);
      if (done) {
        asking = false;
        if (last || error) {
          // the last kernel is in: let the worker go
          if (finalAsked) h.cancel();
        } else if (h.active && h.state === 'running' && !finalAsked) {
          setTimeout(() => ask(h), 120);
        }
      }
      redraw();
    });
  }

  function take(k: KernelResult): void {
    kernel = k;
    if (k.step === 0 && handle && lifecycle.active) handle.resume();
    const last = residual.steps[residual.steps.length - 1];
    if (last === k.step) return;
    if (last !== undefined && k.step < last) return;
    residual.steps.push(k.step);
    residual.actual.push(norm(k.residual));
    residual.predicted.push(norm(k.predicted));
  }

  function view(): NtkView {
    const k = kernel;
    const r0 = residual.actual[0];
    let gap = NaN;
    if (k && r0 > 0) {
      let s = 0;
      for (let i = 0; i < k.N; i++) s += (k.residual[i] - k.predicted[i]) ** 2;
      gap = Math.sqrt(s) / r0;
    }
    const minOf = (e: Float64Array) => e.reduce((a, b) => Math.min(a, b), Infinity);
    const drift = k ? kernelDriftF(k.K0, k.Kt) : NaN;
    const pct = (x: number) => (Number.isFinite(x) ? `${formatSci(100 * x, 2)}%` : '\u2013');
    const h = handle;
    let status = 'Starts when the figure comes into view.';
    if (h) {
      if (ended) status = `Width ${width}: ${ended}.`;
      else if (h.state === 'queued') status = 'Waiting for a free worker\u2026';
      else if (h.state === 'starting') status = `Setting up width ${width} and K\u2080\u2026`;
      else if (h.state === 'paused') status = 'Paused while out of view.';
      else status = `Training width ${width}, step ${formatInt(h.progress.step)}.`;
    }
    const c = ntkConfig(width);
    let caption =
      `Width m = ${width}, L = ${c.L} trained layers, n = ${c.n} points in d = ${c.d}, full-batch gradient descent with ` +
      `\u03b7 = ${c.lrScale}/\u03bb_max(K\u2080)${Number.isFinite(lr) ? ` = ${formatSci(lr)}` : ''}. `;
    if (k && k.step > 0) {
      caption +=
        `At step ${k.step} the kernel has moved ${pct(drift)} from K\u2080 (Frobenius, relative), and the residual the frozen ` +
        `kernel predicts is off by ${pct(gap)} of \u2016r\u2080\u2016.`;
    }
    if (k && k.step > 0 && ended) {
      bind('ntk.width', String(width));
      bind('ntk.drift', pct(drift));
      bind('ntk.gap', pct(gap));
    }
    figure.dataset.drift = String(drift);
    figure.dataset.gap = String(gap);
    return {
      width,
      kernel: k ? { step: k.step, N: k.N, K0: k.K0, Kt: k.Kt, eig0: k.eigenvalues0, eigT: k.eigenvaluesT } : null,
      residual,
      numbers: {
        step: k ? formatInt(k.step) : '\u2013',
        drift: pct(drift),
        lambdaMin0: k ? formatSci(minOf(k.eigenvalues0)) : '\u2013',
        lambdaMinT: k ? formatSci(minOf(k.eigenvaluesT)) : '\u2013',
        gap: pct(gap),
      },
      status,
      caption,
    };
  }

  redraw();
  return {
    state,
    dispose() {
      lifecycle.disconnect();
      handle?.cancel();
    },
  };
}
