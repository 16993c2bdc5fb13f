import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataError } from '../net/data.ts';
import { DEFAULT_CONFIG, type RunConfig } from '../train/config.ts';
import { fitSweep, sweepJobs, type SweepJob, type SweepRunResult } from '../train/sweep.ts';
import { exitWithError } from './exitOnError.ts';
import { DEFAULT_MAX_MEMORY_MB, KERNELS_FLAG, MAX_MEMORY_FLAG, readCommandLine, type ExtraFlag } from './flags.ts';
import { estimateRun, formatBytes } from '../train/estimate.ts';
import { testSetBytes } from '../train/testEstimate.ts';

const SWEEP_DEFAULTS: RunConfig = { ...DEFAULT_CONFIG, steps: 3000, every: 5 };
const EXTRAS: readonly ExtraFlag[] = [
  { name: 'widths', kind: 'list', min: 1, max: 16384, help: 'comma-separated widths m (default 32,64,128,256,512,1024,2048)' },
  { name: 'ns', kind: 'list', min: 1, max: 4096, help: 'comma-separated numbers of training points n (default: --n alone); test losses are then also fit against n' },
  { name: 'kernel-predictor', kind: 'bool', help: 'also the test loss of kernel regression with K_0 (needs --teacher)' },
  { name: 'seeds', kind: 'int', min: 1, max: 100, help: 'seeds per width (default 3): --seed S, S+1, ... each set all three streams' },
  KERNELS_FLAG,
  { name: 'workers', kind: 'int', min: 1, max: 64, help: 'worker threads (default: number of cores)' },
  MAX_MEMORY_FLAG,
];

function fail(message: string): never {
  return exitWithError('sweep', message);
}

async function main(argv: string[]): Promise<void> {
  const parsed = readCommandLine('sweep', argv, SWEEP_DEFAULTS, EXTRAS);
  if (!parsed) return;
  const widths = (parsed.extras.widths as number[] | undefined) ?? [32, 64, 128, 256, 512, 1024, 2048];
  const seeds = (parsed.extras.seeds as number | undefined) ?? 3;
  const firstSeed = parsed.config.dataSeed;
  const ns = parsed.extras.ns as number[] | undefined;
  const kernelPredictor = parsed.extras['kernel-predictor'] === true;
  if (kernelPredictor && parsed.config.teacher === 0) fail('--kernel-predictor needs a teacher to test on (--teacher k)');
  const batchTooBig = ns?.find((n) => parsed.config.batch > n);
  if (batchTooBig !== undefined) fail(`--batch: got ${parsed.config.batch}, expected at most every n of --ns (${batchTooBig}); or 0 for full batch`);
  const jobs = sweepJobs(widths, seeds, firstSeed, ns);
  const poolSize = Math.min(jobs.length, (parsed.extras.workers as number | undefined) ?? availableParallelism());
  // the widest runs may train side by side, one per worker: all of them must fit together
  const largest = { ...parsed.config, m: Math.max(...widths), n: Math.max(parsed.config.n, ...(ns ?? [])) };
  const widest = (estimateRun(largest).bytes.total + testSetBytes(largest, kernelPredictor)) * poolSize;
  const maxMb = (parsed.extras['max-memory'] as number | undefined) ?? DEFAULT_MAX_MEMORY_MB;
  if (widest > maxMb * 1e6) fail(`--max-memory: ${poolSize} runs of width ${Math.max(...widths)} side by side need about ${formatBytes(widest)}, over the limit of ${maxMb} MB; use smaller widths, fewer --workers, or raise --max-memory`);
  const kernels = parsed.extras.kernels as string[] | undefined;
  const results = await runPool(parsed.config, jobs, poolSize, { kernels: kernels?.[0] === 'ts' ? 'ts' : 'wasm', kernelPredictor }, (r) => process.stdout.write(JSON.stringify(r) + '\n'));
  for (const fit of fitSweep(results)) process.stdout.write(JSON.stringify(fit) + '\n');
}

/** A worker thread running a TypeScript module: tsx's loader is not inherited by workers, so register it first. */
function tsWorker(url: URL): Worker {
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true });
}

/** Runs jobs on `size` worker threads; the first failure (bad data, say) ends the sweep with exit 2. */
function runPool(base: RunConfig, jobs: SweepJob[], size: number, options: { kernels: 'wasm' | 'ts'; kernelPredictor: boolean }, onResult: (r: SweepRunResult) => void): Promise<SweepRunResult[]> {
  const results: SweepRunResult[] = [];
  let next = 0;
  return new Promise((resolve) => {
    let active = size;
    for (let w = 0; w < size; w++) {
      const worker = tsWorker(new URL('./sweepWorker.ts', import.meta.url));
      const feed = () => {
        if (next < jobs.length) worker.postMessage({ base, job: jobs[next++], ...options });
        else {
          void worker.terminate();
          if (--active === 0) resolve(results);
        }
      };
      worker.on('message', (msg: { ok: true; result: SweepRunResult } | { ok: false; error: string }) => {
        if (!msg.ok) fail(`${msg.error}${base.closePairDelta === null ? '' : ` (--close-delta ${base.closePairDelta})`}`);
        results.push(msg.result);
        onResult(msg.result);
        feed();
      });
      worker.on('error', (e) => fail(e instanceof DataError ? `bad data: ${e.message}` : String(e)));
      feed();
    }
  });
}

void main(process.argv.slice(2));
