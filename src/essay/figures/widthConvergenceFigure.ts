import { countParams } from '../../net/network.ts';
import type { RunConfig } from '../../train/config.ts';
import type { RunInfo } from '../../train/protocol.ts';
import { runProgress } from '../../train/progress.ts';
import type { RecordBatch } from '../../train/recordLayout.ts';
import { netSpecOf } from '../../train/run.ts';
import type { RunEnd, RunHandle } from '../../train/runHandle.ts';
import { EXPLODE_FACTOR } from '../../train/stopRules.ts';
import { readField, STATE_FIELDS, type Notice, type PageState } from '../../state/urlState.ts';
import { observeFigure } from '../../viz/figureLifecycle.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatInt, formatRate, formatSci, formatTolerance, powerOfTen } from '../../viz/format.ts';
import { SeriesBuffer } from '../../viz/seriesBuffer.ts';
import {
  createWidthConvergence,
  formatParams,
  widthTone,
  type PanelCurve,
  type StatusKind,
  type WidthConvergencePanel,
  type WidthConvergenceView,
} from '../../viz/widthConvergence.ts';
import { describeWidthConvergence } from '../../viz/widthConvergenceCaption.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';

/**
 * Wires the width-convergence panel to training runs: the slider's width becomes a run on the
 * worker pool, records become curves, the figure's lifecycle pauses and resumes the runs, and
 * every state change is reported (the page mirrors it into the URL, an embed into attributes).
 */

/** Points kept per curve: more than the chart has pixels across, few enough to redraw each frame. */
const CURVE_POINTS = 1024;
/** Curves kept on the chart; the oldest goes first. */
export const MAX_CURVES = 8;
/** Widths the "Compare widths" button trains side by side (each converges in seconds). */
export const SWEEP_WIDTHS: readonly number[] = [16, 64, 256, 1024];
/** Quiet time before a new width starts training: after a key press, and while a drag goes on. */
const COMMIT_AFTER_KEY_MS = 150;
const COMMIT_DURING_DRAG_MS = 400;
/** A run left before this many steps (a width passed over while dragging) leaves no curve. */
const MIN_STEPS_TO_KEEP = 10;
/** Under reduced motion the chart and numbers redraw at most this often. */
const REDUCED_MOTION_FRAME_MS = 500;

interface Entry {
  key: string;
  width: number;
  series: SeriesBuffer;
  handle: RunHandle;
  info: RunInfo | null;
  loss0: number;
  end: RunEnd | null;
  error: string | null;
  stepLimit: number;
  eps: number;
  generation: number; // runs started together (a comparison) share one and fade together
}

