import { GEN_WIDTHS } from '../../state/panelChoices.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { formatSci, formatTolerance } from '../../viz/format.ts';
import { createGeneralization, type GenPoint, type GenView } from '../../viz/generalization.ts';
import { rankTone } from '../../viz/widthTone.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { calmSetParts } from './calm.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { fitLine, slopeText } from './fits.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, setStatus } from './runNote.ts';
import { col, last, runRows, type Run } from './runSet.ts';

/**
 * Wires the "generalization" panel: a smooth teacher f* (k = 4 tanh units) labels n points; one run
 * per width at n = GEN_N, and runs at more n for GEN_N_WIDTHS, each trained until F <= eps F_0.
 * Every record carries the test loss on the teacher's held-out points and the test loss of kernel
 * regression with the run's own K_0 (computed once in the worker). The ends are what the charts show.
 */
export const GEN_N = 32;
export const GEN_NS: readonly number[] = [8, 16, 32, 64, 128];
export const GEN_N_WIDTHS: readonly number[] = [64, 512];
export const GEN_TEACHER = 4;
export const GEN_TEST_N = 256;

export function genConfig(m: number, n: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, n, d: 8, L: 2, teacher: GEN_TEACHER, testN: GEN_TEST_N, lrScale: 0.5, steps: 3000, every: 20, eps: 1e-4 };
}

export const GEN_MEASURES = { test: true, kernel: true } as const;
export const GEN_FIELDS = ['testLoss', 'trainLossMean', 'kernelTestLoss'] as const;

/** Every (m, n) the figure trains: the widths at GEN_N, then the other n at GEN_N_WIDTHS; widest last. */
export function genSpecs(): { key: string; config: RunConfig }[] {
  const pairs = GEN_WIDTHS.map((m) => [m, GEN_N]);
  for (const m of GEN_N_WIDTHS) for (const n of GEN_NS) if (n !== GEN_N) pairs.push([m, n]);
  return pairs.map(([m, n]) => ({ key: `m${m}n${n}`, config: genConfig(m, n) }));
}

export function mountGeneralization(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'generalization', options, (figure) => {
    let width = Number(figure.choice('width'));
    const set = figure.runs({ measures: GEN_MEASURES, fields: GEN_FIELDS });
    const panel = createGeneralization(
      root,
      {
        width: (m) => {
          figure.choose('width', m);
          width = m;
          figure.redraw();
        },
      },
      GEN_WIDTHS,
      {
        csv: () => ({
          columns: ['width', 'n', 'step', 'train_loss_mean', 'test_loss', 'kernel_test_loss'],
          rows: runRows(set.runs, (t, i) => [t.spec.config.m, t.spec.config.n, col(t, 'step')[i], col(t, 'trainLossMean')[i], col(t, 'testLoss')[i], col(t, 'kernelTestLoss')[i]]),
        }),
        basename: () => `generalization_m${GEN_WIDTHS.join('-')}_n${GEN_NS.join('-')}_L2_d8_teacher${GEN_TEACHER}_test${GEN_TEST_N}_seed1`,
      },
    );
    return calmSetParts(
      figure,
      set,
      // the slider's width first: its run is the one the third chart follows step by step
      () => set.startAll(genSpecs().sort((a, b) => Number(b.key === `m${width}n${GEN_N}`) - Number(a.key === `m${width}n${GEN_N}`))),
      () => {
        const { binds, ...view } = generalizationView(set.runs, width, setStatus(set, { noun: 'run', active: figure.active }));
        bindAll(binds);
        panel.update(view);
      },
    );
  });
}

/** A run's end as a point: its last record's losses once it has ended (NaN before). */
export function genPoint(t: Run): GenPoint {
  const c = t.spec.config;
  const ended = t.end !== null;
  return {
    m: c.m,
    n: c.n,
    test: ended ? last(t, 'testLoss') : NaN,
    train: ended ? last(t, 'trainLossMean') : NaN,
    kernel: ended ? last(t, 'kernelTestLoss') : NaN,
  };
}

const sci = (v: number) => formatSci(v, 3);

