import type { FromWorker, RunRequest, ToWorker } from './protocol.ts';
import { RunHandle, type RunChannel, type RunEvents } from './runHandle.ts';

/** Workers the pool keeps at most, whatever the core count (each holds a run's weights in memory). */
export const MAX_POOL_SIZE = 4;

/** One worker per core, capped; at least one. */
export function defaultPoolSize(cores: number | undefined = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(MAX_POOL_SIZE, Math.floor(cores || 2)));
}

interface Slot {
  worker: Worker | null; // spawned when first needed, replaced after a crash or a busy cancel
  handle: RunHandle | null;
}

export interface StartOptions {
  /** Ahead of queued runs (the run the reader is looking at, not a sweep's next job). */
  first?: boolean;
  /** Set up the run but hold it before its first update. */
  paused?: boolean;
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

  constructor(
    readonly size: number,
    private readonly spawn: () => Worker,
  ) {
    this.slots = Array.from({ length: size }, () => ({ worker: null, handle: null }));
  }

  /** Starts a run as soon as a worker is free. */
  start(request: RunRequest, events: RunEvents, options: StartOptions = {}): RunHandle {
    const handle = new RunHandle(request, events, options.paused);
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
  }

  private assign(slot: Slot, handle: RunHandle): void {
    slot.handle = handle;
    const worker = (slot.worker ??= this.spawnFor(slot));
    const channel: RunChannel = {
      send: (msg: ToWorker) => worker.postMessage(msg),
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
    };
    handle.attach(channel);
  }

  private spawnFor(slot: Slot): Worker {
    const worker = this.spawn();
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const h = slot.handle;
      if (slot.worker === worker && h && h.runId === ev.data.runId) h.receive(ev.data);
    };
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault(); // reported through the run's error event, not the console
      if (slot.worker !== worker) return;
      worker.terminate();
      slot.worker = null;
      slot.handle?.fail(`the training worker failed (${ev.message || 'it could not load'})`);
    };
    return worker;
  }
}
