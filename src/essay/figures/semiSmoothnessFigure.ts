import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { ProbeResult } from '../../train/probes.ts';
import type { RunHandle } from '../../train/runHandle.ts';
import type { PageState } from '../../state/urlState.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatInt, formatSci, formatTolerance } from '../../viz/format.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { createSemiSmoothness, type SsSlice, type SsTrack, type SsView } from '../../viz/semiSmoothness.ts';
import { widthTone } from '../../viz/widthConvergence.ts';
import { bind } from './essayNumbers.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { observeTrackSet } from './trackSetLifecycle.ts';
import { col, fitLine, slopeText, TrackSet, trackNote, type Track, NOT_STARTED, trackRows, widthsStatus } from './trackSet.ts';
import { SS_SLICE_WIDTHS } from '../../state/panelChoices.ts';
import { initialChoice, recordChoice } from './choices.ts';

/**
 * Wires the "semi-smoothness" panel. Two kinds of runs:
 * - one run per width with rho measured at every step (the middle and right charts);
 * - a probe run at the chosen width, started paused and replayed (same seeds, same trajectory)
 *   to the step the reader has reached with "Take 10 steps", then asked for a 'slice' probe there
 *   (first a tiny one for ||grad F||, then the slice itself, over s from 0 to 4 eta ||grad F||),
 *   and let go: a run held between presses would keep one of the page's few workers.
 */
export const SS_WIDTHS: readonly number[] = [32, 64, 128, 256, 512];
const SLICE_POINTS = 25;
const ADVANCE = 10;

export function ssConfig(m: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, L: 2, n: 16, d: 8, labels: 'gaussian', lrScale: 0.5, steps: 4000, every: 1, eps: 1e-3 };
}

