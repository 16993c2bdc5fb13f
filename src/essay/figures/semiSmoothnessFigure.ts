import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { ProbeResult } from '../../train/probes.ts';
import { formatInt, formatSci, formatTolerance } from '../../viz/format.ts';
import { createSemiSmoothness, type SsSlice, type SsTrack, type SsView } from '../../viz/semiSmoothness.ts';
import { rankTone } from '../../viz/widthTone.ts';
import { SS_SLICE_WIDTHS } from '../../state/panelChoices.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { compareSlope, fitLine, referenceLine, slopeText, type Slope } from './fits.ts';
import { calmDraw } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { NOT_STARTED, runNote, setStatus } from './runNote.ts';
import { col, runRows, type Run } from './runSet.ts';

/**
 * Wires the "semi-smoothness" panel. Two sets of runs:
 * - one run per width with rho measured at every step (the middle and right charts);
 * - a probe run at the chosen width, held paused and replayed (same seeds, same trajectory)
 *   to the step the reader has reached with "Take 10 steps", then asked for a 'slice' probe there
 *   (first a tiny one for ||grad F||, then the slice itself, over s from 0 to 4 eta ||grad F||),
 *   and let go: a run held between presses (or off screen) would keep one of the page's few workers.
 */
export const SS_WIDTHS: readonly number[] = [32, 64, 128, 256, 512];
const SLICE_POINTS = 25;
const ADVANCE = 10;

export function ssConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 2, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 1, eps: 1e-3 };
}

export function mountSemiSmoothness(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'semi-smoothness', options, (figure) => {
    let width = Number(figure.choice('width'));
    let slice: SsSlice | null = null;
    let target = 0; // the step the slice is (to be) taken at
    let runEnded = false;
    const set = figure.runs({ measures: { rho: true }, fields: ['rho', 'rhoRelu'] });
    const slices = figure.runs({
      probes: true,
      own: () => ({ asking: false }),
      started: (run) => (target > 0 ? slices.stepBy(run, target) : takeSlice(run)),
      records: (run, _batch, progress) => {
        if (progress.step >= target && run.handle.state !== 'done' && !run.own.asking) takeSlice(run);
      },
      done: (run, end) => {
        runEnded = true;
        target = Math.min(target, end.step);
        if (!run.own.asking) takeSlice(run);
      },
      error: () => slices.clear(),
    });
    const sliceBusy = (): boolean => slices.running > 0 || slices.runs.some((r) => r.own.asking);

    /** A probe run at `width`, replayed from the same seeds to `target` steps, sliced there and let go. */
    function requestSlice(): void {
      slices.clear();
      if (figure.active) slices.start({ key: 'slice', config: ssConfig(width), probes: true, held: true, first: true });
      figure.redraw();
    }

    function takeSlice(run: Run<{ asking: boolean }>): void {
      run.own.asking = true;
      const h = run.handle;
      const live = () => slices.get('slice')?.handle === h;
      const lr = run.info?.lr ?? NaN;
      const finish = () => {
        run.own.asking = false;
        if (live()) slices.clear();
        figure.redraw();
      };
      // first ||grad F|| at this point (a one-point slice), then the slice over 0..4 eta ||g||
      h.probe({ kind: 'slice', sValues: [0] }, (r0, done0) => {
        if (!done0) return;
        if (!live() || !r0 || r0.kind !== 'slice' || !(r0.gradNorm > 0)) return finish();
        const stepS = lr * r0.gradNorm;
        const sValues = Array.from({ length: SLICE_POINTS }, (_, i) => (4 * stepS * i) / (SLICE_POINTS - 1));
        h.probe({ kind: 'slice', sValues }, (r, done) => {
          if (!done) return;
          if (live() && r && r.kind === 'slice') slice = toSlice(r, stepS);
          finish();
        });
      });
    }
    const again = (to: number, keep = true): void => {
      target = to;
      if (!keep) slice = null;
      if (!keep) runEnded = false;
      requestSlice();
    };
    const panel = createSemiSmoothness(
      root,
      SS_SLICE_WIDTHS,
      {
        width: (m) => {
          if (m === width) return;
          figure.choose('width', m);
          width = m;
          again(0, false);
        },
        advance: () => {
          if (!sliceBusy() && !runEnded) again(target + ADVANCE);
        },
        rewind: () => again(0, false),
      },
      {
        csv: () => ({
          columns: ['kind', 'width', 'step', 's', 'loss', 'first_order', 'bound', 'rho', 'rho_relu'],
          rows: [
            ...(slice ? slice.s.map((s, i) => ['slice', width, slice!.step, s, slice!.loss[i], slice!.firstOrder[i], slice!.bound[i], '', '']) : []),
            ...runRows(set.runs, (t, i) => ['run', t.spec.config.m, col(t, 'step')[i], '', '', '', '', col(t, 'rho')[i], col(t, 'rhoRelu')[i]]),
          ],
        }),
        basename: () => `semi-smoothness_m${width}_t${slice?.step ?? 0}_L2_n16_d8_seed1`,
      },
    );
    const widths = set.lifecycle(() => set.startAll(SS_WIDTHS.map((m) => ({ key: `m${m}`, config: ssConfig(m) }))));
    return {
      ...widths,
      onscreen: () => {
        widths.onscreen();
        if (!slice || slice.step !== target) requestSlice();
      },
      offscreen: () => {
        widths.offscreen();
        slices.clear();
      },
      draw: calmDraw(
        figure,
        () => [...set.runs, ...slices.runs],
        () => {
          const active = figure.active;
          const sliceNote = !active ? '' : sliceBusy() ? `slicing at step ${formatInt(target)}\u2026` : runEnded ? 'the run has converged' : '';
          const status = !set.started ? NOT_STARTED : [setStatus(set, { active }), sliceNote].filter(Boolean).join(' ');
          const { binds, ...view } = semiSmoothnessView(set.runs, width, slice, status);
          bindAll(binds);
          panel.update({ ...view, sliceNote, canAdvance: active && !sliceBusy() && !runEnded });
        },
        () => `${slice?.step ?? ''}:${target}:${runEnded}`,
      ),
    };
  });
}

