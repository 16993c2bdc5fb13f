import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { NTK_WIDTHS } from '../../state/panelChoices.ts';
import type { ProbeResult } from '../../train/probes.ts';
import { KernelResidualPredictor } from '../../train/panelData.ts';
import { formatInt, formatSci } from '../../viz/format.ts';
import { createNtkPanel, type NtkView } from '../../viz/ntk.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote } from './runNote.ts';
import { pollProbe } from './probePolling.ts';
import type { Run, RunSet } from './runSet.ts';

/**
 * Wires the "ntk" panel: one run with probes at the chosen width; while it trains, kernel probes
 * come back one after another (K_0, K_t, spectra, r_t and the frozen kernel's prediction). The run
 * starts when the figure first comes on screen, is held until K_0 is in (so the residual curve
 * starts at r_0), and pauses whenever the figure leaves.
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

/** What the kernel probes have brought for one launch of the run. */
export interface Kernels {
  kernel: KernelResult | null;
  first?: KernelResult; // the step-0 answer: K_0 and r_0
  residual: { steps: number[]; actual: number[]; predicted: number[] };
  asking: boolean;
  finalAsked: boolean;
}
type NtkRun = Run<Kernels>;

/** Takes a kernel probe's answer: the latest kernel, and a point of the residual curves (steps only go forward). */
export function takeKernel(o: Kernels, k: KernelResult): void {
  o.kernel = k;
  if (k.step === 0) o.first = k;
  const last = o.residual.steps[o.residual.steps.length - 1];
  if (last !== undefined && k.step <= last) return;
  o.residual.steps.push(k.step);
  o.residual.actual.push(norm(k.residual));
  o.residual.predicted.push(norm(k.predicted));
}

export function mountNtk(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'ntk', options, (figure) => {
    let width = Number(figure.choice('width'));
    const set: RunSet<Kernels> = figure.runs<Kernels>({
      probes: true,
      own: () => ({ kernel: null, residual: { steps: [], actual: [], predicted: [] }, asking: false, finalAsked: false }),
      ...pollProbe<Kernels>({
        set: () => set,
        key: 'ntk',
        request: { kind: 'kernel' },
        take: (run, result) => {
          if (result.kind !== 'kernel') return;
          takeKernel(run.own, result);
          if (result.step === 0) set.hold(run, false); // K_0 is in: train
        },
        redraw: () => figure.redraw(),
      }),
    });
    const start = (m: number): void => {
      width = m;
      set.start({ key: 'ntk', config: ntkConfig(m), first: true, held: true });
    };
    const panel = createNtkPanel(
      root,
      NTK_WIDTHS,
      {
        width: (m) => {
          figure.choose('width', m);
          start(m);
        },
        restart: () => start(width),
      },
      {
        csv: () => {
          const r = set.get('ntk')?.own.residual ?? { steps: [], actual: [], predicted: [] };
          return { columns: ['step', 'residual_norm', 'predicted_residual_norm'], rows: r.steps.map((s, i) => [s, r.actual[i], r.predicted[i]]) };
        },
        basename: () => `ntk_m${width}_L2_n16_seed1`,
      },
    );
    return {
      ...calmSetParts(figure, set, () => start(width),
        () => {
          const run = set.get('ntk');
          const subject = `width ${width}`;
          // held before K_0 is in: paused, but not for being off screen
          const waiting = figure.active && run?.held ? { paused: `Setting up ${subject} and K\u2080\u2026` } : {};
          const status = runNote(run, { form: 'status', subject, setup: `${subject} and K\u2080`, overrides: waiting });
          const { binds, drift, gap, ...view } = ntkView(width, run?.own ?? null, run?.info?.lr ?? NaN, status, Boolean(run?.end));
          bindAll(binds);
          root.dataset.drift = String(drift);
          root.dataset.gap = String(gap);
          panel.update(view);
        },
        () => ntkSettled(set.get('ntk')),
      ),
    };
  });
}

/** What a calm (reduced-motion) draw waits for: K_0 in, then the last kernel after the run ended. */
export function ntkSettled(run: NtkRun | undefined): string {
  const k = run?.own.kernel?.step;
  return run?.end ? `end:${k}` : k === 0 ? 'K0' : '';
}

/**
 * The frozen kernel's prediction ||(I - eta K_0)^t r_0|| at every step from 0 to `last` (K_0 and r_0
 * from the step-0 probe), so the dashed curve is the prediction itself, not a line between probes.
 */
export function densePrediction(k0: KernelResult | null, lr: number, last: number): { steps: number[]; values: number[] } {
  const out = { steps: [] as number[], values: [] as number[] };
  if (!k0 || k0.step !== 0 || !(lr > 0)) return out;
  const p = new KernelResidualPredictor(k0.K0, k0.N, lr, k0.residual);
  for (let t = 0; t <= last; t++) {
    out.steps.push(t);
    out.values.push(norm(p.advanceTo(t)));
  }
  return out;
}

/** The actual residual's norm over the frozen kernel's prediction at the latest probe: what the chart's end points show. */
export function endRatio(residual: Kernels['residual']): number {
  const n = residual.steps.length;
  return n > 1 ? residual.actual[n - 1] / residual.predicted[n - 1] : NaN;
}

/** The panel's view, the kernel's drift and the frozen kernel's gap, and the numbers the essay quotes. */
export function ntkView(width: number, o: Kernels | null, lr: number, status: string, ended: boolean): NtkView & { binds: Binds; drift: number; gap: number } {
  const k = o?.kernel ?? null;
  const residual = o?.residual ?? { steps: [], actual: [], predicted: [] };
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
  const ratio = endRatio(residual);
  const c = ntkConfig(width);
  let caption =
    `Width m = ${width}, L = ${c.L} trained layers, n = ${c.n} points in d = ${c.d}, full-batch gradient descent with ` +
    `\u03b7 = ${c.lrScale}/\u03bb_max(K\u2080)${Number.isFinite(lr) ? ` = ${formatSci(lr)}` : ''}. `;
  if (k && k.step > 0) {
    caption +=
      `At step ${k.step} the kernel has moved ${pct(drift)} from K\u2080 (Frobenius, relative), and ` +
      `at the last point of the residual chart the actual \u2016r\u209c\u2016 is ${formatSci(ratio, 3)} times the dashed prediction. ` +
      `Solid lines are measured at step t (the spectrum of K\u209c, the actual residual); dashed lines come from the kernel at initialization (the spectrum of K\u2080, the frozen-kernel prediction).`;
  }
  const final = Boolean(k && k.step > 0 && ended);
  const binds: Binds = { 'ntk.width': final ? String(width) : null, 'ntk.drift': final ? pct(drift) : null, 'ntk.gap': final ? pct(gap) : null, 'ntk.endRatio': final ? `${formatSci(ratio, 3)} times` : null };
  return {
    width,
    kernel: k ? { step: k.step, N: k.N, K0: k.K0, Kt: k.Kt, eig0: k.eigenvalues0, eigT: k.eigenvaluesT } : null,
    residual: { ...residual, dense: densePrediction(o?.first ?? null, lr, residual.steps[residual.steps.length - 1] ?? 0) },
    numbers: {
      step: k ? formatInt(k.step) : '\u2013',
      drift: pct(drift),
      lambdaMin0: k ? formatSci(minOf(k.eigenvalues0)) : '\u2013',
      lambdaMinT: k ? formatSci(minOf(k.eigenvaluesT)) : '\u2013',
      gap: Number.isFinite(ratio) ? `${formatSci(ratio, 3)}\u00d7` : '\u2013',
    },
    status,
    caption,
    binds,
    drift,
    gap,
  };
}
