import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createGradientBound, type GbView, type GbWidth } from '../../viz/gradientBound.ts';
import { rankTone } from '../../viz/widthTone.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { fitLine, slopeText, type Slope } from './fits.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, runRows, type Run } from './runSet.ts';

/**
 * Wires the "gradient-bound" panel: one run per width with the PL ratio and the tangent kernel's
 * spectrum measured at every step, so each record gives a point (F, ||grad F||^2). The evidence that
 * can fail is the prediction made before training, 2 lambda_min(K_0) (the kernel at initialization):
 * a width is "in the regime" while its PL ratio stays at or above half of it along the whole run
 * (PL_RULE). (The floor 2 lambda_min(K_t) of the current kernel is no test: ||g||^2 = r^T K_t r
 * >= 2 lambda_min(K_t) F holds at every W.) Runs pause off screen; the depth control and "new
 * data" restart them.
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
          columns: ['width', 'depth', 'seed', 'step', 'loss', 'grad_norm_sq', 'pl_ratio', 'two_lambda_min_Kt'], // the first record's is 2 lambda_min(K_0)
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
      ...calmSetParts(figure, set, restart,
        () => {
          const { binds, ...view } = gradientBoundView(set.runs, L, seed, setStatus(set, { active: figure.active }));
          bindAll(binds);
          panel.update(view);
        },
        () => '',
      ),
    };
  });
}

/** A width is in the regime while its smallest PL ratio stays at or above this share of 2 lambda_min(K_0). */
export const PL_RULE = 0.5;
/** "Flat": the whole 95% interval of the slope of PL/m against m lies within +-FLAT_BAND. */
export const FLAT_BAND = 0.25;

/** One width's curve and its measured numbers. */
export function gbWidth(t: Run, widths: readonly number[] = GB_WIDTHS): GbWidth {
  const m = t.spec.config.m;
  const floor = col(t, 'twoLambdaMin');
  let plMin = Infinity;
  for (const v of col(t, 'plRatio')) if (v > 0 && v < plMin) plMin = v;
  const floor0 = floor.length ? floor[0] : NaN;
  const plMinPerM = t.end && Number.isFinite(plMin) ? plMin / m : NaN;
  return {
    m,
    tone: rankTone(m, widths),
    loss: col(t, 'loss'),
    grad2: col(t, 'gradNorm').map((v) => v * v),
    floor0,
    plMinPerM,
    floor0PerM: floor0 / m,
    share: plMinPerM / (floor0 / m),
    note: runNote(t),
  };
}

export type GbVerdict = 'flat' | 'not flat' | 'inconclusive' | 'too few';

/**
 * What the fit of PL/m against m over the widths in the regime says: flat when its whole 95%
 * interval lies within +-FLAT_BAND, not flat when the interval excludes 0, else inconclusive.
 */
export function gbVerdict(fit: Slope | null): GbVerdict {
  if (!fit) return 'too few';
  if (fit.lo >= -FLAT_BAND && fit.hi <= FLAT_BAND) return 'flat';
  if (fit.lo > 0 || fit.hi < 0) return 'not flat';
  return 'inconclusive';
}

/** The verdict as the essay's sentence. */
export function gbVerdictText(v: GbVerdict, fit: Slope | null, inRegime: readonly number[]): string {
  const over = `over the ${inRegime.length} widths in the regime${inRegime.length ? ` (m = ${inRegime.join(', ')})` : ''}`;
  switch (v) {
    case 'too few':
      return `${over} there are too few points to fit (three are needed), so this run cannot say whether the ratio grows like m`;
    case 'flat':
      return `${over} the slope of PL/m is ${slopeText(fit)}, flat within \u00b1${FLAT_BAND}: the smallest PL ratio grows in proportion to m, as Theorem 3 says`;
    case 'not flat':
      return `${over} the slope of PL/m is ${slopeText(fit)}, not flat: the smallest PL ratio grows ${fit!.slope > 0 ? 'faster' : 'more slowly'} than m here`;
    case 'inconclusive':
      return `${over} the slope of PL/m is ${slopeText(fit)}: its interval includes 0 but reaches beyond \u00b1${FLAT_BAND}, too wide to call the ratio flat or not`;
  }
}

