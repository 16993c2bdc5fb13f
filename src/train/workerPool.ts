import type { FromWorker, RunRequest, ToWorker } from './protocol.ts';
import { RunHandle, type RunChannel, type RunEvents } from './runHandle.ts';

/** Workers the pool keeps at most, whatever the core count (each holds a run's weights in memory). */
export const MAX_POOL_SIZE = 4;

/** One worker per core, capped; at least one. */
export function defaultPoolSize(cores: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(MAX_POOL_SIZE, Math.floor(cores || 2)));
}

interface Slot {
  worker: Worker | null; // spawned when first needed, replaced after a crash, a busy cancel or silence
  handle: RunHandle | null;
  heardAt: number; // when the worker last said anything
  acked: boolean; // it confirmed the current run's start message (set-up may now take long)
}

/**
 * How long a worker hosting a run may stay silent before the pool takes it for dead. A worker that
 * calls close(), dies of its own accord or hangs sends no error event, so the pool pings the
 * workers that host runs and listens. A live worker answers at once between slices of training
 * (each a few milliseconds; see sliceBudget.ts), so silence means it is dead, except while it sets a
 * run up (data, initialization, K_0: one synchronous stretch that takes up to about a minute at the
 * largest settings) or makes one update of a very wide network.
 */
export interface Liveness {
  pingEveryMs: number;
  /** Silence allowed from a worker that is not setting a run up (or that has not confirmed it got the run). */
  silentMs: number;
  /**
   * Silence allowed after a worker confirmed a run's start, while it sets the run up: SETUP_SILENCE_MARGIN
   * times the run's estimated set-up (estimate.ts), at least silentMs and at most this.
   */
  setupSilentMs: number;
  /** The silence allowed while training is at least this many updates' worth (a wide network's update can take seconds). */
  stepsOfSilence: number;
}

export const DEFAULT_LIVENESS: Liveness = { pingEveryMs: 2000, silentMs: 10_000, setupSilentMs: 180_000, stepsOfSilence: 5 };

/**
 * How many times its estimated set-up a run's set-up may take before its silent worker counts as
 * dead: the estimate is a laptop's; a phone, or a machine under load, takes several times longer.
 * A worker that dies while setting up a small run (a millisecond's set-up) is noticed as soon as one
 * that dies training, not after setupSilentMs.
 */
export const SETUP_SILENCE_MARGIN = 60;

export interface PoolOptions {
  liveness?: Liveness;
  now?: () => number;
}

export interface StartOptions {
  /** Ahead of queued runs (the run the reader is looking at, not a sweep's next job). */
  first?: boolean;
  /** Set up the run but hold it before its first update. */
  paused?: boolean;
  /** Its figure is off screen: while queued it takes no lent worker (see RunHandle.setAway). */
  away?: boolean;
}

