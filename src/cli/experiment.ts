import { writeFileSync } from 'node:fs';
import { DataError } from '../net/data.ts';
import { toNested, toNested3 } from '../net/tensor.ts';
import { isConv, weightShapes } from '../net/network.ts';
import { Probe } from '../net/landscape.ts';
import { hiddenGradientNorms } from '../net/rnnGradientFlow.ts';
import { growthKind, perStepGrowth, type GrowthFit } from '../train/rnnGrowth.ts';
import { DEFAULT_CONFIG, quoteInput, type RunConfig } from '../train/config.ts';
import { driveRun } from '../train/drive.ts';
import { Instruments, MEASURE_NAMES, NO_MEASURES, type MeasuredRecord, type MeasureSwitches } from '../train/instruments.ts';
import { Run } from '../train/run.ts';
import { exitWithError } from './exitOnError.ts';
import { DEFAULT_MAX_MEMORY_MB, KERNELS_FLAG, kernelsFor, MAX_MEMORY_FLAG, readCommandLine, type ExtraFlag } from './flags.ts';
import { estimateRun, formatBytes } from '../train/estimate.ts';
import { testSetBytes } from '../train/testEstimate.ts';

const CLI_DEFAULTS: RunConfig = { ...DEFAULT_CONFIG, steps: 1000, every: 10 };
export const MEASURE_FLAG: ExtraFlag = {
  name: 'measure',
  kind: 'names',
  values: MEASURE_NAMES,
  help: `measurements per record: all, none or a subset of ${MEASURE_NAMES.join(',')} (default all but kernel, which --kernel-predictor adds)`,
};
const EXTRAS: readonly ExtraFlag[] = [
  { name: 'dump', kind: 'string', help: 'write the initial state (config, X, Y, A, W, B, loss, gradNorm) as JSON to FILE' },
  MEASURE_FLAG,
  KERNELS_FLAG,
  MAX_MEMORY_FLAG,
  { name: 'until-eps', kind: 'bool', help: 'stop once F <= eps F_0 (otherwise run all steps and report stepsToEps)' },
  { name: 'kernel-predictor', kind: 'bool', help: 'also fit kernel regression with K_0 (needs --teacher) and report its test loss in the summary' },
];

export function switchesFrom(names: readonly string[] | undefined, kernelPredictor = false): MeasureSwitches {
  const on = { ...NO_MEASURES };
  for (const k of names ?? MEASURE_NAMES.filter((n) => n !== 'kernel')) on[k as keyof MeasureSwitches] = true;
  if (kernelPredictor) on.kernel = true;
  return on;
}

function fail(message: string): never {
  return exitWithError('experiment', message);
}

async function main(argv: string[]): Promise<void> {
  const parsed = readCommandLine('experiment', argv, CLI_DEFAULTS, EXTRAS);
  if (!parsed) return;
  const { config } = parsed;
  const kernelPredictor = parsed.extras['kernel-predictor'] === true;
  if (kernelPredictor && config.teacher === 0) fail('--kernel-predictor needs a teacher to test on (--teacher k)');
  const out = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  // what the run will cost: checked before anything is allocated, printed once the data and the dump are good
  const estimate = estimateRun(config);
  const maxMb = (parsed.extras['max-memory'] as number | undefined) ?? DEFAULT_MAX_MEMORY_MB;
  const testBytes = testSetBytes(config, kernelPredictor);
  if (estimate.bytes.total + testBytes > maxMb * 1e6 && estimate.bytes.total <= maxMb * 1e6) {
    fail(`--max-memory: the test set${kernelPredictor ? ' and the kernel predictor' : ''} of this run need about ${formatBytes(testBytes)} beside the run's ${formatBytes(estimate.bytes.total)}, over the limit of ${maxMb} MB; use a smaller --test-n${kernelPredictor ? ' (the kernel predictor holds an (n + test-n) squared kernel)' : ''}, or raise --max-memory`);
  }
  if (estimate.bytes.total > maxMb * 1e6) {
    fail(`--max-memory: this run needs about ${formatBytes(estimate.bytes.total)} (weights ${formatBytes(estimate.bytes.weights)}), over the limit of ${maxMb} MB; use a smaller --m, --L or --n, or raise --max-memory`);
  }
  let run: Run;
  try {
    run = new Run(config, await kernelsFor(parsed.extras.kernels));
  } catch (e) {
    if (e instanceof DataError) fail(`bad data: ${e.message}${closePairHint(config)}`);
    throw e;
  }
  const dumpFile = parsed.extras.dump as string | undefined;
  if (dumpFile) writeDump(dumpFile, run);
  out({ type: 'estimate', memoryBytes: estimate.bytes.total, bytes: estimate.bytes, setupMs: estimate.setupMs, stepMs: estimate.stepMs, flopsPerStep: estimate.flopsPerStep });
  const gradients0 = config.arch === 'rnn' ? gradientOverTime(run) : null;
  const instruments = new Instruments(run, switchesFrom(parsed.extras.measure as string[] | undefined, kernelPredictor));
  const t0 = performance.now();
  const result = driveRun<MeasuredRecord>(run, (rec) => out({ type: 'record', ...rec }), {
    measure: () => instruments.measure(),
    stopAtEps: parsed.extras['until-eps'] === true,
  });
  const seconds = (performance.now() - t0) / 1000;
  // Training time alone: the loop's time less what the switched-on measurements took.
  const measureMs = Object.entries(instruments.timings)
    .filter(([k]) => k !== 'evaluate')
    .reduce((sum, [, t]) => sum + t.ms, 0);
  const msPerStep = result.steps > 0 ? (seconds * 1000 - measureMs) / result.steps : null;
  const msPerCall = Object.fromEntries(
    Object.entries(instruments.timings)
      .filter(([, t]) => t.calls > 0)
      .map(([k, t]) => [k, t.ms / t.calls]),
  );
  const bench = instruments.bench();
  const kernel = kernelPredictor && bench ? bench.kernelPredictor() : null;
  out({
    type: 'summary',
    status: result.verdict.reason,
    message: result.verdict.message,
    steps: result.steps,
    stepsToEps: result.stepsToEps,
    loss0: result.first.loss,
    lossT: result.last.loss,
    gradNorm0: result.first.gradNorm,
    gradNormT: result.last.gradNorm,
    lr: run.lr,
    lambdaMax0: run.lambdaMax0,
    delta: run.delta,
    ...(bench && {
      // test losses are means over the test points of 1/2 ||prediction - f*(x)||^2 (the training loss F is a sum)
      testLoss: result.last.testLoss ?? bench.testLoss(),
      trainLossMean: bench.trainLossMean(result.last.loss),
      testN: config.testN,
    }),
    ...(kernel && { kernelTestLoss: kernel.testLoss, kernelTrainLossMean: kernel.trainLossMean, ...(kernel.message && { kernelMessage: kernel.message }) }),
    ...(run.outputScale && { alpha: run.outputScale.alpha }),
    params: run.paramCount,
    seconds,
    msPerStep,
    msPerCall,
    ...(gradients0 ? { gradientOverTime: { init: gradients0, end: gradientOverTime(run) } } : {}),
    config,
  });
  // a run that went wrong says so on stderr and in its exit code, as well as in the summary
  const { reason, message } = result.verdict;
  if (reason === 'diverged' || reason === 'dead' || reason === 'stalled') {
    process.stderr.write(`experiment: ${reason}: ${message}\n`);
    process.exit(3);
  }
}

