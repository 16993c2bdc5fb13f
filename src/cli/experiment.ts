import { writeFileSync } from 'node:fs';
import { DataError } from '../net/data.ts';
import { toNested } from '../net/tensor.ts';
import { ConfigError, DEFAULT_CONFIG, type RunConfig } from '../train/config.ts';
import { driveRun } from '../train/drive.ts';
import { Run } from '../train/run.ts';
import { parseArgs, usage, type ExtraFlag } from './flags.ts';

/** The CLI runs every step unless --eps asks it to stop at convergence. */
const CLI_DEFAULTS: RunConfig = { ...DEFAULT_CONFIG, eps: 0, steps: 1000, every: 10 };
const EXTRAS: readonly ExtraFlag[] = [{ name: 'dump', kind: 'string', help: 'write the initial state (config, X, Y, A, W, B, loss, gradNorm) as JSON to FILE' }];

function fail(message: string): never {
  process.stderr.write(`experiment: ${message}\n`);
  process.exit(2);
}

function main(argv: string[]): void {
  let parsed;
  try {
    parsed = parseArgs(argv, CLI_DEFAULTS, EXTRAS);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  if (parsed.help) {
    process.stdout.write(usage('experiment', EXTRAS, CLI_DEFAULTS) + '\n');
    return;
  }
  const { config } = parsed;
  let run: Run;
  try {
    run = new Run(config);
  } catch (e) {
    if (e instanceof DataError) fail(`bad data: ${e.message}`);
    throw e;
  }
  const out = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  const dumpFile = parsed.extras.dump as string | undefined;
  if (dumpFile) writeDump(dumpFile, run);
  const t0 = performance.now();
  const result = driveRun(run, (rec) => out({ type: 'record', ...rec }));
  const seconds = (performance.now() - t0) / 1000;
  out({
    type: 'summary',
    status: result.verdict.reason,
    message: result.verdict.message,
    steps: result.steps,
    loss0: result.first.loss,
    lossT: result.last.loss,
    gradNorm0: result.first.gradNorm,
    gradNormT: result.last.gradNorm,
    lr: run.lr,
    lambdaMax0: run.lambdaMax0,
    delta: run.delta,
    params: run.paramCount,
    seconds,
    config,
  });
  if (result.verdict.reason === 'diverged') {
    process.stderr.write(`experiment: diverged: ${result.verdict.message}\n`);
    process.exit(3);
  }
}

function writeDump(file: string, run: Run): void {
  const { spec, data, initial } = run;
  const { n, d, dOut } = data;
  const first = run.evaluate();
  const dump = {
    config: run.config,
    lr: run.lr,
    X: toNested(data.X, n, d),
    Y: toNested(data.Y, n, dOut),
    A: toNested(initial.A, spec.m, d),
    W: initial.W.map((w) => toNested(w, spec.m, spec.m)),
    B: toNested(initial.B, dOut, spec.m),
    loss: first.loss,
    gradNorm: first.gradNorm,
  };
  try {
    writeFileSync(file, JSON.stringify(dump));
  } catch (e) {
    fail(`--dump: cannot write ${file}: ${(e as Error).message}`);
  }
}

main(process.argv.slice(2));