export function mountWidthConvergence(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  const reducedMotion = prefersReducedMotion();
  let curves: Entry[] = []; // oldest first
  let current: Entry | null = null;
  let sweep: Entry[] | null = null;
  let displayWidth = state.config.m;
  let userPaused = false;
  let started = state.autoplay && !reducedMotion; // otherwise the first run waits for Play or Step
  let commitTimer = 0;
  let generation = 0;
  let frame = 0;
  let lastFrameAt = 0;

  const panel: WidthConvergencePanel = createWidthConvergence(figure, {
    width: onWidth,
    playPause,
    step,
    reset,
    sweep: toggleSweep,
    setting,
    stepAxis: (axis) => {
      state.stepAxis = axis;
      changed();
      requestRender();
    },
  });
  const lifecycle = observeFigure(figure, () => {
    syncRunning();
    requestRender();
  });

  // ---------- runs ----------

  function wantRunning(): boolean {
    return lifecycle.active && !userPaused;
  }

  function startRun(width: number, first: boolean): Entry {
    const config: RunConfig = { ...state.config, m: width };
    const entry: Entry = {
      key: `m${width}`,
      width,
      series: new SeriesBuffer(CURVE_POINTS),
      handle: null as unknown as RunHandle,
      info: null,
      loss0: NaN,
      end: null,
      error: null,
      stepLimit: config.steps,
      eps: config.eps,
      generation,
    };
    // one curve per width: a new run at a width replaces its old curve
    curves = curves.filter((c) => {
      if (c.width !== width) return true;
      c.handle.cancel();
      return false;
    });
    curves.push(entry);
    entry.handle = pool.start(
      { config },
      {
        started: (info) => {
          entry.info = info;
          requestRender();
        },
        records: (batch) => addRecords(entry, batch),
        done: (end) => {
          entry.end = end;
          requestRender();
        },
        error: (message) => {
          entry.error = message;
          requestRender();
        },
        state: () => requestRender(),
      },
      { first, paused: !wantRunning() },
    );
    trimCurves();
    return entry;
  }

  function addRecords(entry: Entry, batch: RecordBatch): void {
    for (let i = 0; i < batch.count; i++) {
      const loss = batch.get(i, 'loss');
      if (Number.isNaN(entry.loss0)) entry.loss0 = loss;
      entry.series.push(batch.get(i, 'step'), loss);
    }
    requestRender();
  }

  /** Lets go of a run; its curve stays if it got far enough to say something. */
  function drop(entry: Entry): void {
    entry.handle.cancel();
    if (!entry.end && !entry.error && entry.handle.progress.step < MIN_STEPS_TO_KEEP) curves = curves.filter((c) => c !== entry);
  }

  function trimCurves(): void {
    while (curves.length > MAX_CURVES) {
      const oldest = curves.find((c) => c !== current) ?? curves[0];
      oldest.handle.cancel();
      curves = curves.filter((c) => c !== oldest);
    }
  }

  function startCurrent(): void {
    stopSweep();
    if (current) drop(current);
    generation++;
    current = startRun(state.config.m, true);
    requestRender();
  }

  function stopSweep(): void {
    if (!sweep) return;
    for (const e of sweep) if (e !== current && e.handle.active) drop(e);
    sweep = null;
  }

  function activeEntries(): Entry[] {
    const out = current ? [current] : [];
    if (sweep) for (const e of sweep) if (e !== current) out.push(e);
    return out.filter((e) => e.handle.active);
  }

  function syncRunning(): void {
    const run = wantRunning();
    for (const e of activeEntries()) {
      if (run) e.handle.resume();
      else e.handle.pause();
    }
  }

  function clearCurves(): void {
    for (const c of curves) c.handle.cancel();
    curves = [];
    current = null;
    sweep = null;
  }

  // ---------- intents ----------

  function onWidth(m: number, final: boolean): void {
    displayWidth = m;
    clearTimeout(commitTimer);
    commitTimer = window.setTimeout(commitWidth, final ? COMMIT_AFTER_KEY_MS : COMMIT_DURING_DRAG_MS);
    requestRender();
  }

  function commitWidth(): void {
    if (displayWidth === state.config.m && current && (current.handle.active || current.end)) return;
    state.config.m = displayWidth;
    started = true; // choosing a width is asking for its run
    userPaused = false;
    startCurrent();
    changed();
  }

  function playPause(): void {
    if (!started || activeEntries().length === 0) {
      started = true;
      userPaused = false;
      startCurrent();
      return;
    }
    // play/pause acts on every run still going (the current one and a comparison's); a run is
    // held either by the reader (userPaused) or by the lifecycle (out of view), and the button is
    // only there to press while in view
    userPaused = !userPaused;
    syncRunning();
    requestRender();
  }

  function step(): void {
    userPaused = true;
    if (!started || !current || !current.handle.active) {
      started = true;
      startCurrent();
    }
    for (const e of activeEntries()) if (e !== current) e.handle.pause();
    current!.handle.stepBy(1);
    requestRender();
  }

  function reset(): void {
    clearCurves();
    started = true;
    userPaused = false;
    startCurrent();
  }

  function toggleSweep(): void {
    if (sweep && sweep.some((e) => e.handle.active)) {
      stopSweep();
      requestRender();
      return;
    }
    started = true;
    userPaused = false;
    const entries: Entry[] = [];
    generation++;
    for (const m of SWEEP_WIDTHS) {
      // the current run, if it is of a compared width, is one of the comparison's runs
      if (current && current.width === m && (current.handle.active || current.end)) entries.push(current);
      else entries.push(startRun(m, false));
    }
    sweep = entries;
    syncRunning();
    requestRender();
  }

  function setting(param: string, raw: string): void {
    const f = STATE_FIELDS.find((s) => s.param === param);
    if (!f) return;
    const { value, notice } = readField(f, raw, state.config[f.key]);
    const notices: Notice[] = notice ? [notice] : [];
    const before = state.config[f.key];
    (state.config as unknown as Record<string, unknown>)[f.key] = value;
    if (state.config.batch > state.config.n) {
      notices.push({ param: 'batch', message: `mini-batch: ${state.config.batch} is more than n = ${state.config.n}; using full batch` });
      state.config.batch = 0;
    }
    if (notices.length) options.onNotice?.(notices);
    if (value !== before) {
      if (f.effect === 'figure') clearCurves();
      started = true;
      userPaused = false;
      startCurrent();
      changed();
    }
    requestRender();
  }

  function changed(): void {
    options.onState?.({ ...state, config: { ...state.config }, hide: [...state.hide] });
  }

  // ---------- view ----------

  function requestRender(): void {
    if (frame) return;
    const wait = reducedMotion ? Math.max(0, lastFrameAt + REDUCED_MOTION_FRAME_MS - performance.now()) : 0;
    frame = window.setTimeout(() => {
      requestAnimationFrame(render);
    }, wait);
  }

  function render(): void {
    frame = 0;
    lastFrameAt = performance.now();
    panel.update(view());
  }

  function note(e: Entry): string {
    const h = e.handle;
    if (e.error) return 'failed';
    if (e.end) {
      switch (e.end.reason) {
        case 'converged':
          return `converged in ${formatInt(e.end.step)} steps`;
        case 'diverged':
          return `diverged at step ${formatInt(e.end.step)}`;
        case 'steps':
          return `step limit, F/F\u2080 = ${formatSci(e.series.lastY / e.loss0, 2)}`;
        case 'stopped':
          return `stopped at step ${formatInt(e.end.step)}`;
      }
    }
    switch (h.state) {
      case 'queued':
        return 'waiting for a worker';
      case 'starting':
        return 'setting up';
      case 'running':
        return `step ${formatInt(h.progress.step)}`;
      case 'paused':
        return `paused at step ${formatInt(h.progress.step)}`;
      case 'cancelled':
        return `left at step ${formatInt(h.progress.step)}`;
      default:
        return '';
    }
  }

  function status(): { kind: StatusKind; text: string } {
    const c = state.config;
    if (!started || !current) {
      return {
        kind: 'idle',
        text: reducedMotion
          ? 'Press Play to train (nothing starts by itself, as your system asks for reduced motion).'
          : 'Press Play to train.',
      };
    }
    const e = current;
    if (e.error) return { kind: 'error', text: `The run failed: ${e.error}` };
    if (e.end) {
      switch (e.end.reason) {
        case 'converged':
          return { kind: 'converged', text: `Converged: F \u2264 ${formatTolerance(c.eps)} F\u2080 after ${formatInt(e.end.step)} steps at width ${e.width}.` };
        case 'diverged': {
          // the stop rule fires on a non-finite loss or on one 10^8 times F_0 (see stopRules.ts)
          const what = /non-finite/.test(e.end.message)
            ? 'the loss stopped being a finite number'
            : `the loss exploded to ${formatSci(e.series.lastY)}, more than ${powerOfTen(EXPLODE_FACTOR)} times where it started`;
          const eta = e.info ? ` (\u03b7 = ${formatSci(e.info.lr)})` : '';
          return {
            kind: 'diverged',
            text:
              `Diverged at step ${formatInt(e.end.step)}: ${what}. ` +
              `The step is too large: try a smaller step-size scale c (now ${c.lrScale}${eta}) in Settings.`,
          };
        }
        case 'steps':
          return {
            kind: 'steps',
            text:
              `Stopped at the step limit of ${formatInt(c.steps)} steps with F = ${formatSci(e.series.lastY / e.loss0, 2)} F\u2080. ` +
              `Raise the step limit in Settings, or widen the network.`,
          };
        case 'stopped':
          return { kind: 'paused', text: e.end.message };
      }
    }
    switch (e.handle.state) {
      case 'queued':
        return { kind: 'starting', text: 'Waiting for a free worker\u2026' };
      case 'starting':
        return { kind: 'starting', text: `Setting up width ${e.width}: data, random initialization and the tangent kernel K\u2080\u2026` };
      case 'paused':
        if (userPaused) return { kind: 'paused', text: 'Paused.' };
        return { kind: 'waiting', text: 'Paused while out of view.' };
      default:
        return { kind: 'running', text: `Training width ${e.width}.` };
    }
  }

  function view(): WidthConvergenceView {
    const c = state.config;
    // earlier curves fade by how many groups of runs ago they were started
    const generations = [...new Set(curves.filter((e) => e !== current).map((e) => e.generation))].sort((a, b) => b - a);
    const shown: PanelCurve[] = curves.map((e) => {
      const age = e === current ? 0 : generations.indexOf(e.generation) + 1; // 1 = the most recent
      return {
        key: e.key,
        label: `m = ${e.width}`,
        note: note(e),
        series: e.series,
        tone: widthTone(e.width),
        current: e === current,
        fade: e === current ? 1 : Math.max(0.3, 0.85 - 0.12 * (age - 1)),
      };
    });
    const { total, trained } = countParams(netSpecOf({ ...c, m: displayWidth }));
    const cur = current && current.width === displayWidth ? current : null;
    const loss = cur && cur.series.count ? cur.series.lastY : NaN;
    // the last measured rate stays up after a run ends or pauses: it is what the run achieved
    const rate = cur ? cur.handle.progress.stepsPerSecond : NaN;
    const sweepView = sweep ? sweepProgress(sweep) : null;
    const active = current?.handle.active ?? false;
    const anyActive = activeEntries().length > 0;
    const running = anyActive && !userPaused && lifecycle.active;
    figure.dataset.loss0 = cur ? String(cur.loss0) : '';
    figure.dataset.loss = cur ? String(loss) : '';
    figure.dataset.step = cur ? String(cur.handle.progress.step) : '';
    return {
      width: displayWidth,
      curves: shown,
      threshold: current && current.loss0 > 0 ? current.eps * current.loss0 : undefined,
      stepAxis: state.stepAxis,
      numbers: {
        width: String(displayWidth),
        params: formatParams(total, trained),
        step: cur ? formatInt(cur.handle.progress.step) : '\u2013',
        rate: formatRate(rate),
        loss: Number.isFinite(loss) ? formatSci(loss) : '\u2013',
      },
      status: status(),
      playing: started && running,
      canPlay: !started || anyActive,
      canStep: !started || active,
      sweep: sweepView,
      config: c,
      caption: describeWidthConvergence(c, curves.map((e) => e.width), current?.width ?? c.m, current?.info?.lr ?? null),
      hide: state.hide,
    };
  }

  function sweepProgress(entries: Entry[]): { running: boolean; fraction: number; text: string } {
    let sum = 0;
    let finished = 0;
    for (const e of entries) {
      const p = e.end || e.error ? 1 : runProgress(e.handle.progress.step, e.stepLimit, e.loss0, e.series.lastY, e.eps);
      sum += p;
      if (e.end || e.error || !e.handle.active) finished++;
    }
    const running = finished < entries.length;
    return {
      running,
      fraction: sum / entries.length,
      text: running ? `${finished} of ${entries.length} widths done` : `compared ${entries.length} widths`,
    };
  }

  if (started) startCurrent();
  requestRender();

  return {
    state,
    dispose() {
      clearTimeout(commitTimer);
      lifecycle.disconnect();
      clearCurves();
    },
  };
}
