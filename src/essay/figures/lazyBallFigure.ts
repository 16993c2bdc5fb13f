import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { PageState } from '../../state/urlState.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createLazyBall, type LbQuantity, type LbRaster, type LbTrack, type LbView } from '../../viz/lazyBall.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { widthTone } from '../../viz/widthConvergence.ts';
import { bind } from './essayNumbers.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { observeTrackSet } from './trackSetLifecycle.ts';
import { col, compareSlope, fitLine, slopeText, TrackSet, trackNote, type Track, trackRows, widthsStatus } from './trackSet.ts';
import { LB_DEPTH, LB_RASTER_WIDTHS } from '../../state/panelChoices.ts';
import { initialChoice, recordChoice } from './choices.ts';

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

export function mountLazyBall(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let quantity = initialChoice(state, 'lazy-ball', 'quantity') as LbQuantity; // on LB_QUANTITIES: checked at the edge
  let rasterWidth = Number(initialChoice(state, 'lazy-ball', 'width'));
  let layer = Number(initialChoice(state, 'lazy-ball', 'layer'));
  const rasters = new Map<string, LbRaster>();

  const set = new TrackSet({
    pool,
    measures: { dist: true, flips: true },
    fields: ['distFro', 'distRel', 'flipFrac'],
    probes: true,
    paused: true,
    onChange: () => redraw(),
    onDone: (t) => fetchRasters(t),
  });

  const panel = createLazyBall(
    figure,
    L,
    {
      quantity: (q) => {
        recordChoice(state, options, 'lazy-ball', 'quantity', q);
        quantity = q;
        redraw();
      },
      rasterWidth: (m) => {
        recordChoice(state, options, 'lazy-ball', 'width', m);
        rasterWidth = m;
        redraw();
      },
      layer: (l) => {
        recordChoice(state, options, 'lazy-ball', 'layer', l);
        layer = l;
        redraw();
      },
    },
    {
      csv: () => ({
        columns: ['width', 'step', 'dist_fro', 'dist_rel', 'flip_frac'],
        rows: trackRows(set.tracks, (t, i) => [t.m, col(t, 'step')[i], col(t, 'distFro')[i], col(t, 'distRel')[i], col(t, 'flipFrac')[i]]),
      }),
      basename: () => `lazy-ball_m${LB_WIDTHS.join('-')}_L${L}_n16_d8_seed1_${quantity}`,
    },
    LB_RASTER_WIDTHS,
  );
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  const lifecycle = observeTrackSet(figure, set, () => set.start(LB_WIDTHS.map(lbConfig), false), () => redraw());

  function fetchRasters(t: Track): void {
    let left = L;
    for (let l = 1; l <= L; l++) {
      t.handle.probe({ kind: 'flips', layer: l }, (r, done) => {
        if (!done) return;
        if (r && r.kind === 'flips') rasters.set(`${t.m}:${r.layer}`, { m: r.m, n: r.n, layer: r.layer, step: r.step, cells: r.raster });
        if (--left === 0) t.handle.cancel(); // every layer is in: let the worker go
        redraw();
      });
    }
  }

  function trackOf(t: Track): LbTrack {
    const values = col(t, FIELD[quantity]);
    return { m: t.m, tone: widthTone(t.m), steps: col(t, 'step'), values, final: t.end && values.length ? values[values.length - 1] : NaN, note: trackNote(t) };
  }

  function finals(q: LbQuantity): { m: number; y: number }[] {
    return set.tracks
      .filter((t) => t.end)
      .map((t) => {
        const v = col(t, FIELD[q]);
        return { m: t.m, y: v.length ? v[v.length - 1] : NaN };
      })
      .filter((p) => p.y > 0);
  }

  function view(): LbView {
    const tracks = set.tracks.map(trackOf);
    const pts = finals(quantity);
    const fit = fitLine(pts);
    let reference: LbView['reference'] = null;
    if (pts.length >= 2) {
      const lm = pts.reduce((a, p) => a + Math.log(p.m), 0) / pts.length;
      const ly = pts.reduce((a, p) => a + Math.log(p.y), 0) / pts.length;
      const xs = [pts[0].m, pts[pts.length - 1].m].sort((a, b) => a - b);
      reference = { xs, ys: xs.map((m) => Math.exp(ly - 0.5 * (Math.log(m) - lm))) };
    }
    const fitDist = fitLine(finals('dist'));
    const fitFlips = fitLine(finals('flips'));
    const dists = finals('dist');
    const flips = finals('flips');
    const c = lbConfig(LB_WIDTHS[0]);
    const parts: string[] = [];
    if (fitDist) parts.push(`distance slope ${slopeText(fitDist)}`);
    if (fitFlips) parts.push(`flipped-fraction slope ${slopeText(fitFlips)}`);
    if (flips.length) parts.push(flips.map((p) => `m = ${p.m}: ${formatSci(100 * p.y, 2)}% flipped`).join(', '));
    const caption =
      `Runs of width m = ${LB_WIDTHS.join(', ')} (L = ${L}, n = ${c.n}, d = ${c.d}, Gaussian labels), gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080. ` +
      (quantity === 'dist'
        ? 'Left: the Frobenius distance \u2016W\u209c \u2212 W\u2080\u2016_F of the trained layers from their initial values. '
        : 'Left: the fraction of (sample, layer, unit) triples whose ReLU is on where it was off at initialization, or off where it was on. ') +
      `Right: its value at the end of each run against m, with a least-squares fit on log-log axes` +
      (fit ? ` (slope ${slopeText(fit)})` : '') +
      ` and, grey, a line of slope \u22121/2, the rate the theory suggests. ` +
      `Below: for one run and one layer, each (sample i, unit) whose ReLU sign at the end differs from initialization is marked.`;
    bind('lazy-ball.distSlope', fitDist ? slopeText(fitDist) : null);
    if (fitDist) bind('lazy-ball.distVerdict', `the fit is ${compareSlope(fitDist, -0.5)}`);
    bind('lazy-ball.flipSlope', fitFlips ? slopeText(fitFlips) : null);
    bind('lazy-ball.widths', LB_WIDTHS.join(', '));
    if (flips.length >= 2) {
      bind('lazy-ball.flipNarrow', `${formatSci(100 * flips[0].y, 2)}%`);
      bind('lazy-ball.mNarrow', String(flips[0].m));
      bind('lazy-ball.flipWide', `${formatSci(100 * flips[flips.length - 1].y, 2)}%`);
      bind('lazy-ball.mWide', String(flips[flips.length - 1].m));
    }
    if (dists.length >= 2) {
      bind('lazy-ball.distNarrow', formatSci(dists[0].y, 3));
      bind('lazy-ball.distWide', formatSci(dists[dists.length - 1].y, 3));
    }
    return {
      quantity,
      tracks,
      fit,
      reference,
      rasterWidth,
      rasterWidths: LB_RASTER_WIDTHS,
      layer,
      layers: L,
      raster: rasters.get(`${rasterWidth}:${layer}`) ?? null,
      numbers: parts.join(' \u00b7 '),
      status: widthsStatus(set.started, set.running, lifecycle.active),
      caption,
    };
  }

  redraw();
  return {
    state,
    dispose() {
      lifecycle.disconnect();
      set.cancel();
    },
  };
}
