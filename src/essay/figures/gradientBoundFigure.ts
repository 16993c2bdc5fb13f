import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { PageState } from '../../state/urlState.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createGradientBound, type GbView, type GbWidth } from '../../viz/gradientBound.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { widthTone } from '../../viz/widthConvergence.ts';
import { bind } from './essayNumbers.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { observeTrackSet } from './trackSetLifecycle.ts';
import { col, fitLine, slopeText, TrackSet, trackNote, type Track, trackRows, widthsStatus } from './trackSet.ts';
import { initialChoice, recordChoice } from './choices.ts';

/**
 * Wires the "gradient-bound" panel: one run per width with the PL ratio and the tangent kernel's
 * spectrum measured at every step, so each record gives a point (F, ||grad F||^2) and the floor
 * 2 lambda_min(K_t). Runs pause off screen; the depth control and "new data" restart them.
 */
export const GB_WIDTHS: readonly number[] = [32, 64, 128, 256, 512];

export function gbConfig(m: number, L: number, seed: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 1, eps: 1e-4, dataSeed: seed, initSeed: seed, batchSeed: seed };
}

export function mountGradientBound(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let L = Number(initialChoice(state, 'gradient-bound', 'depth'));
  let seed = 1;
  const set = new TrackSet({
    pool,
    measures: { pl: true, ntk: true },
    fields: ['gradNorm', 'plRatio', 'twoLambdaMin'],
    paused: true,
    onChange: () => redraw(),
  });

  const panel = createGradientBound(
    figure,
    {
      depth: (v) => {
        if (v === L) return;
        recordChoice(state, options, 'gradient-bound', 'depth', v);
        L = v;
        restart();
      },
      reseed: () => {
        seed++;
        restart();
      },
    },
    {
      csv: () => ({
        columns: ['width', 'depth', 'seed', 'step', 'loss', 'grad_norm_sq', 'pl_ratio', 'two_lambda_min_Kt'],
        rows: trackRows(set.tracks, (t, i) => {
          const loss = col(t, 'loss')[i];
          const g = col(t, 'gradNorm')[i];
          return [t.m, t.config.L, seed, col(t, 'step')[i], loss, g * g, loss > 0 ? (g * g) / loss : NaN, col(t, 'twoLambdaMin')[i]];
        }),
      }),
      basename: () => `gradient-bound_m${GB_WIDTHS.join('-')}_L${L}_n16_d8_seed${seed}`,
    },
  );
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  const lifecycle = observeTrackSet(figure, set, restart, () => redraw());

  function restart(): void {
    set.start(
      GB_WIDTHS.map((m) => gbConfig(m, L, seed)),
      !lifecycle.active,
    );
  }

  function widthOf(t: Track): GbWidth {
    const loss = col(t, 'loss');
    const g = col(t, 'gradNorm');
    const pl = col(t, 'plRatio');
    const floor = col(t, 'twoLambdaMin');
    let plMin = Infinity;
    for (const v of pl) if (v > 0 && v < plMin) plMin = v;
    return {
      m: t.m,
      tone: widthTone(t.m),
      loss,
      grad2: g.map((v) => v * v),
      floor: floor.length ? floor[floor.length - 1] : NaN,
      plMinPerM: t.end && Number.isFinite(plMin) ? plMin / t.m : NaN,
      floor0PerM: floor.length ? floor[0] / t.m : NaN,
      note: trackNote(t),
    };
  }

  function view(): GbView {
    const widths = set.tracks.map(widthOf);
    const done = widths.filter((w) => w.plMinPerM > 0);
    const fitPerM = fitLine(done.map((w) => ({ m: w.m, y: w.plMinPerM })));
    const fitRaw = fitLine(done.map((w) => ({ m: w.m, y: w.plMinPerM * w.m })));
    const c = gbConfig(GB_WIDTHS[0], L, seed);
    let numbers = '';
    if (done.length) {
      numbers =
        done.map((w) => `m = ${w.m}: min PL/m = ${formatSci(w.plMinPerM, 3)}`).join(' \u00b7 ') +
        (fitPerM ? ` \u00b7 slope of PL/m against m: ${slopeText(fitPerM)}` : '');
    }
    // whether every record sat above its floor: ||g||^2 >= 2 lambda_min(K_t) F, checked on the data drawn
    let below = 0;
    let total = 0;
    for (const t of set.tracks) {
      const loss = col(t, 'loss');
      const pl = col(t, 'plRatio');
      const floor = col(t, 'twoLambdaMin');
      loss.forEach((f, i) => {
        if (!(f > 0) || !(floor[i] > 0)) return;
        total++;
        if (pl[i] < floor[i] * (1 - 1e-3)) below++;
      });
    }
    let caption =
      `Runs of width m = ${GB_WIDTHS.join(', ')} (depth L = ${L}, n = ${c.n} points in d = ${c.d}, Gaussian labels, seed ${seed}), ` +
      `full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080. ` +
      `Left: each record is a point (F, \u2016\u2207F\u2016\u00b2); the dashed lines are each width\u2019s floor 2\u03bb\u2098\u1d62\u2099(K\u209c)\u00b7F at its latest record. `;
    if (total) caption += `${total - below} of ${total} records lie on or above their floor. `;
    caption += `Right: the smallest ratio \u2016\u2207F\u2016\u00b2/F met along each run, divided by m, with a least-squares fit on log-log axes`;
    caption += fitPerM ? `: slope ${slopeText(fitPerM)} (flat means the ratio grows like m).` : ' (drawn once three widths have finished).';
    bind('gradient-bound.slope', fitRaw ? slopeText(fitRaw) : null);
    bind('gradient-bound.slopePerM', fitPerM ? slopeText(fitPerM) : null);
    bind('gradient-bound.widths', GB_WIDTHS.join(', '));
    if (done.length >= 2) {
      const a = done[0];
      const b = done[done.length - 1];
      bind('gradient-bound.plNarrow', formatSci(a.plMinPerM * a.m, 3));
      bind('gradient-bound.mNarrow', String(a.m));
      bind('gradient-bound.plWide', formatSci(b.plMinPerM * b.m, 3));
      bind('gradient-bound.mWide', String(b.m));
    }
    if (total) bind('gradient-bound.above', `${total - below} of ${total}`);
    if (done.length >= 4) {
      // the widest three: is PL / m level there? and where do the narrow runs fall against that level?
      const wide = done.slice(-3).map((w) => w.plMinPerM);
      const lo = Math.min(...wide);
      const hi = Math.max(...wide);
      let text = `across the three widest runs (m = ${done[done.length - 3].m} to ${done[done.length - 1].m}) the ratio divided by m stays within a factor of ${(hi / lo).toFixed(2)}, as growth in proportion to m would have it`;
      const narrow = done[0];
      if (narrow.plMinPerM < 0.7 * lo) {
        text += `, while at m = ${narrow.m} it reaches only ${Math.round((100 * narrow.plMinPerM) / lo)}% of that level: the narrowest network is not yet in the regime the theorem describes`;
      }
      bind('gradient-bound.verdict', text);
    }
    return {
      widths,
      depth: L,
      fit: fitPerM,
      numbers,
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
