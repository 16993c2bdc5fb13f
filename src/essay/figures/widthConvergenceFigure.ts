import type { RunConfig } from '../../train/config.ts';
import type { RunInfo } from '../../train/protocol.ts';
import type { RecordBatch } from '../../train/recordLayout.ts';
import type { RunEnd, RunHandle } from '../../train/runHandle.ts';
import type { WorkerPool } from '../../train/workerPool.ts';
import { readField, STATE_FIELDS, type Notice } from '../../state/urlState.ts';
import { SeriesBuffer } from '../../viz/seriesBuffer.ts';
import { createWidthConvergence, PANEL_ID, type WidthConvergencePanel } from '../../viz/widthConvergence.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { mountFigure, type Figure, type FigureParts } from './mountFigure.ts';
import { activeRuns, figureData, widthChoice, widthView, type WidthCurve, type WidthFigureModel, type WidthRun } from './widthConvergenceView.ts';

/**
 * Wires the width-convergence panel to training runs: the slider's width becomes a run on the
 * worker pool, records become curves, the figure's lifecycle pauses and resumes the runs, and
 * every state change is reported (the page mirrors it into the URL, an embed into attributes).
 * What is drawn and written is the view model's (widthConvergenceView.ts).
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

/** A width's run as the figure keeps it. */
interface Entry extends WidthRun {
  handle: RunHandle;
  info: RunInfo | null;
  end: RunEnd | null;
  error: string | null;
  own: WidthCurve & { loss0: number };
}

/**
 * The figure's runs: one curve per width (oldest first, at most MAX_CURVES), the current run (of
 * the committed width) and a comparison's runs. Curves stay after their runs end.
 */
class WidthRuns {
  curves: Entry[] = [];
  current: Entry | null = null;
  sweep: Entry[] | null = null;
  private generation = 0;

  constructor(
    private readonly pool: WorkerPool,
    private readonly redraw: () => void,
  ) {}

  /** Trains `config` at its width; a new run at a width replaces that width's curve. */
  private start(config: RunConfig, first: boolean, paused: boolean): Entry {
    const entry: Entry = {
      key: `m${config.m}`,
      handle: null as unknown as RunHandle,
      info: null,
      end: null,
      error: null,
      own: { width: config.m, generation: this.generation, series: new SeriesBuffer(CURVE_POINTS), loss0: NaN, stepLimit: config.steps, eps: config.eps },
    };
    for (const c of this.curves) if (c.key === entry.key) c.handle.cancel();
    this.curves = this.curves.filter((c) => c.key !== entry.key);
    this.curves.push(entry);
    entry.handle = this.pool.start({ config }, this.events(entry), { first, paused });
    this.trim();
    return entry;
  }

  private events(entry: Entry): Parameters<WorkerPool['start']>[1] {
    return {
      started: (info) => {
        entry.info = info;
        this.redraw();
      },
      records: (batch) => this.addRecords(entry, batch),
      done: (end) => {
        entry.end = end;
        this.redraw();
      },
      error: (message) => {
        entry.error = message;
        this.redraw();
      },
      state: () => this.redraw(),
    };
  }

  private addRecords(entry: Entry, batch: RecordBatch): void {
    for (let i = 0; i < batch.count; i++) {
      const loss = batch.get(i, 'loss');
      if (Number.isNaN(entry.own.loss0)) entry.own.loss0 = loss;
      entry.own.series.push(batch.get(i, 'step'), loss);
    }
    this.redraw();
  }

  /** Lets go of a run; its curve stays if it got far enough to say something. */
  private drop(entry: Entry): void {
    entry.handle.cancel();
    if (!entry.end && !entry.error && entry.handle.progress.step < MIN_STEPS_TO_KEEP) this.curves = this.curves.filter((c) => c !== entry);
  }

  private trim(): void {
    while (this.curves.length > MAX_CURVES) {
      const oldest = this.curves.find((c) => c !== this.current) ?? this.curves[0];
      oldest.handle.cancel();
      this.curves = this.curves.filter((c) => c !== oldest);
    }
  }

  /** A new run of the committed width, in a generation of its own; a comparison still going stops. */
  startCurrent(config: RunConfig, paused: boolean): void {
    this.stopSweep();
    if (this.current) this.drop(this.current);
    this.generation++;
    this.current = this.start(config, true, paused);
    this.redraw();
  }

  /** Trains SWEEP_WIDTHS side by side; the current run, if of one of them, is one of the comparison's. */
  startSweep(config: RunConfig, paused: boolean): void {
    const entries: Entry[] = [];
    this.generation++;
    for (const m of SWEEP_WIDTHS) {
      const cur = this.current;
      if (cur && cur.own.width === m && (cur.handle.active || cur.end)) entries.push(cur);
      else entries.push(this.start({ ...config, m }, false, paused));
    }
    this.sweep = entries;
  }

  get sweepRunning(): boolean {
    return this.sweep?.some((e) => e.handle.active) ?? false;
  }

  stopSweep(): void {
    if (!this.sweep) return;
    for (const e of this.sweep) if (e !== this.current && e.handle.active) this.drop(e);
    this.sweep = null;
  }

  active(): Entry[] {
    return activeRuns(this.current, this.sweep);
  }

  /** Runs every run still going, or holds them all. */
  hold(run: boolean): void {
    for (const e of this.active()) {
      if (run) e.handle.resume();
      else e.handle.pause();
    }
  }

