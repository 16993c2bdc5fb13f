import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createLazyBall, type LbQuantity, type LbRaster, type LbTrack, type LbView } from '../../viz/lazyBall.ts';
import { rankTone } from '../../viz/widthTone.ts';
import { LB_DEPTH, LB_RASTER_WIDTHS } from '../../state/panelChoices.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { compareSlope, fitLine, referenceLine, slopeText } from './fits.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, runRows, type Run } from './runSet.ts';

/**
 * Wires the "lazy-ball" panel: one run per width with the distance from initialization and the
 * flipped fraction measured along the way; when a run ends, 'flips' probes fetch its raster for
 * every layer and the run is let go.
 */
export const LB_WIDTHS: readonly number[] = [32, 64, 128, 256, 512];
const L = LB_DEPTH;

export function lbConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 2, eps: 1e-4 };
}

const FIELD = { dist: 'distFro', flips: 'flipFrac' } as const;

export function mountLazyBall(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'lazy-ball', options, (figure) => {
    let quantity = figure.choice('quantity') as LbQuantity; // on LB_QUANTITIES: checked at the edge
    let rasterWidth = Number(figure.choice('width'));
    let layer = Number(figure.choice('layer'));
    const rasters = new Map<string, LbRaster>();
    const set = figure.runs({ measures: { dist: true, flips: true }, fields: ['distFro', 'distRel', 'flipFrac'], probes: true, done: (t) => fetchRasters(t) });

    function fetchRasters(t: Run): void {
      let left = L;
      for (let l = 1; l <= L; l++) {
        t.handle.probe({ kind: 'flips', layer: l }, (r, done) => {
          if (!done) return;
          if (r && r.kind === 'flips') rasters.set(`${r.m}:${r.layer}`, { m: r.m, n: r.n, layer: r.layer, step: r.step, cells: r.raster });
          if (--left === 0) t.handle.cancel(); // every layer is in: let the worker go
          figure.redraw();
        });
      }
    }
    const choose = (name: string, value: string | number): void => {
      figure.choose(name, value);
      figure.redraw();
    };
    const panel = createLazyBall(
      root,
      L,
      {
        quantity: (q) => choose('quantity', (quantity = q)),
        rasterWidth: (m) => choose('width', (rasterWidth = m)),
        layer: (l) => choose('layer', (layer = l)),
      },
      {
        csv: () => ({
          columns: ['width', 'step', 'dist_fro', 'dist_rel', 'flip_frac'],
          rows: runRows(set.runs, (t, i) => [t.spec.config.m, col(t, 'step')[i], col(t, 'distFro')[i], col(t, 'distRel')[i], col(t, 'flipFrac')[i]]),
        }),
        basename: () => `lazy-ball_m${LB_WIDTHS.join('-')}_L${L}_n16_d8_seed1_${quantity}`,
      },
      LB_RASTER_WIDTHS,
    );
    return {
      ...calmSetParts(figure, set, () => set.startAll(LB_WIDTHS.map((m) => ({ key: `m${m}`, config: lbConfig(m) }))),
        () => {
          const { binds, ...view } = lazyBallView(set.runs, quantity, setStatus(set, { active: figure.active }));
          bindAll(binds);
          panel.update({ ...view, rasterWidth, layer, raster: rasters.get(`${rasterWidth}:${layer}`) ?? null });
        },
        () => `${rasters.size}`,
      ),
    };
  });
}

/** Each ended run's last value of the quantity, against its width. */
export function lbFinals(runs: readonly Run[], q: LbQuantity): { m: number; y: number }[] {
  return runs
    .filter((t) => t.end)
    .map((t) => {
      const v = col(t, FIELD[q]);
      return { m: t.spec.config.m, y: v.length ? v[v.length - 1] : NaN };
    })
    .filter((p) => p.y > 0);
}

function lbTrack(t: Run, quantity: LbQuantity): LbTrack {
  const m = t.spec.config.m;
  const values = col(t, FIELD[quantity]);
  return { m, tone: rankTone(m, LB_WIDTHS), steps: col(t, 'step'), values, final: t.end && values.length ? values[values.length - 1] : NaN, note: runNote(t) };
}

