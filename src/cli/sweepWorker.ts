import { parentPort } from 'node:worker_threads';
import type { RunConfig } from '../train/config.ts';
import { runSweepJob, type SweepJob } from '../train/sweep.ts';

/** One sweep run per message, on its own thread (one per core). */
parentPort!.on('message', (msg: { base: RunConfig; job: SweepJob }) => {
  try {
    parentPort!.postMessage({ ok: true, result: runSweepJob(msg.base, msg.job) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).message });
  }
});