export function toSlice(r: Extract<ProbeResult, { kind: 'slice' }>, stepS: number): SsSlice {
  // the grid holds s = eta ||g|| exactly at index (n - 1) / 4
  const k = Math.round((SLICE_POINTS - 1) / 4);
  return {
    step: r.step,
    s: Array.from(r.s),
    loss: Array.from(r.loss),
    firstOrder: Array.from(r.firstOrder),
    bound: Array.from(r.bound),
    b: r.curvatureBound,
    stepS,
    stepLoss: r.loss[k],
    loss0: r.loss0,
    gradNorm: r.gradNorm,
  };
}

/** One width's rho curves, and the mean |rho_ReLU| once it ended. */
export function ssTrack(t: Run): SsTrack {
  const m = t.spec.config.m;
  const relu = col(t, 'rhoRelu').map(Math.abs);
  let sum = 0;
  let n = 0;
  for (const v of relu) if (Number.isFinite(v)) (sum += v), n++;
  return { m, tone: rankTone(m, SS_WIDTHS), steps: col(t, 'step'), rho: col(t, 'rho'), rhoRelu: relu, meanAbsRelu: t.end && n ? sum / n : NaN, note: runNote(t) };
}

/** The panel's view (less the slice's controls) and the numbers the essay quotes. */
export function semiSmoothnessView(runs: readonly Run[], width: number, s: SsSlice | null, status: string): Omit<SsView, 'sliceNote' | 'canAdvance'> & { binds: Binds } {
  const tracks = runs.map(ssTrack);
  const done = tracks.filter((t) => t.meanAbsRelu > 0);
  const fit = fitLine(done.map((t) => ({ m: t.m, y: t.meanAbsRelu })));
  const c = ssConfig(width);
  const fraction = s ? `${((100 * (s.loss0 - s.stepLoss)) / (s.stepS * s.gradNorm)).toFixed(1)}%` : '';
  let numbers = '';
  if (s) {
    const lin = s.stepS * s.gradNorm;
    numbers =
      `At step ${formatInt(s.step)}: F = ${formatSci(s.loss0)}, \u2016\u2207F\u2016 = ${formatSci(s.gradNorm)}; ` +
      `the gradient step lowers F by ${formatSci(s.loss0 - s.stepLoss)}, ${fraction} of the first-order ${formatSci(lin)}; b = ${formatSci(s.b, 3)}.`;
  }
  if (done.length) numbers += (numbers ? ' ' : '') + done.map((t) => `m = ${t.m}: mean |\u03c1_ReLU| = ${formatSci(t.meanAbsRelu, 2)}`).join(' \u00b7 ');
  const sel = tracks.find((t) => t.m === width);
  let rhoMax = -Infinity;
  if (sel) for (const v of sel.rho) if (v > rhoMax) rhoMax = v;
  const reference = referenceLine(done.map((t) => ({ m: t.m, y: t.meanAbsRelu })), -1 / 6);
  const caption =
    `Look first at the third chart: the mean |\u03c1_ReLU| of each width, with its fitted slope and, grey dashed, the slope \u22121/6 that the bound\u2019s \u03c9\u00b9\u141f\u00b3 term gives (\u03c9 ~ m\u207b\u00b9\u141f\u00b2). ` +
    `\u03c1_ReLU is everything the tangent-kernel linearization misses: ReLUs that flip, and the smooth curvature across layers. ` +
    `The network of the text (L = ${c.L}, n = ${c.n}, d = ${c.d}, Gaussian labels) trained by gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080). ` +
    `First chart: at the current point of a run of width ${width}, the loss along the negative gradient for s from 0 to 4\u03b7\u2016\u2207F\u2016, the first-order line, ` +
    `and the smallest quadratic bound F \u2212 s\u2016\u2207F\u2016 + b s\u00b2 that covers the measured points; the dot is where the gradient step lands. ` +
    `Second chart: \u03c1 = [F(W \u2212 \u03b7g) \u2212 F(W) + \u03b7\u2016g\u2016\u00b2]/(\u03b7\u2016g\u2016\u00b2) at every step of the run of width ${width} (a step lowers F exactly when \u03c1 < 1)` +
    (Number.isFinite(rhoMax) ? `; its largest value so far is ${formatSci(rhoMax, 3)}` : '') +
    `, and |\u03c1_ReLU| (dotted, in orange; \u03c1 is solid). ` +
    `Third chart: the mean |\u03c1_ReLU| of runs of width ${SS_WIDTHS.join(', ')} until F \u2264 ${formatTolerance(c.eps)} F\u2080` +
    (fit ? `, with a fitted slope of ${slopeText(fit)}.` : ' (the fit appears when three widths have finished).');
  const binds: Binds = {
    'semi-smoothness.slope': fit ? slopeText(fit) : null,
    'semi-smoothness.trend': fit ? ssTrend(fit) : null,
    'semi-smoothness.vsBound': fit ? `${compareSlope(fit, -1 / 6)} the bound\u2019s m\u207b\u00b9\u141f\u2076` : null,
    'semi-smoothness.widths': SS_WIDTHS.join(', '),
    'semi-smoothness.fraction': s ? fraction : null,
    'semi-smoothness.sliceStep': s ? formatInt(s.step) : null,
    'semi-smoothness.sliceWidth': s ? String(width) : null,
  };
  if (done.length >= 2) {
    Object.assign(binds, {
      'semi-smoothness.reluNarrow': formatSci(done[0].meanAbsRelu, 2),
      'semi-smoothness.mNarrow': String(done[0].m),
      'semi-smoothness.reluWide': formatSci(done[done.length - 1].meanAbsRelu, 2),
      'semi-smoothness.mWide': String(done[done.length - 1].m),
    });
  }
  return { width, widths: SS_SLICE_WIDTHS, slice: s, tracks, fit, reference, numbers, status, caption, binds };
}

/** Whether the fitted slope of mean |rho_ReLU| against m says it shrinks, grows, or neither (its 95% interval). */
export function ssTrend(fit: Slope): string {
  return fit.hi < 0 ? 'shrinks as the width grows' : fit.lo > 0 ? 'grows with the width' : 'shows no clear trend with the width here';
}
