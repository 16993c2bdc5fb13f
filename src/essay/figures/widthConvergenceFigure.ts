import type { RunConfig } from '../../train/config.ts';
import type { MeasureSwitches } from '../../train/instruments.ts';
import { BASE_FIELDS, type RecordBatch, type RecordField } from '../../train/recordLayout.ts';
import { overBudget } from '../../state/runBudget.ts';
import { readField, repairBatch, type ControlName, type Notice, type StateField } from '../../state/urlState.ts';
import type { ProbeResult } from '../../train/probes.ts';
import { SeriesBuffer } from '../../viz/seriesBuffer.ts';
import { setData } from '../../viz/panelParts.ts';
import { createWidthConvergence, WIDTH_PANEL, type WidthConvergencePanel, type WidthConvergenceView, type WidthPanelOptions } from '../../viz/widthConvergence.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { mountFigure, type Figure, type FigureParts } from './mountFigure.ts';
import type { PollState } from './probePolling.ts';
import type { Run, RunSet, RunSetOptions } from './runSet.ts';
import { activeRuns, figureData, widthChoice, widthView, type WidthCurve, type WidthFigureModel } from './widthConvergenceView.ts';

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

/**
 * What the figure keeps beside each run: its curve (loss0 set by the first record), its last measured
 * readouts, and for a figure that polls a probe along its runs (the RNN's gradient over time) the
 * polling state and the latest answer.
 */
export type Own = WidthCurve & PollState & { loss0: number; readouts: Partial<Record<RecordField, number>>; probed: ProbeResult | null };
export type WidthSetRun = Run<Own>;

/** Hooks a figure adds to its width runs (a probe polled along each, say). */
export type WidthRunHooks = Pick<RunSetOptions<Own>, 'probes' | 'releaseEnded' | 'started' | 'records' | 'done'>;

function addRecords(own: Own, batch: RecordBatch): void {
  for (let i = 0; i < batch.count; i++) {
    const loss = batch.get(i, 'loss');
    if (Number.isNaN(own.loss0)) own.loss0 = loss;
    own.series.push(batch.get(i, 'step'), loss);
  }
  // the instruments' fields of the batch's last record (the architecture's measures; none for FC)
  if (batch.count > 0) for (const f of batch.layout) if (!(BASE_FIELDS as readonly string[]).includes(f)) own.readouts[f] = batch.get(batch.count - 1, f);
}

/**
 * What the controller needs to know of the architecture the figure trains: the FC/ResNet network of
 * the text (its width the state's m, its settings the state's run settings), or the CNN (its channel
 * count a panel choice; src/essay/figures/cnnFigure.ts).
 */
export interface WidthArch {
  panel: WidthPanelOptions;
  /** Widths "Compare" trains side by side. */
  sweepWidths: readonly number[];
  /** What each record measures besides the loss (the readouts). */
  measures?: Partial<MeasureSwitches>;
  /** The config the figure trains, made once at mount; the FC figure's is the state's own, so its changes are the state's. */
  config(fig: Figure): RunConfig;
  /** After the committed width or a setting changed in `config`: put it in the state, and report the state. */
  changed(fig: Figure, config: RunConfig, field?: StateField): void;
  view(model: WidthFigureModel): WidthConvergenceView;
  /** How the status line names a run's size (default "width m"). */
  sizeName?(m: number): string;
  /**
   * Lets its runs' workers go after it has stayed off screen a while (lifecycle.ts): a figure further
   * down the page must not hold a worker the ones above need. (Every width figure trains only once
   * first on screen.)
   */
  lazy?: boolean;
  /** Controls the panel never shows (the RNN's run settings are the feed-forward figure's). */
  hidden?: readonly ControlName[];
  /** What its runs do besides training (the RNN's probe of the gradient over time). */
  hooks?: WidthRunHooks;
}

/** The network of the text: width m and the run settings are the page's (its URL follows this figure). */
export const FC_WIDTH_ARCH: WidthArch = {
  panel: WIDTH_PANEL,
  sweepWidths: SWEEP_WIDTHS,
  config: (fig) => fig.state.config,
  changed: (fig) => fig.changed(),
  view: widthView,
};

/**
 * The figure's runs, on a RunSet: one curve per width (oldest first, at most MAX_CURVES), the
 * current run (of the committed width) and a comparison's runs. Curves stay after their runs end.
 * Runs pause and resume with the set (`follow`); every run still going is the current one or a
 * comparison's, so the set's pause and resume act on exactly those.
 */
