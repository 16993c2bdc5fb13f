import { estimateRun, formatBytes } from '../../train/estimate.ts';
import { countParams } from '../../net/network.ts';
import type { RunConfig } from '../../train/config.ts';
import type { RunInfo, SetupPhase } from '../../train/protocol.ts';
import type { RecordField } from '../../train/recordLayout.ts';
import { runProgress } from '../../train/progress.ts';
import { netSpecOf } from '../../train/netSpec.ts';
import type { RunEnd, RunProgress, RunState } from '../../train/runHandle.ts';
import { EXPLODE_FACTOR } from '../../train/stopRules.ts';
import type { ControlName } from '../../state/urlState.ts';
import { formatInt, formatRate, formatSci, formatTolerance, powerOfTen } from '../../viz/format.ts';
import type { SeriesBuffer } from '../../viz/seriesBuffer.ts';
import { formatParams, type PanelCurve, type StatusKind, type WidthConvergenceView } from '../../viz/widthConvergence.ts';
import { widthTone } from '../../viz/widthTone.ts';
import { describeWidthConvergence } from '../../viz/widthConvergenceCaption.ts';
import { runNote, runPhase } from './runNote.ts';

/**
 * The width figure's view model: pure functions from its runs and its state to what the panel
 * draws and writes (the curves and their notes, the status line, the numbers, the comparison's
 * progress, the caption). No DOM, no timers, no pool: the controller
 * (widthConvergenceFigure.ts) holds the runs and the reader's intents and draws `widthView(model)`.
 */

/** What the view reads of a run's handle (a RunHandle is one). */
export interface RunHandleView {
  readonly state: RunState;
  readonly progress: Pick<RunProgress, 'step' | 'stepsPerSecond'>;
  readonly active: boolean;
  /** How far set-up has got while starting (absent: not yet said). */
  readonly setupPhase?: SetupPhase | null;
}

/** A width's curve: what the figure keeps beside its run (made afresh at each launch). */
export interface WidthCurve {
  readonly width: number;
  /** Runs started together (a comparison) share one and fade together. */
  readonly generation: number;
  readonly series: SeriesBuffer; // (step, loss)
  readonly loss0: number; // the first record's loss, NaN before it
  readonly stepLimit: number;
  readonly eps: number;
  /** The instruments' values at the last record, for an architecture whose runs measure them (the CNN's). */
  readonly readouts?: Readonly<Partial<Record<RecordField, number>>>;
}

/** One width's run and its curve, which stays on the chart after the run ends. */
export interface WidthRun {
  readonly key: string; // `m${width}`: one curve per width
  readonly handle: RunHandleView;
  readonly info: RunInfo | null;
  readonly end: RunEnd | null;
  readonly error: string | null;
  readonly own: WidthCurve;
}

/**
 * The width the reader chose. `committed` trains and is the state's (and the URL's) width m;
 * `shown` is on the slider, ahead of it while a drag or a key press waits to commit.
 */
export interface WidthChoice {
  readonly shown: number;
  readonly committed: number;
}

/** The committed width is the config's; a pending slider width, if any, is what shows. */
export function widthChoice(config: RunConfig, pending: number | null): WidthChoice {
  return { shown: pending ?? config.m, committed: config.m };
}

/** Everything the view is drawn from. */
export interface WidthFigureModel {
  readonly config: RunConfig; // the committed settings (config.m is width.committed)
  readonly width: WidthChoice;
  readonly curves: readonly WidthRun[]; // oldest first
  readonly current: WidthRun | null; // the run of the committed width
  readonly sweep: readonly WidthRun[] | null; // a comparison's runs (may include the current one)
  readonly stepAxis: 'linear' | 'log';
  readonly hide: readonly ControlName[];
  /** The reader asked for a run (or autoplay did); until then the figure waits for Play. */
  readonly started: boolean;
  /** Held by the reader's Pause or Step (not by scrolling away). */
  readonly userPaused: boolean;
  /** On screen with its tab visible. */
  readonly onScreen: boolean;
  readonly reducedMotion: boolean;
  /** How the status line names a run's size: "width 256" (the default), "128 channels" (the CNN). */
  readonly sizeName?: (m: number) => string;
}

const widthName = (m: number): string => `width ${m}`;

export interface Status {
  kind: StatusKind;
  text: string;
}

/** The runs still going: the current one first, then a comparison's others. */
export function activeRuns<R extends WidthRun>(current: R | null, sweep: readonly R[] | null): R[] {
  const out = current ? [current] : [];
  if (sweep) for (const r of sweep) if (r !== current) out.push(r);
  return out.filter((r) => r.handle.active);
}

/** F/F_0 at the run's last record. */
function lossRatio(r: WidthRun): number {
  return r.own.series.lastY / r.own.loss0;
}

/** A curve's legend note (runNote's words): "converged in 96 steps", "step 120", "waiting for a worker". */
export function curveNote(r: WidthRun): string {
  return runNote(r, { overrides: { steps: `step limit, F/F\u2080 = ${formatSci(lossRatio(r), 2)}`, failed: 'failed' } });
}