/**
 * Runs on a fixed set of training workers: one run per worker, the rest queued in order. A run
 * keeps its worker while paused; a finished or cancelled one frees it for the next in the queue.
 * Cancelling a run whose worker is busy for a long stretch (setting up a wide network, or one
 * update taking longer than BUSY_STEP_MS) terminates that worker and spawns a fresh one, so a
 * reader who drags the width slider past 4096 and back never waits for a run they have left.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: RunHandle[] = [];

  private readonly liveness: Liveness;
  private readonly now: () => number;
  private pingTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly size: number,
    private readonly spawn: () => Worker,
    options: PoolOptions = {},
  ) {
    this.slots = Array.from({ length: size }, () => ({ worker: null, handle: null, heardAt: 0, acked: false }));
    this.liveness = options.liveness ?? DEFAULT_LIVENESS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Starts a run as soon as a worker is free. */
  start(request: RunRequest, events: RunEvents, options: StartOptions = {}): RunHandle {
    const handle = new RunHandle(request, events, options.paused);
    handle.wanted = () => this.pump();
    if (options.away) handle.setAway(true);
    // a queued run that is cancelled leaves the queue through its state (see pump)
    if (options.first) this.queue.unshift(handle);
    else this.queue.push(handle);
    this.pump();
    return handle;
  }

  /** Runs waiting for a worker, and runs holding one. */
  get load(): { queued: number; hosted: number } {
    return {
      queued: this.queue.filter((h) => h.state === 'queued').length,
      hosted: this.slots.filter((s) => s.handle !== null).length,
    };
  }

  /** Stops everything and terminates the workers. */
  dispose(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const h of [...this.queue]) h.cancel();
    for (const s of this.slots) {
      s.handle?.cancel();
      s.worker?.terminate();
      s.worker = null;
    }
    this.queue.length = 0;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.handle) continue;
      let next: RunHandle | undefined;
      while ((next = this.queue.shift()) && next.state !== 'queued') {
        // cancelled while waiting
      }
      if (!next) return;
      this.assign(slot, next);
    }
    // drop cancelled runs that wait behind busy workers
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].state !== 'queued') this.queue.splice(i, 1);
    // runs still waiting that want to train now take the workers of lent runs (figures off screen a
    // while), one each; an evicted run's release pumps again, which hands its worker over. A queued
    // run whose figure is off screen too takes none.
    let waiting = this.queue.filter((h) => h.waiting).length;
    for (const slot of this.slots) {
      if (waiting === 0) break;
      if (!slot.handle?.isLent) continue;
      waiting--;
      slot.handle.evict();
    }
  }

  private assign(slot: Slot, handle: RunHandle): void {
    slot.handle = handle;
    const worker = (slot.worker ??= this.spawnFor(slot));
    slot.heardAt = this.now();
    slot.acked = false;
    const channel: RunChannel = {
      send: (msg: ToWorker) => {
        try {
          worker.postMessage(msg);
        } catch (err) {
          // a message that cannot be sent (the worker is gone, or the data cannot be cloned) ends the run, not the pool
          if (slot.worker === worker) this.bury(slot, `the training worker could not be reached (${err instanceof Error ? err.message : String(err)})`);
        }
      },
      release: (h, busy) => {
        if (slot.handle !== h) return;
        slot.handle = null;
        if (busy && slot.worker === worker) {
          worker.terminate();
          slot.worker = null;
        }
        // a microtask later, so a cancel-then-start sequence puts the new run on this worker
        queueMicrotask(() => this.pump());
      },
      lent: () => queueMicrotask(() => this.pump()),
    };
    handle.attach(channel);
    this.watch();
  }

  /** Pings the workers that host runs while any does, and buries those that stay silent too long. */
  private watch(): void {
    if (this.pingTimer !== null) return;
    this.pingTimer = setInterval(() => {
      const hosting = this.slots.filter((s) => s.handle && s.worker);
      if (hosting.length === 0) {
        clearInterval(this.pingTimer!);
        this.pingTimer = null;
        return;
      }
      for (const slot of hosting) {
        const silent = this.now() - slot.heardAt;
        if (silent > this.allowedSilence(slot)) {
          this.bury(slot, `the training worker stopped answering for ${Math.round(silent / 1000)} s (it may have run out of memory or crashed)`);
          continue;
        }
        try {
          slot.worker!.postMessage({ type: 'ping' } satisfies ToWorker);
        } catch {
          this.bury(slot, 'the training worker could not be reached');
        }
      }
    }, this.liveness.pingEveryMs);
  }

  private allowedSilence(slot: Slot): number {
    const { silentMs, setupSilentMs, stepsOfSilence } = this.liveness;
    const h = slot.handle!;
    if (h.state === 'starting' && slot.acked) {
      const margin = SETUP_SILENCE_MARGIN * h.estimatedSetupMs;
      return Number.isFinite(margin) ? Math.max(silentMs, Math.min(setupSilentMs, margin)) : setupSilentMs;
    }
    const stepMs = h.progress.stepMs;
    return Math.max(silentMs, Number.isFinite(stepMs) ? stepsOfSilence * stepMs : 0);
  }

  /** A dead or unreachable worker: its run fails with `why`, the worker goes, a fresh one serves the queue. */
  private bury(slot: Slot, why: string): void {
    const worker = slot.worker;
    const handle = slot.handle;
    slot.worker = null;
    slot.handle = null;
    worker?.terminate();
    handle?.fail(why);
    queueMicrotask(() => this.pump());
  }

  private spawnFor(slot: Slot): Worker {
    const worker = this.spawn();
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (slot.worker !== worker) return;
      slot.heardAt = this.now();
      const msg = ev.data;
      const h = slot.handle;
      if (msg.type === 'alive') {
        if (h && msg.runId === h.runId) slot.acked = true;
        return;
      }
      if (h && h.runId === msg.runId) h.receive(msg);
    };
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault(); // reported through the run's error event, not the console
      if (slot.worker !== worker) return;
      this.bury(slot, `the training worker failed (${ev.message || 'it could not load'})`);
    };
    return worker;
  }
}