export class WidthRuns {
  readonly set: RunSet<Own>;
  current: WidthSetRun | null = null;
  sweep: WidthSetRun[] | null = null;
  private generation = 0;

  constructor(
    fig: Pick<Figure, 'runs'>,
    private readonly widths: readonly number[] = SWEEP_WIDTHS,
    measures?: Partial<MeasureSwitches>,
    hooks: WidthRunHooks = {},
  ) {
    this.set = fig.runs<Own>({
      ...hooks,
      ...(measures ? { measures } : {}),
      own: ({ config }) => ({
        readouts: {},
        asking: false,
        finalAsked: false,
        probed: null,
        width: config.m,
        generation: this.generation,
        series: new SeriesBuffer(CURVE_POINTS),
        loss0: NaN,
        stepLimit: config.steps,
        eps: config.eps,
      }),
      records: (run, batch, progress) => {
        addRecords(run.own, batch);
        hooks.records?.(run, batch, progress);
      },
    });
  }

  get curves(): readonly WidthSetRun[] {
    return this.set.runs;
  }

  /** Runs every run still going, or holds them all; runs started after start that way. */
  follow(running: boolean): void {
    if (running) this.set.resume();
    else this.set.pause();
  }

  /** Trains `config` at its width; a new run at a width replaces that width's curve. */
  private start(config: RunConfig, first: boolean): WidthSetRun {
    const run = this.set.start({ key: `m${config.m}`, config, first });
    this.trim();
    return run;
  }

  /** Lets go of a run; its curve stays if it got far enough to say something. */
  private drop(run: WidthSetRun): void {
    run.handle.cancel();
    if (!run.end && !run.error && run.handle.progress.step < MIN_STEPS_TO_KEEP && this.set.get(run.key) === run) this.set.remove(run.key);
  }

  private trim(): void {
    while (this.set.runs.length > MAX_CURVES) {
      const oldest = this.set.runs.find((c) => c !== this.current) ?? this.set.runs[0];
      this.set.remove(oldest.key);
    }
  }

  /** A new run of the committed width, in a generation of its own; a comparison still going stops. */
  startCurrent(config: RunConfig, running: boolean): void {
    this.stopSweep();
    if (this.current) this.drop(this.current);
    this.follow(running);
    this.generation++;
    this.current = this.start(config, true);
  }

  /** Trains the comparison's widths side by side; the current run, if of one of them, is one of the comparison's. */
  startSweep(config: RunConfig, running: boolean): void {
    const runs: WidthSetRun[] = [];
    this.follow(running);
    this.generation++;
    for (const m of this.widths) {
      const cur = this.current;
      if (cur && cur.own.width === m && (cur.handle.active || cur.end)) runs.push(cur);
      else runs.push(this.start({ ...config, m }, false));
    }
    this.sweep = runs;
  }

  get sweepRunning(): boolean {
    return this.sweep?.some((r) => r.handle.active) ?? false;
  }

  stopSweep(): void {
    if (!this.sweep) return;
    for (const r of this.sweep) if (r !== this.current && r.handle.active) this.drop(r);
    this.sweep = null;
  }

  active(): WidthSetRun[] {
    return activeRuns(this.current, this.sweep);
  }

  /** One update of the current run; the others stay held. */
  stepCurrent(): void {
    this.set.pause();
    this.current!.handle.stepBy(1);
  }

  clear(): void {
    this.set.clear();
    this.current = null;
    this.sweep = null;
  }
}

/** The reader's intents, turned into runs and state. */
export class WidthController {
  readonly runs: WidthRuns;
  private readonly panel: WidthConvergencePanel;
  /** The slider's width while it waits to commit; the committed width is the config's m. */
  private pending: number | null = null;
  private userPaused = false;
  /** Whether a run was asked for; otherwise (no autoplay, or reduced motion) the first waits for Play or Step. */
  private started: boolean;
  private commitTimer = 0;
  /** A lazy figure's first run, waiting for the figure to come on screen. */
  private deferred: boolean;
  /** What trains: the state's config (FC), or one the architecture derives from it. */
  readonly config: RunConfig;

