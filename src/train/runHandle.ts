import type { ProbeRequest, ProbeResult } from './probes.ts';
import type { DoneReason, FromWorker, RunInfo, RunRequest, SetupPhase, ToWorker } from './protocol.ts';
import { estimateRun } from './estimate.ts';
import { RecordBatch } from './recordLayout.ts';

/**
 * queued: waiting for a worker; starting: sent to one, being set up (data, init, K_0);
 * running/paused: training or held; done: its stop rules ended it; error: it failed;
 * cancelled: the page let go of it (its worker may already host another run).
 */
export type RunState = 'queued' | 'starting' | 'running' | 'paused' | 'done' | 'error' | 'cancelled';

export interface RunProgress {
  step: number; // updates made
  stepsPerSecond: number; // measured in the worker over its last second of training
  stepMs: number; // measured cost of one update
}

export interface RunEnd {
  reason: DoneReason;
  message: string;
  step: number;
}

/** What a run tells whoever started it. All optional; called on the page's thread. */
export interface RunEvents {
  started?(info: RunInfo): void;
  records?(batch: RecordBatch, progress: RunProgress): void;
  done?(end: RunEnd): void;
  error?(message: string): void;
  /** Any change of `state`, after the more specific event. */
  state?(state: RunState): void;
  /** The pool took the worker of this lent run for a run that waited: it was cancelled (see `lend`). */
  evicted?(): void;
}

/** The pool's side of a handle: how it reaches the worker that hosts it. */
export interface RunChannel {
  send(msg: ToWorker): void;
  /** Frees the worker; `busy` says the worker may take long to notice a stop (the pool then replaces it). */
  release(handle: RunHandle, busy: boolean): void;
  /** The run was lent (see RunHandle.lend): a run waiting for a worker may now take this one. */
  lent?(handle: RunHandle): void;
}

let nextRunId = 1;
let nextProbeId = 1;

/** Called with each installment of a probe's answer (the last has done = true), or its error. */
export type ProbeListener = (result: ProbeResult | null, done: boolean, error?: string) => void;

/** One run as the page sees it: its state, what the worker said about it, and its controls. */
export class RunHandle {
  readonly runId = nextRunId++;
  state: RunState = 'queued';
  info: RunInfo | null = null;
  progress: RunProgress = { step: 0, stepsPerSecond: 0, stepMs: NaN };
  end: RunEnd | null = null;
  errorMessage: string | null = null;
  /** How far set-up has got (while starting): the worker says so from inside it. */
  setupPhase: SetupPhase | null = null;
  private channel: RunChannel | null = null;
  private wantPaused: boolean;
  private owedSteps = 0; // "step" presses before the worker had set the run up
  private startedPaused = false; // what the start message said
  private readonly probeListeners = new Map<number, ProbeListener>();
  private queuedProbes: { probeId: number; request: ProbeRequest }[] = []; // asked before set-up
  private lent = false;
  private setupEstimate = NaN;

  constructor(
    readonly request: RunRequest,
    private readonly events: RunEvents,
    startPaused = false,
  ) {
    this.wantPaused = startPaused;
  }

  /** The run's estimated set-up (estimate.ts), ms: how long its worker may be busy before the first step. */
  get estimatedSetupMs(): number {
    if (Number.isNaN(this.setupEstimate)) this.setupEstimate = estimateRun(this.request.config).setupMs;
    return this.setupEstimate;
  }

  /**
   * Asks the worker for a probe (the request must have `probes: true`). Returns a function that
   * stops listening. Probes asked before the run is set up are sent once it is.
   */
  probe(request: ProbeRequest, listener: ProbeListener): () => void {
    const probeId = nextProbeId++;
    this.probeListeners.set(probeId, listener);
    if (this.info && this.channel) this.channel.send({ type: 'probe', runId: this.runId, probeId, request });
    else this.queuedProbes.push({ probeId, request });
    return () => this.probeListeners.delete(probeId);
  }

  /** Still answering probes: active, or ended with probes on and not yet released. */
  get probing(): boolean {
    return this.channel !== null && this.request.probes === true;
  }

  get active(): boolean {
    return this.state === 'queued' || this.state === 'starting' || this.state === 'running' || this.state === 'paused';
  }

  /** The pool hands the run a worker. */
  attach(channel: RunChannel): void {
    this.channel = channel;
    this.startedPaused = this.wantPaused;
    channel.send({
      type: 'start',
      runId: this.runId,
      config: this.request.config,
      measures: this.request.measures,
      probes: this.request.probes,
      paused: this.wantPaused,
    });
    this.setState('starting');
  }

  pause(): void {
    this.wantPaused = true;
    if (this.state === 'running') {
      this.channel?.send({ type: 'pause', runId: this.runId });
      this.setState('paused');
    }
  }

  resume(): void {
    this.wantPaused = false;
    this.owedSteps = 0;
    if (this.state === 'paused') {
      this.channel?.send({ type: 'resume', runId: this.runId });
      this.setState('running');
    }
  }

  /** Pauses, then makes `count` updates. */
  stepBy(count = 1): void {
    this.wantPaused = true;
    if (this.state === 'running' || this.state === 'paused') {
      this.channel?.send({ type: 'step', runId: this.runId, count });
      this.setState('paused');
    } else if (this.state === 'queued' || this.state === 'starting') {
      this.owedSteps += count;
    }
  }

