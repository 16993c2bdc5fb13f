import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { createBallVsDistance, type BvdView, type BvdWidth } from '../../viz/ballVsDistance.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { rankTone } from '../../viz/widthTone.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { compareSlope, fitLine, slopeText, type Slope } from './fits.ts';
import { calmDraw } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import type { Run } from './runSet.ts';

/**
 * Wires the "ball-vs-distance" panel: one run per width to F <= eps F_0; when a run ends, a
 * 'distance' probe measures each trained layer's distance from initialization (Frobenius and
 * spectral) and the initial weights' spectral norm, and the run is let go.
 *
 * The fixed scale is ||W_0,l||_2, measured: for N(0, 2/m) entries it is about 2 sqrt 2 at every m.
 * The paper's ball ||W_l - W_0,l||_2 <= omega has omega = O(delta^{3/2}/(n\u2079\u141f\u00b2 L^6 log^3 m)):
 * fixed in m but for log factors, with constants the paper does not give, so no radius is drawn as
 * "omega"; the weights' own scale is the m-independent yardstick, and omega is some fixed fraction
 * of it. The distance training needs shrinks like 1/sqrt(m) (O(n^3 log m/(delta sqrt m))).
 */
export const BVD_WIDTHS: readonly number[] = [32, 64, 128, 256, 512, 1024];
export const BVD_DEPTH = 2;
/** "Fixed": the largest ||W_0||_2 over the widths is within this factor of the smallest. */
export const FIXED_FACTOR = 1.25;

export function bvdConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: BVD_DEPTH, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 10, eps: 1e-4 };
}

export interface Distances {
  fro: number;
  spec: number[];
  initSpec: number[];
}

export function mountBallVsDistance(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'ball-vs-distance', options, (figure) => {
    const measured = new Map<number, Distances>();
    const set = figure.runs({ probes: true, done: (t) => fetchDistance(t) });
    function fetchDistance(t: Run): void {
      t.handle.probe({ kind: 'distance' }, (r, done) => {
        if (!done) return;
        if (r && r.kind === 'distance') measured.set(r.m, { fro: Math.hypot(...r.froPerLayer), spec: r.specPerLayer, initSpec: r.initSpecPerLayer });
        t.handle.cancel(); // measured: let the worker go
        figure.redraw();
      });
    }
    const panel = createBallVsDistance(root, {
      csv: () => ({
        columns: ['width', 'depth', 'layer', 'dist_fro_all_layers', 'dist_spec_layer', 'init_spec_layer'],
        rows: [...measured.entries()].flatMap(([m, d]) => d.spec.map((s, l) => [m, BVD_DEPTH, l + 1, d.fro, s, d.initSpec[l]])),
      }),
      basename: () => `ball-vs-distance_m${BVD_WIDTHS.join('-')}_L${BVD_DEPTH}_n16_d8_seed1`,
    });
    return {
      ...set.lifecycle(() => {
        measured.clear();
        set.startAll(BVD_WIDTHS.map((m) => ({ key: `m${m}`, config: bvdConfig(m) })));
      }),
      draw: calmDraw(
        figure,
        () => set.runs,
        () => {
          const { binds, ...view } = ballVsDistanceView(set.runs, measured, setStatus(set, { active: figure.active }));
          bindAll(binds);
          panel.update(view);
        },
        () => `${measured.size}`,
      ),
    };
  });
}

export function bvdWidth(t: Run, d: Distances | undefined): BvdWidth {
  const m = t.spec.config.m;
  const spec = d?.spec ?? [];
  const initSpec = d?.initSpec ?? [];
  const relative = spec.length ? Math.max(...spec.map((s, l) => s / initSpec[l])) : NaN;
  return { m, tone: rankTone(m, BVD_WIDTHS), fro: d?.fro ?? NaN, spec, initSpec, relative, note: d ? runNote(t) : t.end ? 'measuring the distance\u2026' : runNote(t) };
}

export type ScaleVerdict = 'fixed' | 'varies';

/** Whether the scale ||W_0||_2 stays within FIXED_FACTOR over the widths. */
export function scaleVerdict(scales: readonly number[]): { verdict: ScaleVerdict; factor: number } {
  const factor = Math.max(...scales) / Math.min(...scales);
  return { verdict: factor <= FIXED_FACTOR ? 'fixed' : 'varies', factor };
}

