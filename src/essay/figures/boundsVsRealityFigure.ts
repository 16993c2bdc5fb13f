import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { log10TheoremWidth, theoremDelta } from '../../train/panelData.ts';
import { createBoundsVsReality, tenTo, type BvrTried, type BvrView } from '../../viz/boundsVsReality.ts';
import { formatInt, formatSci, formatTolerance } from '../../viz/format.ts';
import { BVR_LS, BVR_NS } from '../../state/panelChoices.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { NOT_STARTED, runNote, runPhase } from './runNote.ts';
import type { Run } from './runSet.ts';

/**
 * Wires the "bounds-vs-reality" panel: for the reader's n and L, short real runs at widths that
 * double (2, 4, 8, ...), one at a time, until one trains to F <= eps F_0 within the step limit;
 * that is the width that works in practice. The theorem's width comes from the orders with
 * constants 1 (panelData.log10TheoremWidth) and the separation delta of the run's own data, capped at
 * 1/L as the theorem assumes delta <= O(1/L).
 */
export const BVR_SEARCH: readonly number[] = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
export const BVR_STEPS = 2000;
export const BVR_EPS = 1e-3;

export function bvrConfig(m: number, n: number, L: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, n, L, d: 8, labels: 'gaussian', lrScale: 0.5, steps: BVR_STEPS, every: 50, eps: BVR_EPS };
}

interface Loss {
  loss0: number;
  ratio: number;
}
type BvrRun = Run<Loss>;
type Searched = { n: number; L: number; practical: number | null; log10: number };

export function mountBoundsVsReality(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'bounds-vs-reality', options, (figure) => {
    let n = Number(figure.choice('n'));
    let L = Number(figure.choice('depth'));
    let practical: number | null = null;
    let delta: number | null = null;
    const history: Searched[] = [];
    const tryWidth = (i: number): void => {
      if (i < BVR_SEARCH.length) set.start({ key: `m${BVR_SEARCH[i]}`, config: bvrConfig(BVR_SEARCH[i], n, L) });
    };
    const next = (run: BvrRun): void => tryWidth(BVR_SEARCH.indexOf(run.spec.config.m) + 1);
    const set = figure.runs<Loss>({
      own: () => ({ loss0: NaN, ratio: NaN }),
      started: (_run, info) => (delta = info.delta),
      records: (run, batch) => {
        for (let k = 0; k < batch.count; k++) {
          const f = batch.get(k, 'loss');
          if (Number.isNaN(run.own.loss0)) run.own.loss0 = f;
          run.own.ratio = f / run.own.loss0;
        }
      },
      done: (run, end) => {
        if (end.reason !== 'converged') return next(run);
        practical = run.spec.config.m;
        const same = history.findIndex((h) => h.n === n && h.L === L);
        if (same >= 0) history.splice(same, 1);
        if (delta !== null) history.unshift({ n, L, practical, log10: log10TheoremWidth(n, L, delta) });
      },
      error: (run) => next(run),
    });
    const search = (): void => {
      set.clear();
      practical = null;
      delta = null;
      tryWidth(0);
    };
    const panel = createBoundsVsReality(
      root,
      { ns: BVR_NS, Ls: BVR_LS },
      {
        n: (v) => {
          if (v === n) return;
          figure.choose('n', v);
          n = v;
          search();
        },
        L: (v) => {
          if (v === L) return;
          figure.choose('depth', v);
          L = v;
          search();
        },
      },
      {
        csv: () => ({
          columns: ['n', 'depth', 'width', 'trained', 'loss_ratio_at_end', 'delta', 'log10_theorem_width'],
          rows: set.runs.map((r) => [n, L, r.spec.config.m, bvrTried(r).ok, r.own.ratio, delta, delta ? log10TheoremWidth(n, L, delta) : NaN]),
        }),
        basename: () => `bounds-vs-reality_n${n}_L${L}_d8_seed1`,
      },
    );
    return {
      ...calmSetParts(figure, set, search,
        () => {
          const tried = set.runs.map(bvrTried);
          let status = NOT_STARTED;
          if (practical) status = `Width ${practical} is the smallest of the widths tried that trains.`;
          else if (set.running) status = `Trying width ${tried[tried.length - 1].m}${figure.active ? '\u2026' : ' (paused while out of view)'}`;
          else if (set.started) status = `No width up to ${BVR_SEARCH[BVR_SEARCH.length - 1]} trained within ${formatInt(BVR_STEPS)} steps.`;
          const { binds, ...view } = bvrView({ n, L, tried, practical, delta, history, status });
          bindAll(binds);
          panel.update(view);
        },
        () => `${practical}`,
      ),
    };
  });
}

