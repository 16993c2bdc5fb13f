/**
 * Records each figure's default runs at build time (src/essay/recorded/recipes.ts) and writes
 * src/essay/recorded/results.json, keyed by the hash of its inputs (scripts/recordedInputs.ts).
 * The runs train in this process on the page's own path: a WorkerPool whose "worker" is the
 * training host (src/train/trainingHost.ts) on a MessageChannel, with the WebAssembly SIMD kernels,
 * and a RunSet collecting the records as the figure's does; the figure's view function then turns
 * the finished runs into the sentences it quotes.
 *
 *   node [--experimental-wasm-relaxed-simd] --import tsx --import ./scripts/cssStub.mjs scripts/recordResults.ts [--force]
 *
 * (the flag on Node 20, so that the recording runs the relaxed-SIMD kernels the page's Chromium runs;
 * scripts/vitePluginRecorded.ts passes it when needed).
 *
 * Skips the work when the stored results match the inputs (unless --force).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceKernels } from '../src/net/kernels.ts';
import { createWasmKernels } from '../src/net/wasmKernels.ts';
import { hostTraining, type TrainingScope } from '../src/train/trainingHost.ts';
import { WorkerPool } from '../src/train/workerPool.ts';
import { RunSet, type Run, type RunSpec } from '../src/essay/figures/runSet.ts';
import { RECIPES, type SetOptions, type Train } from '../src/essay/recorded/recipes.ts';
import type { RecordedPanel, RecordedResults } from '../src/essay/recorded/recorded.ts';
import { inputsHash, RESULTS_FILE, storedHash } from './recordedInputs.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** What WorkerPool needs of a worker: the training host on the other end of a MessageChannel, in this process. */
let kernelsName = '';

class InProcessWorker {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  private readonly port: MessagePort;
  private readonly hostPort: MessagePort;
  private readonly host: { stop(): void };

  constructor() {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.hostPort = channel.port2;
    this.port.onmessage = (ev) => this.onmessage?.(ev);
    this.host = hostTraining(
      this.hostPort as unknown as TrainingScope,
      createWasmKernels().then((k) => {
        const kernels = k ?? referenceKernels;
        kernelsName = kernels.name;
        return kernels;
      }),
    );
  }

  postMessage(message: unknown): void {
    this.port.postMessage(message);
  }

  terminate(): void {
    this.host.stop();
    this.port.close();
    this.hostPort.close();
  }
}

/** Trains runs on one RunSet until every one has ended (or failed), as a figure's set would. */
function trainOn(pool: WorkerPool): Train {
  return <T>(options: SetOptions<T>, specs: readonly RunSpec[]) =>
    new Promise<Run<T>[]>((done, fail) => {
      let set: RunSet<T> | null = null;
      const check = (): void => {
        if (!set || set.runs.length < specs.length) return;
        const bad = set.runs.find((r) => r.error !== null);
        if (bad) fail(new Error(`${bad.key}: ${bad.error}`));
        else if (set.runs.every((r) => r.end !== null)) done(set.runs);
      };
      set = new RunSet<T>({ ...options, pool, onChange: check });
      set.resume();
      set.startAll(specs);
    });
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const inputs = inputsHash(ROOT);
  if (!force && storedHash(ROOT) === inputs) {
    console.log(`recorded results are up to date (${RESULTS_FILE})`);
    return;
  }
  const t0 = performance.now();
  const pool = new WorkerPool(1, () => new InProcessWorker() as unknown as Worker);
  const panels: Record<string, RecordedPanel> = {};
  const train = trainOn(pool);
  try {
    for (const recipe of RECIPES) {
      const t = performance.now();
      panels[recipe.panel] = await recipe.record(train);
      console.log(`recorded ${recipe.panel} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    pool.dispose();
  }
  const ms = Math.round(performance.now() - t0);
  const results: RecordedResults = { inputs, recordedAt: new Date().toISOString(), ms, kernels: kernelsName, panels };
  writeFileSync(join(ROOT, RESULTS_FILE), JSON.stringify(results) + '\n');
  console.log(`wrote ${RESULTS_FILE} in ${(ms / 1000).toFixed(1)} s (kernels: ${kernelsName})`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