/** The widths whose smallest PL ratio stayed at or above PL_RULE of the prediction 2 lambda_min(K_0). */
export function inRegime(done: readonly GbWidth[]): GbWidth[] {
  return done.filter((w) => w.share >= PL_RULE);
}

/** The panel's view and the numbers the essay quotes, from the runs so far. */
export function gradientBoundView(runs: readonly Run[], L: number, seed: number, status: string): GbView & { binds: Binds } {
  const widths = runs.map((t) => gbWidth(t));
  const done = widths.filter((w) => w.plMinPerM > 0);
  const regime = inRegime(done);
  const fitPerM = fitLine(regime.map((w) => ({ m: w.m, y: w.plMinPerM })));
  const fitRaw = fitLine(regime.map((w) => ({ m: w.m, y: w.plMinPerM * w.m })));
  const c = gbConfig(GB_WIDTHS[0], L, seed);
  let numbers = '';
  if (done.length) {
    numbers = done.map((w) => `m = ${w.m}: min PL/m = ${formatSci(w.plMinPerM, 3)}, ${Math.round(100 * w.share)}% of 2\u03bb\u2098\u1d62\u2099(K\u2080)`).join(' \u00b7 ') + (fitPerM ? ` \u00b7 slope of PL/m over the widths in the regime: ${slopeText(fitPerM)}` : '');
  }
  let caption =
    `Look first at the second chart, PL ratio per unit of width: if the dark dots (each run\u2019s smallest PL ratio \u2016\u2207F\u2016\u00b2/F, divided by m) lie level, the ratio grows like m. ` +
    `The grey dots are the prediction made before training, 2\u03bb\u2098\u1d62\u2099(K\u2080)/m from the kernel at initialization. ` +
    `A width counts as in the regime when its smallest ratio stays at or above ${PL_RULE * 100}% of that prediction; the fit (red) uses those widths only; orange dots are widths outside it. ` +
    `First chart: each record is a point (F, \u2016\u2207F\u2016\u00b2); each dashed line is that width\u2019s prediction 2\u03bb\u2098\u1d62\u2099(K\u2080)\u00b7F. ` +
    `Settings: widths m = ${GB_WIDTHS.join(', ')}, depth L = ${L}, n = ${c.n} points in d = ${c.d}, Gaussian labels, seed ${seed}; ` +
    `full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080.`;
  const verdict = gbVerdict(fitPerM);
  const binds: Binds = {
    'gradient-bound.slope': fitRaw ? slopeText(fitRaw) : null,
    'gradient-bound.slopePerM': fitPerM ? slopeText(fitPerM) : null,
    'gradient-bound.widths': GB_WIDTHS.join(', '),
    'gradient-bound.rule': `${PL_RULE * 100}%`,
  };
  if (done.length >= 2) {
    const a = done[0];
    const b = done[done.length - 1];
    const shares = done.map((w) => w.share);
    Object.assign(binds, {
      'gradient-bound.plNarrow': formatSci(a.plMinPerM * a.m, 3),
      'gradient-bound.mNarrow': String(a.m),
      'gradient-bound.plWide': formatSci(b.plMinPerM * b.m, 3),
      'gradient-bound.mWide': String(b.m),
      'gradient-bound.shareRange': `${Math.round(100 * Math.min(...shares))}% to ${Math.round(100 * Math.max(...shares))}%`,
      'gradient-bound.inRegime': `${regime.length} of ${done.length}`,
    });
  }
  if (runs.length && runs.every((t) => t.end || t.error)) binds['gradient-bound.verdict'] = gbVerdictText(verdict, fitPerM, regime.map((w) => w.m));
  return { widths, depth: L, rule: PL_RULE, fit: fitPerM, numbers, status, caption, binds };
}
