/**
 * The training worker's work, on any message port (src/train/worker.ts hosts it on a worker's
 * scope; an embed that cannot start a worker hosts it in the page): hosts one run, steps it in
 * slices sized by SliceBudget, and posts the records as packed Float32Arrays (transferred), at most one batch per figure redraw. Between
 * slices it yields to its message queue, so pause, step, stop and a new start are handled within
 * one slice (or one update, when a single update is longer than a slice).
 */
import { checkConfig } from './config.ts';
import { Instruments, MEASURE_NAMES, NO_MEASURES } from './instruments.ts';
import type { FromWorker, RunRequest, ToWorker } from './protocol.ts';
import { packRecords, recordLayout, type RecordField } from './recordLayout.ts';
import { Run } from './run.ts';
import { SliceBudget } from './sliceBudget.ts';
import { ProbeHost, type ProbeJob } from './probes.ts';
import { RunStepper } from './stepper.ts';
import type { MeasuredRecord } from './instruments.ts';
import type { MatrixKernels } from '../net/kernels.ts';

/**
 * At most one batch of records per redraw of a training figure: the page redraws one at most every
 * 100 ms, and each batch is a task on its main thread (at 30 batches a second, most only waited for
 * the next redraw). A run's end, a pause and a single step still post at once.
 */
const FLUSH_MS = 100;
/** Work on a probe per slice, after the training slice: a grid fills at this pace without starving training. */
const PROBE_MS = 12;

interface Hosted {
  runId: number;
  stepper: RunStepper<MeasuredRecord>;
  layout: RecordField[];
  budget: SliceBudget;
  paused: boolean;
  stepsOwed: number; // updates the reader asked for with "step" while paused
  pending: MeasuredRecord[];
  lastFlush: number;
  probes: ProbeHost | null; // when the page asked for probes
  jobs: { probeId: number; job: ProbeJob }[];
  finished: boolean; // the run ended but stays for probes
}

/** Where the host reads requests and posts records: a worker's global scope, or a MessagePort. */
export interface TrainingScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => unknown) | null;
}

/**
 * Serves runs on `scope` with the kernels `ready` resolves to: messages wait for them (a few
 * milliseconds at start-up), and are then handled in the order they came. `stop` ends all work.
 */