export function mountSemiSmoothness(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let width = Number(initialChoice(state, 'semi-smoothness', 'width'));
  let slice: SsSlice | null = null;
  let probeRun: RunHandle | null = null;
  let lr = NaN;
  let target = 0; // the step the slice is (to be) taken at
  let sliceBusy = false;
  let runEnded = false;

  const set = new TrackSet({ pool, measures: { rho: true }, fields: ['rho', 'rhoRelu'], paused: true, onChange: () => redraw() });

  const panel = createSemiSmoothness(
    figure,
    SS_SLICE_WIDTHS,
    {
      width: (m) => {
        if (m === width) return;
        recordChoice(state, options, 'semi-smoothness', 'width', m);
        width = m;
        target = 0;
        slice = null;
        runEnded = false;
        requestSlice();
        redraw();
      },
      advance: () => {
        if (sliceBusy || runEnded) return;
        target += ADVANCE;
        requestSlice();
        redraw();
      },
      rewind: () => {
        target = 0;
        slice = null;
        runEnded = false;
        requestSlice();
        redraw();
      },
    },
    {
      csv: () => ({
        columns: ['kind', 'width', 'step', 's', 'loss', 'first_order', 'bound', 'rho', 'rho_relu'],
        rows: [
          ...(slice ? slice.s.map((s, i) => ['slice', width, slice!.step, s, slice!.loss[i], slice!.firstOrder[i], slice!.bound[i], '', '']) : []),
          ...trackRows(set.tracks, (t, i) => ['run', t.m, col(t, 'step')[i], '', '', '', '', col(t, 'rho')[i], col(t, 'rhoRelu')[i]]),
        ],
      }),
      basename: () => `semi-smoothness_m${width}_t${slice?.step ?? 0}_L2_n16_d8_seed1`,
    },
  );
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  const lifecycle = observeTrackSet(figure, set, () => set.start(SS_WIDTHS.map(ssConfig), false), (active) => {
    if (active && (!slice || slice.step !== target)) requestSlice();
    else if (!active) closeProbeRun();
    redraw();
  });

  function closeProbeRun(): void {
    probeRun?.cancel();
    probeRun = null;
    sliceBusy = false;
  }

  /**
   * A probe run at `width`, replayed from the same seeds to `target` steps, sliced there and let go:
   * a run held between the reader's presses would keep one of the page's few workers.
   */
  function requestSlice(): void {
    closeProbeRun();
    asking = false; // a slice asked of a run let go never answers
    if (!lifecycle.active) return;
    sliceBusy = true;
    const handle: RunHandle = pool.start(
      { config: ssConfig(width), probes: true },
      {
        started: (info) => {
          lr = info.lr;
          if (target > 0) handle.stepBy(target);
          else takeSlice(handle);
        },
        records: (_batch, progress) => {
          if (progress.step >= target && handle.state !== 'done' && !asking) takeSlice(handle);
        },
        done: (end) => {
          runEnded = true;
          target = Math.min(target, end.step);
          if (!asking) takeSlice(handle);
          redraw();
        },
        error: () => {
          closeProbeRun();
          redraw();
        },
      },
      { paused: true, first: true },
    );
    probeRun = handle;
  }

  let asking = false;
  function takeSlice(handle: RunHandle): void {
    asking = true;
    const finish = () => {
      asking = false;
      if (handle === probeRun) closeProbeRun();
      redraw();
    };
    // first ||grad F|| at this point (a one-point slice), then the slice over 0..4 eta ||g||
    handle.probe({ kind: 'slice', sValues: [0] }, (r0, done0) => {
      if (!done0) return;
      if (handle !== probeRun || !r0 || r0.kind !== 'slice' || !(r0.gradNorm > 0)) return finish();
      const stepS = lr * r0.gradNorm;
      const sValues = Array.from({ length: SLICE_POINTS }, (_, i) => (4 * stepS * i) / (SLICE_POINTS - 1));
      handle.probe({ kind: 'slice', sValues }, (r, done) => {
        if (!done) return;
        if (handle === probeRun && r && r.kind === 'slice') slice = toSlice(r, stepS);
        finish();
      });
    });
  }

  function toSlice(r: Extract<ProbeResult, { kind: 'slice' }>, stepS: number): SsSlice {
    const s = Array.from(r.s);
    // the grid holds s = eta ||g|| exactly at index (n - 1) / 4
    const k = Math.round((SLICE_POINTS - 1) / 4);
    return {
      step: r.step,
      s,
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

  function trackOf(t: Track): SsTrack {
    const steps = col(t, 'step');
    const rho = col(t, 'rho');
    const relu = col(t, 'rhoRelu').map(Math.abs);
    let sum = 0;
    let n = 0;
    for (const v of relu) if (Number.isFinite(v)) (sum += v), n++;
    return { m: t.m, tone: widthTone(t.m), steps, rho, rhoRelu: relu, meanAbsRelu: t.end && n ? sum / n : NaN, note: trackNote(t) };
  }

  function view(): SsView {
    const tracks = set.tracks.map(trackOf);
    const done = tracks.filter((t) => t.meanAbsRelu > 0);
    const fit = fitLine(done.map((t) => ({ m: t.m, y: t.meanAbsRelu })));
    const c = ssConfig(width);
    const s = slice;
    let numbers = '';
    if (s) {
      const drop = s.loss0 - s.stepLoss;
      const lin = s.stepS * s.gradNorm;
      numbers =
        `At step ${formatInt(s.step)}: F = ${formatSci(s.loss0)}, \u2016\u2207F\u2016 = ${formatSci(s.gradNorm)}; ` +
        `the gradient step lowers F by ${formatSci(drop)}, ${(100 * drop / lin).toFixed(1)}% of the first-order ${formatSci(lin)}; b = ${formatSci(s.b, 3)}.`;
    }
    if (done.length) numbers += (numbers ? ' ' : '') + done.map((t) => `m = ${t.m}: mean |\u03c1_ReLU| = ${formatSci(t.meanAbsRelu, 2)}`).join(' \u00b7 ');
    const sel = tracks.find((t) => t.m === width);
    let rhoMax = -Infinity;
    if (sel) for (const v of sel.rho) if (v > rhoMax) rhoMax = v;
    let caption =
      `The network of the text (L = ${c.L}, n = ${c.n}, d = ${c.d}, Gaussian labels) trained by gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080). ` +
      `Left: at the current point of a run of width ${width}, the loss along the negative gradient for s from 0 to 4\u03b7\u2016\u2207F\u2016, the first-order line, ` +
      `and the smallest quadratic bound F \u2212 s\u2016\u2207F\u2016 + b s\u00b2 that covers the measured points; the dot is where the gradient step lands. ` +
      `Middle: \u03c1 = [F(W \u2212 \u03b7g) \u2212 F(W) + \u03b7\u2016g\u2016\u00b2]/(\u03b7\u2016g\u2016\u00b2) at every step of the run of width ${width} (a step lowers F exactly when \u03c1 < 1)` +
      (Number.isFinite(rhoMax) ? `; its largest value so far is ${formatSci(rhoMax, 3)}` : '') +
      `, and the part of it the tangent-kernel linearization does not explain, \u03c1_ReLU. ` +
      `Right: the mean |\u03c1_ReLU| of runs of width ${SS_WIDTHS.join(', ')} until F \u2264 ${formatTolerance(c.eps)} F\u2080` +
      (fit ? `, with a fitted slope of ${slopeText(fit)}.` : ' (the fit appears when three widths have finished).');
    bind('semi-smoothness.slope', fit ? slopeText(fit) : null);
    if (fit) bind('semi-smoothness.trend', fit.hi < 0 ? 'shrinks as the width grows' : fit.lo > 0 ? 'grows with the width' : 'shows no clear trend with the width here');
    bind('semi-smoothness.widths', SS_WIDTHS.join(', '));
    if (done.length >= 2) {
      bind('semi-smoothness.reluNarrow', formatSci(done[0].meanAbsRelu, 2));
      bind('semi-smoothness.mNarrow', String(done[0].m));
      bind('semi-smoothness.reluWide', formatSci(done[done.length - 1].meanAbsRelu, 2));
      bind('semi-smoothness.mWide', String(done[done.length - 1].m));
    }
    if (s) bind('semi-smoothness.fraction', `${(100 * (s.loss0 - s.stepLoss) / (s.stepS * s.gradNorm)).toFixed(1)}%`);
    if (s) bind('semi-smoothness.sliceStep', formatInt(s.step));
    if (s) bind('semi-smoothness.sliceWidth', String(width));
    const running = set.running;
    const sliceNote = !lifecycle.active ? '' : sliceBusy ? `slicing at step ${formatInt(target)}\u2026` : runEnded ? 'the run has converged' : '';
    return {
      width,
      widths: SS_SLICE_WIDTHS,
      slice,
      sliceNote,
      canAdvance: lifecycle.active && !sliceBusy && !runEnded,
      tracks,
      fit,
      numbers,
      status: !set.started ? NOT_STARTED : [widthsStatus(true, running, lifecycle.active), sliceNote].filter(Boolean).join(' '),
      caption,
    };
  }

  redraw();
  return {
    state,
    dispose() {
      lifecycle.disconnect();
      closeProbeRun();
      set.cancel();
    },
  };
}