  /** Set by the pool: called when a queued run's figure comes back on screen. */
  wanted: (() => void) | null = null;
  private away = false;

  /** Its figure is off screen (or back): a queued run whose figure is away takes no lent worker. */
  setAway(away: boolean): void {
    this.away = away;
    if (!away && this.state === 'queued') this.wanted?.();
  }

  /** Queued for a figure on screen (training, or held for set-up): it may take a lent worker. */
  get waiting(): boolean {
    return this.state === 'queued' && !this.away;
  }

  /** Whether the pool may take this run's worker for a run that waits (see `lend`). */
  get isLent(): boolean {
    return this.lent && (this.active || this.probing);
  }

  /**
   * Lends the worker: the run stays on it, paused, as it is (weights, step, answers to probes), and
   * takes up where it was when its figure returns, unless a run that waits for a worker needs this
   * one first; then the run is cancelled and `evicted` fires (its figure trains it again from its
   * seeds on return). A figure lends its runs once it has been off screen a while.
   */
  lend(): void {
    this.lent = true;
    this.channel?.lent?.(this);
  }

  /** The figure is back: the worker is the run's own again. */
  reclaim(): void {
    this.lent = false;
  }

  /** The pool takes the lent run's worker: the run is cancelled, and says so. */
  evict(): void {
    if (!this.isLent) return;
    this.lent = false;
    this.cancel();
    this.events.evicted?.();
  }

  /** Stops the run for good; no events follow. */
  cancel(): void {
    this.probeListeners.clear();
    if (this.state === 'done' && this.channel) {
      // ended but kept for probes: let the worker go
      const channel = this.channel;
      this.channel = null;
      channel.send({ type: 'stop', runId: this.runId });
      channel.release(this, false);
      return;
    }
    if (!this.active) return;
    // a set-up the worker finishes in about the time a fresh worker takes to load is waited for:
    // the worker (its script, compiled kernels and warm code) is kept, not replaced
    const busy = (this.state === 'starting' && this.estimatedSetupMs > BUSY_STEP_MS) || this.progress.stepMs > BUSY_STEP_MS;
    const channel = this.channel;
    this.channel = null;
    this.setState('cancelled');
    if (channel) {
      channel.send({ type: 'stop', runId: this.runId });
      channel.release(this, busy);
    }
  }

  /** A message from the worker about this run (the pool has matched the runId). */
  receive(msg: FromWorker): void {
    if (msg.type === 'probe' || msg.type === 'probeError') {
      const listener = this.probeListeners.get(msg.probeId);
      if (!listener) return;
      if (msg.type === 'probe') {
        if (msg.done) this.probeListeners.delete(msg.probeId);
        listener(msg.result, msg.done);
      } else {
        this.probeListeners.delete(msg.probeId);
        listener(null, true, msg.message);
      }
      return;
    }
    if (!this.active) return;
    switch (msg.type) {
      case 'setup':
        this.setupPhase = msg.phase;
        this.events.state?.(this.state); // the same state, further on: whoever shows it redraws
        break;
      case 'started':
        this.info = msg.info;
        this.events.started?.(msg.info);
        // pause, resume and step presses made while the worker was setting the run up
        if (this.owedSteps > 0) this.channel?.send({ type: 'step', runId: this.runId, count: this.owedSteps });
        else if (this.wantPaused && !this.startedPaused) this.channel?.send({ type: 'pause', runId: this.runId });
        else if (!this.wantPaused && this.startedPaused) this.channel?.send({ type: 'resume', runId: this.runId });
        this.owedSteps = 0;
        for (const q of this.queuedProbes) this.channel?.send({ type: 'probe', runId: this.runId, ...q });
        this.queuedProbes = [];
        this.setState(this.wantPaused ? 'paused' : 'running');
        break;
      case 'records':
        this.progress = { step: msg.step, stepsPerSecond: msg.stepsPerSecond, stepMs: msg.stepMs };
        if (this.info) this.events.records?.(new RecordBatch(this.info.layout, msg.data), this.progress);
        break;
      case 'done':
        this.end = { reason: msg.reason, message: msg.message, step: msg.step };
        this.finish('done');
        this.events.done?.(this.end);
        this.events.state?.(this.state);
        break;
      case 'error':
        this.fail(msg.message);
        break;
    }
  }

  /** The run failed (the worker said so, or the worker itself died). */
  fail(message: string): void {
    if (!this.active) return;
    this.errorMessage = message;
    this.finish('error');
    this.events.error?.(message);
    this.events.state?.(this.state);
  }

  private finish(state: 'done' | 'error'): void {
    this.state = state;
    // a finished run that answers probes keeps its worker until cancel()
    if (state === 'done' && this.request.probes) return;
    const channel = this.channel;
    this.channel = null;
    channel?.release(this, false);
  }

  private setState(state: RunState): void {
    if (this.state === state) return;
    this.state = state;
    this.events.state?.(state);
  }
}

/** An update (or an estimated set-up) longer than this means a stop may wait long: the pool replaces the worker instead. */
export const BUSY_STEP_MS = 150;