/** What the fitted slope of the distance says: it falls, rises, or neither (its 95% interval). */
export function distanceTrend(fit: Slope): 'shrinks as the width grows' | 'grows with the width' | 'shows no clear trend with the width' {
  return fit.hi < 0 ? 'shrinks as the width grows' : fit.lo > 0 ? 'grows with the width' : 'shows no clear trend with the width';
}

/** The panel's view and the sentences the essay quotes, from the runs and their measured distances. */
export function ballVsDistanceView(runs: readonly Run[], measured: ReadonlyMap<number, Distances>, status: string): BvdView & { binds: Binds } {
  const widths = runs.map((t) => bvdWidth(t, measured.get(t.spec.config.m)));
  const done = widths.filter((w) => w.fro > 0).sort((a, b) => a.m - b.m);
  const fitFro = fitLine(done.map((w) => ({ m: w.m, y: w.fro })));
  const fitRel = fitLine(done.map((w) => ({ m: w.m, y: w.relative })));
  const c = bvdConfig(BVD_WIDTHS[0]);
  const pending = widths.filter((w) => !(w.fro > 0)).sort((a, b) => a.m - b.m).map((w) => `m = ${w.m}: ${w.note}`);
  const parts = done.map((w) => `m = ${w.m} (${w.note}): \u2016W_T \u2212 W\u2080\u2016_F = ${formatSci(w.fro, 3)}, ${formatSci(100 * w.relative, 2)}% of \u2016W\u2080\u2016\u2082`);
  parts.push(...pending);
  if (fitFro) parts.push(`slope of \u2016W_T \u2212 W\u2080\u2016_F: ${slopeText(fitFro)}`);
  const caption =
    `Look first at the two kinds of line in the first chart: the grey dashed ones, the spectral norm \u2016W\u2080\u2016\u2082 of each trained layer at initialization, stay level as m grows; ` +
    `the dots, how far training moved the weights, fall. The paper\u2019s ball has a radius \u03c9 that is essentially fixed in m (\u03c9 = O(\u03b4\u00b3\u141f\u00b2/(n\u2079\u141f\u00b2L\u2076 log\u00b3 m))) but whose constants are not known, ` +
    `so it is not drawn as a number: \u2016W\u2080\u2016\u2082 (about 2\u221a2 for N(0, 2/m) entries, at any m) is the m-independent scale here, and \u03c9 is some fixed fraction of it. ` +
    `The distance training needs shrinks like 1/\u221am, so past some width it fits inside any fixed ball. The second chart shows that share directly. ` +
    `Settings: widths m = ${BVD_WIDTHS.join(', ')}, depth L = ${BVD_DEPTH}, n = ${c.n} points in d = ${c.d}, Gaussian labels, seed 1; gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080; distances measured at the last step.`;
  const binds: Binds = {
    'ball-vs-distance.widths': BVD_WIDTHS.join(', '),
    'ball-vs-distance.slope': fitFro ? slopeText(fitFro) : null,
    'ball-vs-distance.trend': fitFro ? distanceTrend(fitFro) : null,
    'ball-vs-distance.vsHalf': fitFro ? `${compareSlope(fitFro, -0.5)} the \u22121/2 of the theory` : null,
    'ball-vs-distance.relSlope': fitRel ? slopeText(fitRel) : null,
  };
  if (done.length >= 2) {
    const a = done[0];
    const b = done[done.length - 1];
    const { verdict, factor } = scaleVerdict(done.flatMap((w) => w.initSpec));
    Object.assign(binds, {
      'ball-vs-distance.mNarrow': String(a.m),
      'ball-vs-distance.mWide': String(b.m),
      'ball-vs-distance.distNarrow': formatSci(a.fro, 3),
      'ball-vs-distance.distWide': formatSci(b.fro, 3),
      'ball-vs-distance.relNarrow': `${formatSci(100 * a.relative, 2)}%`,
      'ball-vs-distance.relWide': `${formatSci(100 * b.relative, 2)}%`,
      'ball-vs-distance.scale': `${formatSci(Math.min(...done.flatMap((w) => w.initSpec)), 3)} to ${formatSci(Math.max(...done.flatMap((w) => w.initSpec)), 3)}`,
      'ball-vs-distance.scaleVerdict':
        verdict === 'fixed'
          ? `stays within a factor of ${factor.toFixed(2)} across the widths: a fixed scale`
          : `changes by a factor of ${factor.toFixed(2)} across the widths: not a fixed scale at these widths`,
    });
  }
  return { widths, layers: BVD_DEPTH, fitFro, fitRel, numbers: parts.join(' \u00b7 '), status, caption, binds };
}
