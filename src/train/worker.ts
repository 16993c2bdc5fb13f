/// <reference lib="webworker" />
/**
 * The training worker: hosts one run, steps it in slices of about SLICE_MS, and posts the records
 * of each slice as one transferred Float32Array. Between slices it yields, so pause/stop/start
 * messages are handled promptly.
 */
import { checkConfig } from './config.ts';
import { packRecords, type FromWorker, type ToWorker } from './protocol.ts';
import { Run } from './run.ts';
import { RunStepper } from './stepper.ts';

/** Time budget per slice, measured with performance.now(). */
export const SLICE_MS = 30;

const scope = self as unknown as DedicatedWorkerGlobalScope;

let stepper: RunStepper | null = null;
let paused = false;
let scheduled = false;

function post(msg: FromWorker): void {
  if (msg.type === 'records') scope.postMessage(msg, [msg.data.buffer]);
  else scope.postMessage(msg);
}

function fail(err: unknown): void {
  stepper = null;
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}

// A MessageChannel yields to the event loop without setTimeout's 4 ms clamp on nested timers.
const tick = new MessageChannel();
tick.port1.onmessage = () => {
  scheduled = false;
  slice();
};

function schedule(): void {
  if (scheduled || paused || !stepper) return;
  scheduled = true;
  tick.port2.postMessage(null);
}

function slice(): void {
  const s = stepper;
  if (!s || paused) return;
  try {
    const recs = s.advance(SLICE_MS);
    if (recs.length > 0) post({ type: 'records', data: packRecords(recs) });
    if (s.verdict) {
      post({ type: 'done', reason: s.verdict.reason, message: s.verdict.message, step: s.run.step });
      stepper = null;
      return;
    }
  } catch (err) {
    fail(err);
    return;
  }
  schedule();
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'start':
      try {
        checkConfig(msg.config);
        stepper = new RunStepper(new Run(msg.config));
      } catch (err) {
        fail(err);
        return;
      }
      paused = false;
      schedule();
      break;
    case 'pause':
      paused = true;
      break;
    case 'resume':
      paused = false;
      schedule();
      break;
    case 'stop':
      if (stepper) {
        const step = stepper.run.step;
        stepper = null;
        post({ type: 'done', reason: 'stopped', message: `stopped at step ${step}`, step });
      }
      break;
  }
};
