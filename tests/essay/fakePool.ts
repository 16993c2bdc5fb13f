import type { MeasuredRecord } from '../../src/train/instruments.ts';
import type { RunInfo, RunRequest, ToWorker } from '../../src/train/protocol.ts';
import { packRecords, recordLayout } from '../../src/train/recordLayout.ts';
import { RunHandle, type RunEvents } from '../../src/train/runHandle.ts';
import type { StartOptions } from '../../src/train/workerPool.ts';

/**
 * A stand-in for the worker pool: real RunHandles on a channel that records what the page sends;
 * the test plays the worker (started, records, done, error, probe answers). With `slots`, runs
 * beyond that many wait in the queue until `admit`.
 */
export class FakePool {
  handles: RunHandle[] = [];
  sent: { runId: number; msg: ToWorker }[] = [];
  options = new Map<RunHandle, StartOptions>();
  released: RunHandle[] = [];

  constructor(private readonly slots = Infinity) {}

  start(request: RunRequest, events: RunEvents, options: StartOptions = {}): RunHandle {
    const h = new RunHandle(request, events, options.paused);
    this.handles.push(h);
    this.options.set(h, options);
    if (this.hosted() < this.slots) this.attach(h);
    return h;
  }

  hosted(): number {
    return this.handles.filter((h) => h.state === 'starting' || h.state === 'running' || h.state === 'paused').length;
  }

  attach(h: RunHandle): void {
    h.attach({ send: (msg) => this.sent.push({ runId: h.runId, msg }), release: (x) => this.released.push(x) });
  }

  /** Messages of a type sent for a run. */
  messages(h: RunHandle, type?: ToWorker['type']): ToWorker[] {
    return this.sent.filter((s) => s.runId === h.runId && (!type || s.msg.type === type)).map((s) => s.msg);
  }

  info(h: RunHandle, lr = 0.1): RunInfo {
    return { layout: recordLayout(h.request.measures), lr, lambdaMax0: 5, delta: 0.3, params: { total: 10, trained: 8 }, kernels: 'fake', setupMs: 1 };
  }

  started(h: RunHandle, lr = 0.1): void {
    h.receive({ type: 'started', runId: h.runId, info: this.info(h, lr) });
  }

  records(h: RunHandle, recs: MeasuredRecord[] | Partial<MeasuredRecord>[]): void {
    const layout = recordLayout(h.request.measures);
    const last = recs[recs.length - 1] as MeasuredRecord;
    h.receive({ type: 'records', runId: h.runId, data: packRecords(recs as MeasuredRecord[], layout), step: last.step, stepsPerSecond: 100, stepMs: 1 });
  }

  done(h: RunHandle, reason: 'converged' | 'diverged' | 'steps' | 'stopped', step: number, message = ''): void {
    h.receive({ type: 'done', runId: h.runId, reason, message, step });
  }

  error(h: RunHandle, message: string): void {
    h.receive({ type: 'error', runId: h.runId, message });
  }
}

/** Records at the given steps with loss = 1 / (1 + step) and the other fields from `more`. */
export function recs(steps: number[], more: (step: number) => Partial<MeasuredRecord> = () => ({})): Partial<MeasuredRecord>[] {
  return steps.map((step) => ({ step, loss: 1 / (1 + step), gradNorm: 1, ...more(step) }));
}