/** The panel's view (less the raster) and the numbers the essay quotes, from the runs so far. */
export function lazyBallView(runs: readonly Run[], quantity: LbQuantity, status: string): Omit<LbView, 'rasterWidth' | 'layer' | 'raster'> & { binds: Binds } {
  const pts = lbFinals(runs, quantity);
  const fit = fitLine(pts);
  // distance: the theory's O(log m / sqrt m); flips: the bound omega^{2/3} ~ m^{-1/3} and the typical m^{-1/2}
  const references: LbView['references'] = [];
  const half = referenceLine(pts, -0.5);
  const third = referenceLine(pts, -1 / 3);
  if (quantity === 'flips' && third) references.push({ key: 'ref-third', label: 'slope \u22121/3: the bound (\u03c9\u00b2\u141f\u00b3)', dashed: true, ...third });
  if (half) references.push({ key: 'ref-half', label: quantity === 'dist' ? 'slope \u22121/2: the theory\u2019s distance bound' : 'slope \u22121/2: the typical rate in runs', dotted: quantity === 'flips', dashed: quantity === 'dist', ...half });
  const dists = lbFinals(runs, 'dist');
  const flips = lbFinals(runs, 'flips');
  const fitDist = fitLine(dists);
  const fitFlips = fitLine(flips);
  const c = lbConfig(LB_WIDTHS[0]);
  const parts: string[] = [];
  if (fitDist) parts.push(`distance slope ${slopeText(fitDist)}`);
  if (fitFlips) parts.push(`flipped-fraction slope ${slopeText(fitFlips)}`);
  if (flips.length) parts.push(flips.map((p) => `m = ${p.m}: ${formatSci(100 * p.y, 2)}% flipped`).join(', '));
  const caption =
    `Runs of width m = ${LB_WIDTHS.join(', ')} (L = ${L}, n = ${c.n}, d = ${c.d}, Gaussian labels), gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080. ` +
    (quantity === 'dist'
      ? 'First chart: the Frobenius distance \u2016W\u209c \u2212 W\u2080\u2016_F of the trained layers from their initial values. '
      : 'First chart: the fraction of (sample, layer, unit) triples whose ReLU is on where it was off at initialization, or off where it was on. ') +
    `Second chart: its value at the end of each run against m, with a least-squares fit on log-log axes` +
    (fit ? ` (slope ${slopeText(fit)})` : '') +
    (quantity === 'dist'
      ? ' and, grey dashed, a line of slope \u22121/2, the rate of the theory\u2019s distance bound O(log m/\u221am). '
      : ' and two grey lines: dashed, slope \u22121/3, the rate of the paper\u2019s flip bound (about \u03c9\u00b2\u141f\u00b3, \u03c9 ~ m\u207b\u00b9\u141f\u00b2); dotted, slope \u22121/2, the rate typical runs show. ') +
    `Below: for one run and one layer, each (sample i, unit) whose ReLU sign at the end differs from initialization is marked.`;
  const binds: Binds = {
    'lazy-ball.distSlope': fitDist ? slopeText(fitDist) : null,
    'lazy-ball.distVerdict': fitDist ? `the fit is ${compareSlope(fitDist, -0.5)}` : null,
    'lazy-ball.flipSlope': fitFlips ? slopeText(fitFlips) : null,
    'lazy-ball.flipVsBound': fitFlips ? `${compareSlope(fitFlips, -1 / 3)} the bound\u2019s \u22121/3 and ${compareSlope(fitFlips, -0.5)} the typical \u22121/2` : null,
    'lazy-ball.widths': LB_WIDTHS.join(', '),
  };
  if (flips.length >= 2) {
    Object.assign(binds, {
      'lazy-ball.flipNarrow': `${formatSci(100 * flips[0].y, 2)}%`,
      'lazy-ball.mNarrow': String(flips[0].m),
      'lazy-ball.flipWide': `${formatSci(100 * flips[flips.length - 1].y, 2)}%`,
      'lazy-ball.mWide': String(flips[flips.length - 1].m),
    });
  }
  if (dists.length >= 2) Object.assign(binds, { 'lazy-ball.distNarrow': formatSci(dists[0].y, 3), 'lazy-ball.distWide': formatSci(dists[dists.length - 1].y, 3) });
  const tracks = runs.map((t) => lbTrack(t, quantity));
  return { quantity, tracks, fit, references, rasterWidths: LB_RASTER_WIDTHS, layers: L, numbers: parts.join(' \u00b7 '), status, caption, binds };
}