export function hostTraining(scope: TrainingScope, ready: Promise<MatrixKernels>): { stop(): void } {
  let current: Hosted | null = null;
  let scheduled = false;
  let stopped = false;


  function post(msg: FromWorker): void {
    if (msg.type === 'records') scope.postMessage(msg, [msg.data.buffer]);
    else scope.postMessage(msg);
  }

  function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  // A MessageChannel yields to the event loop without setTimeout's 4 ms clamp on nested timers.
  const tick = new MessageChannel();
  tick.port1.onmessage = () => {
    if (stopped) return;
    scheduled = false;
    slice();
  };

  function wantsTraining(h: Hosted): boolean {
    return !h.finished && (!h.paused || h.stepsOwed > 0);
  }

  function wantsWork(h: Hosted | null): h is Hosted {
    return h !== null && (wantsTraining(h) || h.jobs.length > 0);
  }

  /** The oldest probe gets PROBE_MS; a partial answer goes out each time, the last one marked done. */
  function probeSlice(h: Hosted): void {
    const entry = h.jobs[0];
    try {
      const result = entry.job.advance(performance.now() + PROBE_MS);
      if (entry.job.done) h.jobs.shift();
      post({ type: 'probe', runId: h.runId, probeId: entry.probeId, done: entry.job.done, result });
    } catch (err) {
      h.jobs.shift();
      post({ type: 'probeError', runId: h.runId, probeId: entry.probeId, message: errorText(err) });
    }
  }

  function schedule(): void {
    if (scheduled || !wantsWork(current)) return;
    scheduled = true;
    tick.port2.postMessage(null);
  }

  function flush(h: Hosted, force: boolean): void {
    const now = performance.now();
    if (h.pending.length === 0 || (!force && now - h.lastFlush < FLUSH_MS)) return;
    const data = packRecords(h.pending, h.layout);
    h.pending = [];
    h.lastFlush = now;
    post({
      type: 'records',
      runId: h.runId,
      data,
      step: h.stepper.run.step,
      stepsPerSecond: h.budget.stepsPerSecond,
      stepMs: h.budget.stepMs,
    });
  }

  function slice(): void {
    const h = current;
    if (!wantsWork(h)) return;
    if (h.jobs.length > 0) probeSlice(h);
    if (!wantsTraining(h)) {
      schedule();
      return;
    }
    try {
      const before = h.stepper.run.step;
      const t0 = performance.now();
      const stepping = h.paused; // a "step" request: exactly one update
      const recs = h.stepper.advance(stepping ? 0 : h.budget.advanceBudget());
      h.budget.observe(h.stepper.run.step - before, performance.now() - t0);
      if (stepping) h.stepsOwed--;
      h.pending.push(...recs);
      const verdict = h.stepper.verdict;
      flush(h, verdict !== null || h.paused);
      if (verdict) {
        post({ type: 'done', runId: h.runId, reason: verdict.reason, message: verdict.message, step: h.stepper.run.step });
        // a run that answers probes stays until the page stops it (a landscape of the end point, say)
        if (h.probes) h.finished = true;
        else current = null;
        schedule();
        return;
      }
    } catch (err) {
      current = null;
      post({ type: 'error', runId: h.runId, message: errorText(err) });
      return;
    }
    schedule();
  }

  function start(runId: number, request: RunRequest, paused: boolean, kernels: MatrixKernels): void {
    current = null;
    const t0 = performance.now();
    try {
      checkConfig(request.config);
      post({ type: 'setup', runId, phase: 'init' });
      const run = new Run(request.config, kernels, 'f32', (phase) => post({ type: 'setup', runId, phase }));
      const switches = request.measures ?? {};
      const measuring = MEASURE_NAMES.some((k) => switches[k]);
      // Instruments snapshot the initial ReLU pattern, so they exist before the first update.
      const instruments = measuring
        ? new Instruments(run, { ...NO_MEASURES, ...switches })
        : null;
      const probes = request.probes ? new ProbeHost(run) : null;
      const measureBase = instruments ? () => instruments.measure() : () => run.evaluate() as MeasuredRecord;
      const measure = probes
        ? () => {
            const rec = measureBase();
            probes.observe(); // a trajectory snapshot at each record
            return rec;
          }
        : measureBase;
      const stepper = new RunStepper<MeasuredRecord>(run, { measure });
      const layout = recordLayout(switches);
      current = {
        runId,
        stepper,
        layout,
        budget: new SliceBudget(),
        paused,
        stepsOwed: 0,
        pending: [],
        lastFlush: 0,
        probes,
        jobs: [],
        finished: false,
      };
      post({
        type: 'started',
        runId,
        info: {
          layout,
          lr: run.lr,
          lambdaMax0: run.lambdaMax0,
          delta: run.delta,
          params: run.paramCount,
          kernels: kernels.name,
          setupMs: performance.now() - t0,
        },
      });
    } catch (err) {
      post({ type: 'error', runId, message: errorText(err) });
      return;
    }
    schedule();
  }

  function handle(msg: ToWorker, kernels: MatrixKernels): void {
    if (msg.type === 'ping') return; // answered on arrival
    if (msg.type === 'start') {
      start(msg.runId, msg, msg.paused ?? false, kernels);
      return;
    }
    const h = current;
    if (!h || h.runId !== msg.runId) return; // about a run this worker no longer hosts
    switch (msg.type) {
      case 'pause':
        h.paused = true;
        h.stepsOwed = 0;
        flush(h, true);
        break;
      case 'resume':
        h.paused = false;
        h.stepsOwed = 0;
        schedule();
        break;
      case 'step':
        h.paused = true;
        h.stepsOwed += Math.max(0, Math.floor(msg.count));
        schedule();
        break;
      case 'probe':
        if (!h.probes) {
          post({ type: 'probeError', runId: h.runId, probeId: msg.probeId, message: 'this run was started without probes' });
          break;
        }
        try {
          h.jobs.push({ probeId: msg.probeId, job: h.probes.start(msg.request) });
        } catch (err) {
          post({ type: 'probeError', runId: h.runId, probeId: msg.probeId, message: errorText(err) });
        }
        schedule();
        break;
      case 'stop':
        current = null;
        post({ type: 'done', runId: h.runId, reason: 'stopped', message: `stopped at step ${h.stepper.run.step}`, step: h.stepper.run.step });
        break;
    }
  }

  scope.onmessage = (ev: MessageEvent<ToWorker>) => {
    const msg = ev.data;
    // answered at once, not after the kernels load: the pool tells a dead worker by its silence
    if (msg.type === 'ping') {
      post({ type: 'alive', runId: 0 });
      return;
    }
    if (msg.type === 'start') post({ type: 'alive', runId: msg.runId });
    void ready.then((kernels) => handle(msg, kernels));
  };

  return {
    stop() {
      stopped = true;
      current = null;
      scope.onmessage = null;
      tick.port1.close();
    },
  };
}