export const IDLE_TEXT = 'Press Play to train.';
export const IDLE_REDUCED_MOTION_TEXT = 'Press Play to train (nothing starts by itself, as your system asks for reduced motion).';

/** Why a run diverged: the stop rule fires on a non-finite loss or on one 10^8 times F_0 (stopRules.ts). */
function divergedStatus(r: WidthRun, end: RunEnd, c: RunConfig): Status {
  const what = /non-finite/.test(end.message)
    ? 'the loss stopped being a finite number'
    : `the loss exploded to ${formatSci(r.own.series.lastY)}, more than ${powerOfTen(EXPLODE_FACTOR)} times where it started`;
  const eta = r.info ? ` (\u03b7 = ${formatSci(r.info.lr)})` : '';
  return {
    kind: 'diverged',
    text: `Diverged at step ${formatInt(end.step)}: ${what}. ` + `The step is too large: try a smaller step-size scale c (now ${c.lrScale}${eta}) in Settings.`,
  };
}

/** The status line of a run that ended. */
function endStatus(r: WidthRun, end: RunEnd, c: RunConfig, size: (m: number) => string): Status {
  switch (end.reason) {
    case 'converged':
      return { kind: 'converged', text: `Converged: F \u2264 ${formatTolerance(c.eps)} F\u2080 after ${formatInt(end.step)} steps at ${size(r.own.width)}.` };
    case 'diverged':
      return divergedStatus(r, end, c);
    case 'steps':
      return {
        kind: 'steps',
        text:
          `Stopped at the step limit of ${formatInt(c.steps)} steps with F = ${formatSci(lossRatio(r), 2)} F\u2080. ` +
          `Raise the step limit in Settings, or widen the network.`,
      };
    case 'dead':
      return {
        kind: 'diverged',
        text:
          `Stopped at step ${formatInt(end.step)}: the network is dead. The gradient is exactly zero while F = ${formatSci(r.own.series.lastY)}, ` +
          `as every input it still gets wrong has a layer with all its units off, so no step can lower F. ` +
          `This is the bad critical point that Theorem 3 rules out near initialization; the step (c = ${c.lrScale}) threw the weights too far from it. Try a smaller step-size scale c in Settings.`,
      };
    case 'stalled':
      return {
        kind: 'steps',
        text: `Stopped at step ${formatInt(end.step)}: no progress. ${cap(end.message)}. Try another step-size scale c or a wider network in Settings.`,
      };
    case 'stopped':
      return { kind: 'paused', text: end.message };
  }
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Set-up's three parts, in order, as the status line names them. */
const SETUP_STEPS = [
  { key: 'init', text: 'data and random initialization' },
  { key: 'kernel', text: 'the tangent kernel K\u2080' },
  { key: 'firstStep', text: 'the first step' },
] as const;

/**
 * How far set-up has got (the worker says when it reaches K_0; the first step is after 'started'),
 * and, for a run that takes a while, what it will hold and how long the rest should take (estimate.ts).
 */
function setupStatus(r: WidthRun, c: RunConfig, at: 0 | 1 | 2, size: (m: number) => string): string {
  const e = estimateRun({ ...c, m: r.own.width });
  const left = SETUP_STEPS.slice(at).reduce((t, p) => t + e.phasesMs[p.key], 0);
  const cost = e.setupMs < 1000 ? '' : ` (about ${formatBytes(e.bytes.total)} of memory; roughly ${Math.max(1, Math.round(left / 1000))} s ${at ? 'more ' : ''}on a laptop)`;
  return `Setting up ${size(r.own.width)}, ${at + 1} of 3: ${SETUP_STEPS[at].text}${cost}\u2026`;
}

/** Said only when the run is not on the WebAssembly kernels (a page whose policy refuses wasm). */
function kernelsNote(r: WidthRun): string {
  return r.info && !r.info.kernels.startsWith('wasm') ? ' It trains on the TypeScript kernels, as this page does not allow WebAssembly (slower).' : '';
}

/** The status line under the chart: about the current run, or what to press when there is none. */
export function widthStatus(m: WidthFigureModel): Status {
  const r = m.current;
  if (!m.started || !r) return { kind: 'idle', text: m.reducedMotion ? IDLE_REDUCED_MOTION_TEXT : IDLE_TEXT };
  const phase = runPhase(r);
  if (phase === 'failed') return { kind: 'error', text: `The run failed: ${r.error ?? ''}. Press Reset to train again.` };
  const size = m.sizeName ?? widthName;
  if (r.end) return endStatus(r, r.end, m.config, size);
  switch (phase) {
    case 'queued':
      return { kind: 'starting', text: 'Waiting for a free worker\u2026' };
    case 'starting':
      return { kind: 'starting', text: setupStatus(r, m.config, r.handle.setupPhase === 'kernel' ? 1 : 0, size) };
    case 'paused':
      return m.userPaused ? { kind: 'paused', text: 'Paused.' } : { kind: 'waiting', text: 'Paused while out of view.' };
    default:
      // set up, and its first step under way (a wide one takes a while): no record yet
      if (r.handle.progress.step === 0 && r.own.series.count === 0) return { kind: 'starting', text: setupStatus(r, m.config, 2, size) };
      return { kind: 'running', text: `Training ${size(r.own.width)}.${kernelsNote(r)}` };
  }
}

/** An earlier curve's opacity by how many groups of runs ago it was started (1 = the most recent). */
export function fadeForAge(age: number): number {
  return age === 0 ? 1 : Math.max(0.3, 0.85 - 0.12 * (age - 1));
}

/** Each curve's opacity, in the curves' order: the current run's is 1, earlier ones fade by generation. */
export function curveFades(curves: readonly WidthRun[], current: WidthRun | null): number[] {
  const generations = [...new Set(curves.filter((r) => r !== current).map((r) => r.own.generation))].sort((a, b) => b - a);
  return curves.map((r) => fadeForAge(r === current ? 0 : generations.indexOf(r.own.generation) + 1));
}

export interface SweepProgress {
  running: boolean;
  fraction: number;
  text: string;
}

/** How far a comparison has got: the mean of its runs' progress, "2 of 4 widths done". */
export function sweepProgress(runs: readonly WidthRun[]): SweepProgress {
  let sum = 0;
  let finished = 0;
  for (const r of runs) {
    const over = r.end !== null || r.error !== null;
    sum += over ? 1 : runProgress(r.handle.progress.step, r.own.stepLimit, r.own.loss0, r.own.series.lastY, r.own.eps);
    if (over || !r.handle.active) finished++;
  }
  const running = finished < runs.length;
  return {
    running,
    fraction: sum / runs.length,
    text: running ? `${finished} of ${runs.length} widths done` : `compared ${runs.length} widths`,
  };
}

/** The run whose numbers show: the current one, unless the slider has moved off its width. */
export function shownRun(m: WidthFigureModel): WidthRun | null {
  return m.current && m.current.own.width === m.width.shown ? m.current : null;
}

/** The live numbers over the chart: the slider's width and its parameters, the shown run's step, rate and loss. */
export function widthNumbers(m: WidthFigureModel): WidthConvergenceView['numbers'] {
  const { total, trained } = countParams(netSpecOf({ ...m.config, m: m.width.shown }));
  const r = shownRun(m);
  const loss = r && r.own.series.count ? r.own.series.lastY : NaN;
  return {
    width: String(m.width.shown),
    params: formatParams(total, trained),
    step: r ? formatInt(r.handle.progress.step) : '\u2013',
    // the last measured rate stays up after a run ends or pauses: it is what the run achieved
    rate: formatRate(r ? r.handle.progress.stepsPerSecond : NaN),
    loss: Number.isFinite(loss) ? formatSci(loss) : '\u2013',
  };
}

/** The figure's data attributes (tests and embeds read them): the shown run's F_0, loss and step, or ''. */
export function figureData(m: WidthFigureModel): { loss0: string; loss: string; step: string } {
  const r = shownRun(m);
  if (!r) return { loss0: '', loss: '', step: '' };
  return { loss0: String(r.own.loss0), loss: String(r.own.series.count ? r.own.series.lastY : NaN), step: String(r.handle.progress.step) };
}

/** What the transport buttons offer. */
export function transport(m: WidthFigureModel): Pick<WidthConvergenceView, 'playing' | 'canPlay' | 'canStep'> {
  const anyActive = activeRuns(m.current, m.sweep).length > 0;
  return {
    playing: m.started && anyActive && !m.userPaused && m.onScreen,
    canPlay: !m.started || anyActive,
    canStep: !m.started || (m.current?.handle.active ?? false),
  };
}

function panelCurves(m: WidthFigureModel): PanelCurve[] {
  const fades = curveFades(m.curves, m.current);
  return m.curves.map((r, i) => ({
    key: r.key,
    label: `m = ${r.own.width}`,
    note: curveNote(r),
    series: r.own.series,
    scale: r.own.loss0 > 0 ? 1 / r.own.loss0 : undefined,
    tone: widthTone(r.own.width),
    current: r === m.current,
    fade: fades[i],
  }));
}

/** Everything the panel draws. */
export function widthView(m: WidthFigureModel): WidthConvergenceView {
  const c = m.config;
  const r = m.current;
  return {
    width: m.width.shown,
    curves: panelCurves(m),
    // curves are F/F_0, so every run's stop level eps F_0 is the one line at eps (the current run's eps)
    threshold: r && r.own.loss0 > 0 ? r.own.eps : undefined,
    stepAxis: m.stepAxis,
    numbers: widthNumbers(m),
    status: widthStatus(m),
    ...transport(m),
    sweep: m.sweep ? sweepProgress(m.sweep) : null,
    config: c,
    caption: describeWidthConvergence(
      c,
      m.curves.map((e) => e.own.width),
      r?.own.width ?? c.m,
      r?.info?.lr ?? null,
    ),
    hide: m.hide,
  };
}