/** The panel's view and the sentences the essay quotes, from the runs' ends. */
export function generalizationView(runs: readonly Run[], width: number, status: string): GenView & { binds: Binds } {
  const at = (m: number, n: number) => runs.find((t) => t.spec.config.m === m && t.spec.config.n === n);
  const byWidth = GEN_WIDTHS.map((m) => at(m, GEN_N)).filter((t): t is Run => t !== undefined).map(genPoint);
  const byN = GEN_N_WIDTHS.map((m) => ({ m, tone: rankTone(m, GEN_N_WIDTHS), points: GEN_NS.map((n) => at(m, n)).filter((t): t is Run => t !== undefined).map(genPoint) }));
  const ended = byWidth.filter((p) => p.test > 0);
  const fitTest = fitLine(ended.map((p) => ({ m: p.m, y: p.test })));
  const chosen = at(width, GEN_N);
  const curve = chosen ? { steps: col(chosen, 'step'), train: col(chosen, 'trainLossMean'), test: col(chosen, 'testLoss'), kernel: last(chosen, 'kernelTestLoss') } : null;
  const c = genConfig(GEN_WIDTHS[0], GEN_N);
  const numbers = byWidth.map((p) => (p.test > 0 ? `m = ${p.m}: test ${sci(p.test)}, kernel ${sci(p.kernel)}, training ${sci(p.train)}` : `m = ${p.m}: ${runNote(at(p.m, GEN_N))}`));
  if (fitTest) numbers.push(`slope of the test loss against m: ${slopeText(fitTest)}`);
  const caption =
    `Look first at the solid line in the first chart: the test loss of networks that all fit their training data (the dotted line, near zero), as the width grows. ` +
    `The dashed line is what each network\u2019s own tangent kernel at initialization predicts, trained to convergence on the same points: kernel regression with K\u2080. ` +
    `The second chart repeats both against the number of training points n for m = ${GEN_N_WIDTHS.join(' and ')}; the third follows the run at the slider\u2019s width step by step. ` +
    `Settings: labels from a teacher f*(x) = \u2211\u1d63 a\u1d63 tanh(\u27e8w\u1d63, x\u27e9) with k = ${GEN_TEACHER} units, no label noise; n = ${GEN_N} training points in d = ${c.d} on the sphere (first two charts: n = ${GEN_NS.join(', ')}); ` +
    `${GEN_TEST_N} held-out test points from their own random stream; depth L = ${c.L}; gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) until F \u2264 ${formatTolerance(c.eps)} F\u2080 (at most ${c.steps} steps); seed 1. ` +
    `Losses are means over points of \u00bd(prediction \u2212 label)\u00b2.`;
  return { byWidth, byN, fitTest, width, widths: GEN_WIDTHS, ended: runs.filter((t) => t.end !== null).length, curve, numbers: numbers.join(' \u00b7 '), status, caption, binds: generalizationBinds(byWidth, byN, fitTest) };
}

/** Test and kernel losses within this factor of each other count as the same. */
export const SAME_AS_KERNEL = 0.02;

/** Where the network's test loss stands against its kernel's, width by width, in words. */
export function versusKernel(points: readonly GenPoint[]): string {
  const cls = (p: GenPoint) => (Math.abs(p.test - p.kernel) <= SAME_AS_KERNEL * p.kernel ? 'same' : p.test < p.kernel ? 'below' : 'above');
  const words = { below: 'below its kernel\u2019s', same: `within ${100 * SAME_AS_KERNEL}% of its kernel\u2019s`, above: 'above its kernel\u2019s' };
  const groups = (['below', 'same', 'above'] as const).map((k) => ({ k, ms: points.filter((p) => cls(p) === k).map((p) => p.m) })).filter((g) => g.ms.length);
  if (groups.length === 1) return `${words[groups[0].k]} at every width`;
  return groups.map((g) => `${words[g.k]} at m = ${g.ms.join(', ')}`).join(', and ');
}

/** Whether the fitted slope of the test loss against m leaves room for growth with the width. */
export function blowUpText(fit: { slope: number; hi: number }): string {
  const hi = fit.hi.toFixed(2).replace('-', '\u2212');
  return fit.hi <= 0.25
    ? `More parameters did not make it blow up: the fit\u2019s interval rules out growth faster than m to the power ${hi}`
    : fit.slope > 0
      ? `It grew with the width here: the fit\u2019s interval reaches m to the power ${hi}`
      : `The fit cannot rule out growth with the width: its interval reaches m to the power ${hi}`;
}

/** What the essay says about the runs, each sentence computed from them (null until they are in). */
export function generalizationBinds(byWidth: readonly GenPoint[], byN: GenView['byN'], fitTest: ReturnType<typeof fitLine>): Binds {
  const ended = byWidth.filter((p) => p.test > 0 && p.kernel > 0);
  const all = ended.length === GEN_WIDTHS.length;
  const fold = GEN_WIDTHS[GEN_WIDTHS.length - 1] / GEN_WIDTHS[0];
  const binds: Binds = { 'generalization.widths': GEN_WIDTHS.join(', '), 'generalization.fold': String(fold), 'generalization.slope': fitTest && all ? slopeText(fitTest) : null };
  if (!all) return binds;
  const narrow = ended[0];
  const wide = ended[ended.length - 1];
  Object.assign(binds, {
    'generalization.testNarrow': sci(narrow.test),
    'generalization.testWide': sci(wide.test),
    'generalization.kernelNarrow': sci(narrow.kernel),
    'generalization.kernelWide': sci(wide.kernel),
    'generalization.maxTrain': sci(Math.max(...ended.map((p) => p.train))),
    'generalization.growth':
      wide.test <= narrow.test
        ? `fell from ${sci(narrow.test)} to ${sci(wide.test)}`
        : `rose from ${sci(narrow.test)} to ${sci(wide.test)}, a factor of ${(wide.test / narrow.test).toFixed(1)} over a ${wide.m / narrow.m}-fold growth in width`,
    'generalization.blowUp': fitTest ? blowUpText(fitTest) : null,
    'generalization.beats': versusKernel(ended),
  });
  for (const w of byN) {
    const ps = w.points.filter((p) => p.test > 0);
    if (ps.length !== GEN_NS.length) continue;
    binds[`generalization.nFallM${w.m}`] = `${sci(ps[0].test)} at n = ${ps[0].n} to ${sci(ps[ps.length - 1].test)} at n = ${ps[ps.length - 1].n}`;
  }
  return binds;
}
