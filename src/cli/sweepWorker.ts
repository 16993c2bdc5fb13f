import { parentPort } from 'node:worker_threads';
import type { RunConfig } from '../train/config.ts';
import { runSweepJob, type SweepJob } from '../train/sweep.ts';
import { kernelsFor } from './flags.ts';

/** One sweep run per message, on its own thread (one per core). */
parentPort!.on('message', async (msg: { base: RunConfig; job: SweepJob; kernels: 'wasm' | 'ts'; kernelPredictor: boolean }) => {
  try {
    const kernels = await kernelsFor([msg.kernels]);
    parentPort!.postMessage({ ok: true, result: runSweepJob(msg.base, msg.job, { kernels, kernelPredictor: msg.kernelPredictor }) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).message });
  }
});
