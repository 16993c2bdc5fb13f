import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { countParams } from '../../net/network.ts';
import type { ProbeResult } from '../../train/probes.ts';
import { netSpecOf } from '../../train/netSpec.ts';
import { formatInt, formatSci } from '../../viz/format.ts';
import { createFitPanel, residualNorm, type FitPoint, type FitView } from '../../viz/fit.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote } from './runNote.ts';
import { pollProbe } from './probePolling.ts';
import type { RunSet } from './runSet.ts';

/**
 * Wires the "fit" panel: one run of the essay's default network with probes; an 'outputs' probe
 * (targets, outputs now and at initialization) when the run starts, again every so often while
 * it trains, and once when it ends. The run is held until the step-0 answer is in.
 */
type OutputsResult = Extract<ProbeResult, { kind: 'outputs' }>;

export function fitConfig(): RunConfig {
  return { ...DEFAULT_CONFIG, n: 16, d: 8, m: 256, L: 2, labels: 'gaussian', batch: 0, lrScale: 0.5, steps: 500, every: 10, eps: 1e-3 };
}

export interface Outputs {
  latest: OutputsResult | null;
  asking: boolean;
  finalAsked: boolean;
}

export function mountFit(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'fit', options, (figure) => {
    const set: RunSet<Outputs> = figure.runs<Outputs>({
      probes: true,
      own: () => ({ latest: null, asking: false, finalAsked: false }),
      ...pollProbe<Outputs>({
        set: () => set,
        key: 'fit',
        request: { kind: 'outputs' },
        take: (run, result) => {
          if (result.kind !== 'outputs' || result.step < (run.own.latest?.step ?? -1)) return;
          run.own.latest = result;
          if (result.step === 0) set.hold(run, false); // the step-0 outputs are in: train
        },
        redraw: () => figure.redraw(),
      }),
    });
    const start = (): void => {
      set.start({ key: 'fit', config: fitConfig(), first: true, held: true });
    };
    const panel = createFitPanel(
      root,
      { restart: start },
      {
        csv: () => {
          const pts = fitPoints(set.get('fit')?.own.latest ?? null) ?? [];
          return { columns: ['point', 'target', 'output_at_init', 'output_now'], rows: pts.map((p) => [p.i + 1, p.target, p.out0, p.out]) };
        },
        basename: () => 'fit_m256_L2_n16_d8_seed1',
      },
    );
    return {
      ...calmSetParts(figure, set, start,
        () => {
          const run = set.get('fit');
          const waiting = figure.active && run?.held ? { paused: 'Setting up the network and its outputs at initialization\u2026' } : {};
          const status = runNote(run, { form: 'status', subject: 'the network', setup: 'the network', overrides: waiting });
          const { binds, ...view } = fitView(run?.own.latest ?? null, run?.info?.lr ?? NaN, status, Boolean(run?.end));
          bindAll(binds);
          panel.update(view);
        },
        () => {
          const run = set.get('fit');
          const s = run?.own.latest?.step;
          return run?.end ? `end:${s}` : s === 0 ? 'init' : '';
        },
      ),
    };
  });
}

/** The probe's answer as points sorted by target (d_out = 1: one value per point). */
export function fitPoints(r: OutputsResult | null): FitPoint[] | null {
  if (!r) return null;
  const pts: FitPoint[] = Array.from({ length: r.N }, (_, i) => ({ i, target: r.targets[i], out0: r.outputs0[i], out: r.outputs[i] }));
  return pts.sort((a, b) => a.target - b.target || a.i - b.i);
}

/** The network's size in words, from its config. */
export function fitSize(c: RunConfig): string {
  const trained = countParams(netSpecOf(c)).trained;
  const layers = Array.from({ length: c.L }, (_, l) => `W${String.fromCharCode(0x2081 + l)}`).join(', ');
  return (
    `The network: n = ${c.n} training points in d = ${c.d} dimensions, m = ${c.m} ReLU units in each of L = ${c.L} hidden layers, ` +
    `one output (d_out = ${c.dOut}); ${formatInt(trained)} weights trained (${layers}, ${c.L} \u00d7 ${c.m} \u00d7 ${c.m}), A and B kept at their random start.`
  );
}

/** The panel's view and the numbers the essay quotes (once the run has ended). */
export function fitView(r: OutputsResult | null, lr: number, status: string, ended: boolean): FitView & { binds: Binds } {
  const c = fitConfig();
  const points = fitPoints(r);
  const now = points ? residualNorm(points, (p) => p.out) : NaN;
  const init = points ? residualNorm(points, (p) => p.out0) : NaN;
  const worst = points ? points.reduce((m, p) => Math.max(m, Math.abs(p.out - p.target)), 0) : NaN;
  const step = r ? r.step : null;
  const numbers = points
    ? `step t = ${formatInt(step!)} \u00b7 \u2016\u0177 \u2212 y\u2016 = ${formatSci(now, 3)} (at initialization ${formatSci(init, 3)}) \u00b7 largest |\u0177\u1d62 \u2212 y\u1d62| = ${formatSci(worst, 3)}`
    : '';
  let caption =
    `Each of the n = ${c.n} training points, sorted by its target y\u1d62 (Gaussian labels): the target as a hollow circle, ` +
    `the network's output \u0177\u1d62 as a filled dot, and between them a thin line, the residual \u0177\u1d62 \u2212 y\u1d62; faint marks are the outputs at initialization, solid ones at step t. ` +
    `Full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb_max(K\u2080)${Number.isFinite(lr) ? ` = ${formatSci(lr)}` : ''}, at most ${formatInt(c.steps)} steps or until F \u2264 ${c.eps} F\u2080.`;
  if (points && step !== null && step > 0)
    caption += ` At step ${formatInt(step)} the outputs are ${formatSci(now, 3)} from the targets (Euclidean norm over the ${c.n} points), ${formatSci(now / init, 2)} of the ${formatSci(init, 3)} at initialization.`;
  const final = Boolean(points && ended && step !== null && step > 0);
  const binds: Binds = {
    'fit.init': final ? formatSci(init, 3) : null,
    'fit.now': final ? formatSci(now, 3) : null,
    'fit.steps': final ? formatInt(step!) : null,
  };
  return { points, step, size: fitSize(c), numbers, status, caption, binds };
}