  constructor(
    private readonly fig: Figure,
    private readonly arch: WidthArch,
  ) {
    this.started = fig.state.autoplay && !fig.reducedMotion;
    this.config = arch.config(fig);
    // autoplay waits for the figure to come into view: a run set up off screen would hold a worker it does not use
    this.deferred = this.started;
    this.runs = new WidthRuns(fig, arch.sweepWidths, arch.measures, arch.hooks);
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
    }, arch.panel);
    if (this.started && !this.deferred) this.train();
  }

  private wantRunning(): boolean {
    return this.fig.active && !this.userPaused;
  }

  /** Starts (again) the run of the committed width, as the reader asked for it. */
  private train(): void {
    this.started = true;
    this.deferred = false;
    this.userPaused = false;
    this.runs.startCurrent(this.config, this.wantRunning());
  }

  /** On or off screen: runs go on only while the figure is seen and not paused by the reader. */
  sync(): void {
    if (this.deferred && this.fig.active) this.train();
    else this.runs.follow(this.wantRunning());
    this.fig.redraw();
  }

  /** Off screen a while (a lazy figure): unfinished runs let their workers go, and train again from their seeds on return. */
  release(): void {
    this.runs.set.release();
    this.fig.redraw();
  }

  private onWidth(m: number, final: boolean): void {
    this.pending = m;
    clearTimeout(this.commitTimer);
    this.commitTimer = window.setTimeout(() => this.commitWidth(), final ? COMMIT_AFTER_KEY_MS : COMMIT_DURING_DRAG_MS);
    this.fig.redraw();
  }

  private commitWidth(): void {
    const config = this.config;
    const m = this.pending ?? config.m;
    this.pending = null;
    const cur = this.runs.current;
    if (m === config.m && cur && (cur.handle.active || cur.end)) return;
    // a width whose run would not fit the page's memory is refused: the current run goes on
    const tooBig = overBudget({ ...config, m });
    if (tooBig) {
      this.fig.notice([{ param: 'width', message: `${tooBig}; keeping width ${config.m}` }]);
      this.fig.redraw();
      return;
    }
    config.m = m;
    this.train(); // choosing a width is asking for its run
    this.arch.changed(this.fig, config);
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
      this.runs.startCurrent(this.config, false);
    }
    this.runs.stepCurrent();
    this.fig.redraw();
  }

  reset(): void {
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
    this.runs.startSweep(this.config, this.wantRunning());
    this.sync();
  }

  private setting(param: string, raw: string): void {
    const f = this.arch.panel.settingsFields.find((s) => s.param === param);
    if (!f) return;
    const config = this.config;
    const { value, notice } = readField(f, raw, config[f.key]);
    const notices: Notice[] = notice ? [notice] : [];
    const before = config[f.key];
    (config as unknown as Record<string, unknown>)[f.key] = value;
    notices.push(...repairBatch(config));
    const tooBig = overBudget(config);
    if (tooBig) {
      // refused whole: the setting goes back and the current run goes on
      (config as unknown as Record<string, unknown>)[f.key] = before;
      notices.push({ param, message: `${tooBig}; keeping ${f.label} ${String(before)}` });
      this.fig.notice(notices);
      this.fig.redraw();
      return;
    }
    this.fig.notice(notices);
    if (value !== before) {
      if (f.effect === 'figure') this.runs.clear();
      this.train();
      this.arch.changed(this.fig, config, f);
    }
    this.fig.redraw();
  }

  model(): WidthFigureModel {
    const { state } = this.fig;
    return {
      config: this.config,
      width: widthChoice(this.config, this.pending),
      curves: this.runs.curves,
      current: this.runs.current,
      sweep: this.runs.sweep,
      stepAxis: state.stepAxis,
      hide: [...state.hide, ...(this.arch.hidden ?? [])],
      started: this.started,
      userPaused: this.userPaused,
      onScreen: this.fig.active,
      reducedMotion: this.fig.reducedMotion,
      ...(this.arch.sizeName ? { sizeName: this.arch.sizeName } : {}),
    };
  }

  draw(): void {
    const model = this.model();
    setData(this.fig.root, figureData(model));
    this.panel.update(this.arch.view(model));
  }

  dispose(): void {
    clearTimeout(this.commitTimer);
    this.runs.clear();
  }
}

export function mountWidthConvergence(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountWidthFigure(root, options, FC_WIDTH_ARCH);
}

/** The width-convergence experience for an architecture. */
export function mountWidthFigure(root: HTMLElement, options: PanelOptions, arch: WidthArch): MountedPanel {
  return mountFigure(root, arch.panel.panelId, options, (fig): FigureParts => {
    const c = new WidthController(fig, arch);
    return {
      draw: () => c.draw(),
      onscreen: () => c.sync(),
      offscreen: () => c.sync(),
      ...(arch.lazy ? { release: () => c.release() } : {}),
      dispose: () => c.dispose(),
      offersRetry: false, // its status line says the run failed, and Reset trains again
    };
  });
}