/**
 * The RNN's gradient over time at the current weights (src/net/rnnGradientFlow.ts): ||dF/dh_t|| and
 * ||dF_T/dh_t|| for t = 1..T, and the fitted factor per step back of the latter with its 95% interval.
 */
function gradientOverTime(run: Run): { total: number[]; fromLast: number[]; growth: (GrowthFit & { kind: string }) | null } {
  const { total, fromLast } = hiddenGradientNorms(new Probe(run.model).model);
  const fit = perStepGrowth(fromLast);
  return { total: Array.from(total), fromLast: Array.from(fromLast), growth: fit ? { ...fit, kind: growthKind(fit) } : null };
}

/** Names --close-delta when it set the pair that the data check refused. */
function closePairHint(config: RunConfig): string {
  return config.closePairDelta === null ? '' : ` (--close-delta ${config.closePairDelta})`;
}

function writeDump(file: string, run: Run): void {
  const { spec, data, initial } = run;
  const { n, dOut } = data;
  const first = run.evaluate();
  // the RNN's data are sequences: X is n x T x d, Y is n x T x dOut (y_{i,1} unused: the loss starts at t = 2)
  const T = spec.arch === 'rnn' ? (spec.T ?? 1) : 0;
  const shapes = weightShapes(spec);
  const conv = isConv(spec);
  const dump = {
    // the CNN's dump names its shape as the paper does: c input channels, window s
    config: T ? { ...run.config, L: spec.L } : conv ? { ...run.config, c: spec.d, s: spec.window } : run.config,
    lr: run.lr,
    // X: n x d, n x T x d for the RNN, or n x q x c for the CNN (each point position-major, as the core reads it)
    X: T
      ? toNested3(data.X, n, T, spec.d)
      : conv
        ? Array.from({ length: n }, (_, i) => toNested(data.X.subarray(i * data.d, (i + 1) * data.d), spec.q!, spec.d))
        : toNested(data.X, n, data.d),
    Y: T ? toNested3(data.Y, n, T, dOut) : toNested(data.Y, n, dOut),
    A: toNested(initial.A, ...shapes.A),
    W: initial.W.map((w) => toNested(w, ...shapes.W)),
    B: toNested(initial.B, ...shapes.B),
    loss: first.loss,
    gradNorm: first.gradNorm,
  };
  try {
    writeFileSync(file, JSON.stringify(dump));
  } catch (e) {
    // the system's reason without the path it repeats ("ENOENT: no such file or directory, open '...'")
    const reason = (e as Error).message.replace(/, \w+ '[^]*$/, '');
    fail(`--dump: cannot write ${quoteInput(file, 200)}: ${reason}`);
  }
}

void main(process.argv.slice(2));
