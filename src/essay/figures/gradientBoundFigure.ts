import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createGradientBound, type GbView, type GbWidth } from '../../viz/gradientBound.ts';
import { widthTone } from '../../viz/widthConvergence.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { fitLine, slopeText } from './fits.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, runRows, type Run } from './runSet.ts';

/**
 * Wires the "gradient-bound" panel: one run per width with the PL ratio and the tangent kernel's
 * spectrum measured at every step, so each record gives a point (F, ||grad F||^2) and the floor
 * 2 lambda_min(K_t). Runs pause off screen; the depth control and "new data" restart them.
 */
export const GB_WIDTHS: readonly number[] = [32, 64, 128, 256, 512];

export function gbConfig(m: number, L: number, seed: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 1, eps: 1e-4, dataSeed: seed, initSeed: seed, batchSeed: seed };
}

export function mountGradientBound(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'gradient-bound', options, (figure) => {
    let L = Number(figure.choice('depth'));
    let seed = 1;
    const set = figure.runs({ measures: { pl: true, ntk: true }, fields: ['gradNorm', 'plRatio', 'twoLambdaMin'] });
    const restart = (): void => {
      set.startAll(GB_WIDTHS.map((m) => ({ key: `m${m}`, config: gbConfig(m, L, seed) })));
    };
    const panel = createGradientBound(
      root,
      {
        depth: (v) => {
          if (v === L) return;
          figure.choose('depth', v);
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
          rows: runRows(set.runs, (t, i) => {
            const loss = col(t, 'loss')[i];
            const g = col(t, 'gradNorm')[i];
            return [t.spec.config.m, t.spec.config.L, seed, col(t, 'step')[i], loss, g * g, loss > 0 ? (g * g) / loss : NaN, col(t, 'twoLambdaMin')[i]];
          }),
        }),
        basename: () => `gradient-bound_m${GB_WIDTHS.join('-')}_L${L}_n16_d8_seed${seed}`,
      },
    );
    return {
      ...set.lifecycle(restart),
      draw: () => {
        const { binds, ...view } = gradientBoundView(set.runs, L, seed, setStatus(set, { active: figure.active }));
        bindAll(binds);
        panel.update(view);
      },
    };
  });
}

/** One width's curve and its measured numbers. */
export function gbWidth(t: Run): GbWidth {
  const m = t.spec.config.m;
  const floor = col(t, 'twoLambdaMin');
  let plMin = Infinity;
  for (const v of col(t, 'plRatio')) if (v > 0 && v < plMin) plMin = v;
  return {
    m,
    tone: widthTone(m),
    loss: col(t, 'loss'),
    grad2: col(t, 'gradNorm').map((v) => v * v),
    floor: floor.length ? floor[floor.length - 1] : NaN,
    plMinPerM: t.end && Number.isFinite(plMin) ? plMin / m : NaN,
    floor0PerM: floor.length ? floor[0] / m : NaN,
    note: runNote(t),
  };
}

/** Records at or above their floor, ||g||^2 >= 2 lambda_min(K_t) F (within 0.1%), of those with both. */
export function recordsAboveFloor(runs: readonly Run[]): { above: number; total: number } {
  let below = 0;
  let total = 0;
  for (const t of runs) {
    const pl = col(t, 'plRatio');
    const floor = col(t, 'twoLambdaMin');
    col(t, 'loss').forEach((f, i) => {
      if (!(f > 0) || !(floor[i] > 0)) return;
      total++;
      if (pl[i] < floor[i] * (1 - 1e-3)) below++;
    });
  }
  return { above: total - below, total };
}

/** The panel's view and the numbers the essay quotes, from the runs so far. */
export function gradientBoundView(runs: readonly Run[], L: number, seed: number, status: string): GbView & { binds: Binds } {
  const widths = runs.map(gbWidth);
  const done = widths.filter((w) => w.plMinPerM > 0);
  const fitPerM = fitLine(done.map((w) => ({ m: w.m, y: w.plMinPerM })));
  const fitRaw = fitLine(done.map((w) => ({ m: w.m, y: w.plMinPerM * w.m })));
  const c = gbConfig(GB_WIDTHS[0], L, seed);
  let numbers = '';
  if (done.length) {
    numbers = done.map((w) => `m = ${w.m}: min PL/m = ${formatSci(w.plMinPerM, 3)}`).join(' \u00b7 ') + (fitPerM ? ` \u00b7 slope of PL/m against m: ${slopeText(fitPerM)}` : '');
  }
  const { above, total } = recordsAboveFloor(runs);
  let caption =
    `Runs of width m = ${GB_WIDTHS.join(', ')} (depth L = ${L}, n = ${c.n} points in d = ${c.d}, Gaussian labels, seed ${seed}), ` +
    `full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080. ` +
    `Left: each record is a point (F, \u2016\u2207F\u2016\u00b2); the dashed lines are each width\u2019s floor 2\u03bb\u2098\u1d62\u2099(K\u209c)\u00b7F at its latest record. `;
  if (total) caption += `${above} of ${total} records lie on or above their floor. `;
  caption += `Right: the smallest ratio \u2016\u2207F\u2016\u00b2/F met along each run, divided by m, with a least-squares fit on log-log axes`;
  caption += fitPerM ? `: slope ${slopeText(fitPerM)} (flat means the ratio grows like m).` : ' (drawn once three widths have finished).';
  const binds: Binds = {
    'gradient-bound.slope': fitRaw ? slopeText(fitRaw) : null,
    'gradient-bound.slopePerM': fitPerM ? slopeText(fitPerM) : null,
    'gradient-bound.widths': GB_WIDTHS.join(', '),
    'gradient-bound.above': total ? `${above} of ${total}` : null,
  };
  if (done.length >= 2) {
    const a = done[0];
    const b = done[done.length - 1];
    Object.assign(binds, {
      'gradient-bound.plNarrow': formatSci(a.plMinPerM * a.m, 3),
      'gradient-bound.mNarrow': String(a.m),
      'gradient-bound.plWide': formatSci(b.plMinPerM * b.m, 3),
      'gradient-bound.mWide': String(b.m),
    });
  }
  if (done.length >= 4) binds['gradient-bound.verdict'] = gbVerdict(done);
  return { widths, depth: L, fit: fitPerM, numbers, status, caption, binds };
}

/** The widest three: is PL / m level there? and where does the narrowest run fall against that level? */
function gbVerdict(done: readonly GbWidth[]): string {
  const wide = done.slice(-3).map((w) => w.plMinPerM);
  const lo = Math.min(...wide);
  const hi = Math.max(...wide);
  let text = `across the three widest runs (m = ${done[done.length - 3].m} to ${done[done.length - 1].m}) the ratio divided by m stays within a factor of ${(hi / lo).toFixed(2)}, as growth in proportion to m would have it`;
  const narrow = done[0];
  if (narrow.plMinPerM < 0.7 * lo) {
    text += `, while at m = ${narrow.m} it reaches only ${Math.round((100 * narrow.plMinPerM) / lo)}% of that level: the narrowest network is not yet in the regime the theorem describes`;
  }
  return text;
}