/** A width of the search: trained, not, or still going, with what its run says. */
export function bvrTried(run: BvrRun): BvrTried {
  const ratio = formatSci(run.own.ratio, 2);
  const phase = runPhase(run);
  const step = formatInt(run.end?.step ?? 0);
  const ok = run.end ? phase === 'converged' : run.error !== null ? false : null;
  const note = runNote(run, {
    overrides: {
      converged: `reached F \u2264 ${formatTolerance(BVR_EPS)} F\u2080 in ${step} steps`,
      steps: `F/F\u2080 = ${ratio} after ${step} steps`,
      stopped: `F/F\u2080 = ${ratio} after ${step} steps`,
      running: Number.isFinite(run.own.ratio) ? `training: F/F\u2080 = ${ratio}` : 'training\u2026',
    },
  });
  return { m: run.spec.config.m, ok, note };
}

export interface BvrState {
  n: number;
  L: number;
  tried: BvrTried[];
  practical: number | null;
  delta: number | null;
  history: readonly Searched[];
  status: string;
}

/** The panel's view and the numbers the essay quotes. */
export function bvrView(s: BvrState): BvrView & { binds: Binds } {
  const { n, L, practical, delta } = s;
  const log10 = delta !== null ? log10TheoremWidth(n, L, delta) : null;
  let numbers = '';
  if (delta !== null && log10 !== null) {
    const used = theoremDelta(delta, L);
    const capped = used < delta ? `, capped at 1/L: \u03b4 used = min(\u03b4, 1/L) = ${used.toFixed(3)}` : ` (\u2264 1/L = ${(1 / L).toFixed(3)}, used as is)`;
    numbers =
      `separation \u03b4 = ${delta.toFixed(3)}${capped} \u00b7 theorem: log\u2081\u2080 m \u2265 24\u00b7log\u2081\u2080 ${n} + 12\u00b7log\u2081\u2080 ${L} ` +
      `\u2212 8\u00b7log\u2081\u2080 ${used.toFixed(3)} = ${log10.toFixed(1)}`;
    if (practical) numbers += ` \u00b7 in practice m = ${practical} (${tenTo(Math.log10(practical), 2)}): a gap of ${tenTo(log10 - Math.log10(practical))}`;
  }
  const c = bvrConfig(2, n, L);
  const caption =
    `For n = ${n} random points of the unit sphere in d = ${c.d} with Gaussian labels and depth L = ${L}: runs of full-batch gradient descent ` +
    `(\u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080)) at widths ${BVR_SEARCH.slice(0, 4).join(', ')}, \u2026 in turn, each for at most ${formatInt(BVR_STEPS)} steps, ` +
    `until one brings the loss to ${formatTolerance(BVR_EPS)} of where it started (filled dots trained, hollow ones did not). ` +
    `The red mark is the width the theorem's orders ask for, n\u00b2\u2074L\u00b9\u00b2/\u03b4\u2078 with every constant set to 1, with \u03b4 the smallest distance between two of these points, capped at 1/L (\u03b4 used = min(\u03b4, 1/L)) because the theorem assumes \u03b4 \u2264 O(1/L).`;
  const binds: Binds = {
    'bounds-vs-reality.theorem': log10 !== null ? tenTo(log10) : null,
    'bounds-vs-reality.practical': practical ? String(practical) : null,
    'bounds-vs-reality.gap': practical && log10 !== null ? tenTo(log10 - Math.log10(practical)) : null,
    'bounds-vs-reality.n': String(n),
    'bounds-vs-reality.L': String(L),
    'bounds-vs-reality.delta': delta !== null ? delta.toFixed(3) : null,
    'bounds-vs-reality.deltaUsed': delta !== null ? theoremDelta(delta, L).toFixed(3) : null,
  };
  const history = s.history
    .filter((h) => h.n !== n || h.L !== L)
    .slice(0, 6)
    .map((h) => `n = ${h.n}, L = ${h.L}: trained at m = ${h.practical}; the theorem asks for ${tenTo(h.log10)}`);
  return { n, L, tried: s.tried, practical, log10Theorem: log10, history, numbers, status: s.status, caption, binds };
}