  /** One update of the current run (starting it if it is not going); the others are held. */
  stepCurrent(): void {
    for (const e of this.active()) if (e !== this.current) e.handle.pause();
    this.current!.handle.stepBy(1);
  }

  clear(): void {
    for (const c of this.curves) c.handle.cancel();
    this.curves = [];
    this.current = null;
    this.sweep = null;
  }
}

/** The reader's intents, turned into runs and state. */
class WidthController {
  readonly runs: WidthRuns;
  private readonly panel: WidthConvergencePanel;
  /** The slider's width while it waits to commit; the committed width is state.config.m. */
  private pending: number | null = null;
  private userPaused = false;
  /** Whether a run was asked for; otherwise (no autoplay, or reduced motion) the first waits for Play or Step. */
  private started: boolean;
  private commitTimer = 0;

  constructor(private readonly fig: Figure) {
    this.started = fig.state.autoplay && !fig.reducedMotion;
    this.runs = new WidthRuns(fig.pool, fig.redraw);
    this.panel = createWidthConvergence(fig.root, {
      width: (m, final) => this.onWidth(m, final),
      playPause: () => this.playPause(),
      step: () => this.step(),
      reset: () => this.reset(),
      sweep: () => this.toggleSweep(),
      setting: (param, raw) => this.setting(param, raw),
      stepAxis: (axis) => {
        fig.state.stepAxis = axis;
        fig.changed();
        fig.redraw();
      },
    });
    if (this.started) this.train();
  }

  private wantRunning(): boolean {
    return this.fig.active && !this.userPaused;
  }

  /** Starts (again) the run of the committed width, as the reader asked for it. */
  private train(): void {
    this.started = true;
    this.userPaused = false;
    this.runs.startCurrent(this.fig.state.config, !this.wantRunning());
  }

  /** On or off screen: runs go on only while the figure is seen and not paused by the reader. */
  sync(): void {
    this.runs.hold(this.wantRunning());
    this.fig.redraw();
  }

  private onWidth(m: number, final: boolean): void {
    this.pending = m;
    clearTimeout(this.commitTimer);
    this.commitTimer = window.setTimeout(() => this.commitWidth(), final ? COMMIT_AFTER_KEY_MS : COMMIT_DURING_DRAG_MS);
    this.fig.redraw();
  }

  private commitWidth(): void {
    const config = this.fig.state.config;
    const m = this.pending ?? config.m;
    this.pending = null;
    const cur = this.runs.current;
    if (m === config.m && cur && (cur.handle.active || cur.end)) return;
    config.m = m;
    this.train(); // choosing a width is asking for its run
    this.fig.changed();
  }

  private playPause(): void {
    if (!this.started || this.runs.active().length === 0) {
      this.train();
      return;
    }
    // play/pause acts on every run still going (the current one and a comparison's); a run is
    // held either by the reader (userPaused) or by the lifecycle (out of view), and the button is
    // only there to press while in view
    this.userPaused = !this.userPaused;
    this.sync();
  }

  private step(): void {
    this.userPaused = true;
    const cur = this.runs.current;
    if (!this.started || !cur || !cur.handle.active) {
      this.started = true;
      this.runs.startCurrent(this.fig.state.config, true);
    }
    this.runs.stepCurrent();
    this.fig.redraw();
  }

  private reset(): void {
    this.runs.clear();
    this.train();
  }

  private toggleSweep(): void {
    if (this.runs.sweepRunning) {
      this.runs.stopSweep();
      this.fig.redraw();
      return;
    }
    this.started = true;
    this.userPaused = false;
    this.runs.startSweep(this.fig.state.config, !this.wantRunning());
    this.sync();
  }

  private setting(param: string, raw: string): void {
    const f = STATE_FIELDS.find((s) => s.param === param);
    if (!f) return;
    const config = this.fig.state.config;
    const { value, notice } = readField(f, raw, config[f.key]);
    const notices: Notice[] = notice ? [notice] : [];
    const before = config[f.key];
    (config as unknown as Record<string, unknown>)[f.key] = value;
    if (config.batch > config.n) {
      notices.push({ param: 'batch', message: `mini-batch: ${config.batch} is more than n = ${config.n}; using full batch` });
      config.batch = 0;
    }
    this.fig.notice(notices);
    if (value !== before) {
      if (f.effect === 'figure') this.runs.clear();
      this.train();
      this.fig.changed();
    }
    this.fig.redraw();
  }

  model(): WidthFigureModel {
    const { state } = this.fig;
    return {
      config: state.config,
      width: widthChoice(state.config, this.pending),
      curves: this.runs.curves,
      current: this.runs.current,
      sweep: this.runs.sweep,
      stepAxis: state.stepAxis,
      hide: state.hide,
      started: this.started,
      userPaused: this.userPaused,
      onScreen: this.fig.active,
      reducedMotion: this.fig.reducedMotion,
    };
  }

  draw(): void {
    const model = this.model();
    Object.assign(this.fig.root.dataset, figureData(model));
    this.panel.update(widthView(model));
  }

  dispose(): void {
    clearTimeout(this.commitTimer);
    this.runs.clear();
  }
}

export function mountWidthConvergence(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, PANEL_ID, options, (fig): FigureParts => {
    const c = new WidthController(fig);
    return {
      draw: () => c.draw(),
      onscreen: () => c.sync(),
      offscreen: () => c.sync(),
      dispose: () => c.dispose(),
    };
  });
}
