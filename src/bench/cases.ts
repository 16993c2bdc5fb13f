/**
 * The benchmark's cases, run the same way by the Node CLI (src/cli/bench.ts) and the browser
 * bench worker (src/bench/worker.ts): the core on each kernel build, tfjs on each backend, the
 * roofline of the canonical step, interleaved rounds on it and the training loop's rate. Each
 * runner adds what only it has (numpy in Node; the user agent in the browser).
 */
import type * as TF from '@tensorflow/tfjs-core';
import { referenceKernels, type MatrixKernels } from '../net/kernels.ts';
import { createWasmKernels, type WasmKernels } from '../net/wasmKernels.ts';
import { runCnnCases } from './cnnCase.ts';
import { measureRoofline, type Roofline } from './roofline.ts';
import {
  BenchRunner,
  CANONICAL,
  benchLearningRate,
  loopStepsPerSecond,
  makeCoreStepper,
  makeTfjsStepper,
  median,
  shapeName,
  type BenchCase,
  type BenchShape,
} from './steps.ts';

export interface CaseRun {
  runner: BenchRunner;
  shapes: BenchShape[];
  /** The step size of each width, shared by every implementation (see benchLearningRate). */
  lrs: Map<number, number>;
  want: (impl: string) => boolean;
  log: (line: string) => void;
}

/** The two builds of the fast kernels (null where the engine lacks them). */
export interface FastKernels {
  wasm: WasmKernels | null;
  wasmSimd: WasmKernels | null;
}

/** Both builds, each null where the engine cannot run it. */
export async function createFastKernels(): Promise<FastKernels> {
  return { wasm: await createWasmKernels(), wasmSimd: await createWasmKernels({ variant: 'simd' }) };
}

/** The step size of every width, from the fast kernels when there are any. */
export function learningRates(shapes: BenchShape[], { wasm }: FastKernels): Map<number, number> {
  return new Map(shapes.map((s) => [s.m, benchLearningRate(s, wasm ?? referenceKernels)]));
}

/** core+wasm (relaxed SIMD where the engine has it), core+wasm-simd (only then) and core+ts; then the CNN step on core+wasm and core+ts. */
export function runCoreCases(run: CaseRun, { wasm, wasmSimd }: FastKernels): void {
  const impls: [string, MatrixKernels | null][] = [
    ['core+wasm', wasm],
    ['core+wasm-simd', wasm?.variant === 'relaxed-simd' ? wasmSimd : null],
    ['core+ts', referenceKernels],
  ];
  for (const [impl, k] of impls) {
    if (!k || !run.want(impl)) continue;
    for (const s of run.shapes) run.runner.run(impl, s, () => makeCoreStepper(s, k, run.lrs.get(s.m)!));
  }
  runCnnCases(run.runner, wasm, run.want);
}

const TFJS_CASES = [
  ['tfjs-wasm-hand', 'wasm', 'hand'],
  ['tfjs-wasm-optimizer', 'wasm', 'optimizer'],
  ['tfjs-cpu-hand', 'cpu', 'hand'],
] as const;

export function wantsTfjs(want: (impl: string) => boolean): boolean {
  return TFJS_CASES.some(([impl]) => want(impl));
}

/** The tfjs cases, each on its backend; `onBackend` sees each backend once it is ready. */
export async function runTfjsCases(run: CaseRun, tf: typeof TF, onBackend: (backend: string) => void = () => {}): Promise<void> {
  for (const [impl, backend, mode] of TFJS_CASES) {
    if (!run.want(impl)) continue;
    if (!(await tf.setBackend(backend))) {
      run.log(`  ${impl}: backend ${backend} failed to initialize`);
      continue;
    }
    await tf.ready();
    onBackend(backend);
    for (const s of run.shapes) run.runner.run(impl, s, () => makeTfjsStepper(tf, s, mode, run.lrs.get(s.m)!));
  }
}

/** The time per step an implementation took on the canonical step, if it was measured. */
export function canonicalMs(cases: BenchCase[], impl: string): number | null {
  return cases.find((c) => c.impl === impl && c.shape === shapeName(CANONICAL))?.msPerStep ?? null;
}

/** The canonical step's step size (set in run.lrs when its width was not among the cases). */
export function canonicalLearningRate(run: CaseRun, { wasm }: FastKernels): number {
  if (!run.lrs.has(CANONICAL.m)) run.lrs.set(CANONICAL.m, benchLearningRate(CANONICAL, wasm ?? referenceKernels));
  return run.lrs.get(CANONICAL.m)!;
}

/** The roofline of the canonical step, when core+wasm is benchmarked. */
export function rooflineCase(run: CaseRun, env: string, fast: FastKernels): Roofline | null {
  if (!fast.wasm || !run.want('core+wasm')) return null;
  const core = run.runner.cases.find((c) => c.impl === 'core+wasm' && c.shape === shapeName(CANONICAL) && c.msPerStep !== null);
  return measureRoofline(env, fast.wasm, canonicalLearningRate(run, fast), core?.msPerStep ?? null, CANONICAL, core?.cpuMsPerStep);
}

/** One interleaved round on the canonical step, ms per step (null: not measured in this environment). */
export interface CanonicalRound {
  numpy?: number | null;
  coreWasm: number | null;
  tfjsWasmHand: number | null;
  /** Process CPU ms per step (Node only): steadier than wall time when other work shares the cores. */
  numpyCpu?: number | null;
  coreWasmCpu?: number | null;
}

/**
 * core+wasm, then tfjs-wasm-hand, on the canonical step, 5 repetitions each, seconds apart. The
 * machine's other load drifts over minutes, so ratios taken within a round are steadier than
 * ratios of the cases above, which were measured minutes apart.
 */
export async function canonicalRound(run: CaseRun, fast: FastKernels, tf: typeof TF | null): Promise<CanonicalRound> {
  const lr = canonicalLearningRate(run, fast);
  const { wasm } = fast;
  const side = new BenchRunner(run.runner.env, 5, () => {}, run.runner.cpuNow);
  const core = wasm ? side.run('core+wasm', CANONICAL, () => makeCoreStepper(CANONICAL, wasm, lr)) : null;
  const coreWasm = core?.msPerStep ?? null;
  let tfjsWasmHand: number | null = null;
  if (tf && (await tf.setBackend('wasm'))) tfjsWasmHand = side.run('tfjs-wasm-hand', CANONICAL, () => makeTfjsStepper(tf, CANONICAL, 'hand', lr)).msPerStep;
  return { coreWasm, tfjsWasmHand, ...(core?.cpuMsPerStep !== undefined ? { coreWasmCpu: core.cpuMsPerStep } : {}) };
}

/** A round as a log line. */
export function formatRound(i: number, r: CanonicalRound): string {
  const f = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(1));
  return (
    `  round ${i + 1}: ${r.numpy !== undefined ? `numpy ${f(r.numpy)} ms, ` : ''}core+wasm ${f(r.coreWasm)} ms, tfjs-wasm-hand ${f(r.tfjsWasmHand)} ms` +
    (r.numpy && r.coreWasm ? `; core+wasm/numpy ${(r.coreWasm / r.numpy).toFixed(2)}` : '') +
    (r.coreWasm && r.tfjsWasmHand ? `, tfjs-wasm-hand/core+wasm ${(r.tfjsWasmHand / r.coreWasm).toFixed(2)}` : '') +
    (r.numpyCpu && r.coreWasmCpu ? `; CPU ms: numpy ${f(r.numpyCpu)}, core+wasm ${f(r.coreWasmCpu)}, core+wasm/numpy ${(r.coreWasmCpu / r.numpyCpu).toFixed(2)}` : '')
  );
}

/** The rounds' median ratios (and their ranges), one line each. */
export function summarizeRounds(rounds: readonly CanonicalRound[]): string[] {
  const line = (what: string, xs: number[]) =>
    `  interleaved rounds: ${what} median ${median(xs).toFixed(2)} (range ${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}, ${xs.length} rounds)`;
  const numpy = rounds.filter((r) => r.numpy && r.coreWasm).map((r) => r.coreWasm! / r.numpy!);
  const numpyCpu = rounds.filter((r) => r.numpyCpu && r.coreWasmCpu).map((r) => r.coreWasmCpu! / r.numpyCpu!);
  const tfjs = rounds.filter((r) => r.tfjsWasmHand && r.coreWasm).map((r) => r.tfjsWasmHand! / r.coreWasm!);
  return [
    ...(numpy.length ? [line('core+wasm / numpy', numpy)] : []),
    ...(numpyCpu.length ? [line('core+wasm / numpy in CPU time', numpyCpu)] : []),
    ...(tfjs.length ? [line('tfjs-wasm-hand / core+wasm', tfjs)] : []),
  ];
}

/** Steps per second of the measurement-enabled training loop at the essay's defaults, per kernel build. */
export function loopRates(want: (impl: string) => boolean, { wasm }: FastKernels): Record<string, number> {
  const loop: Record<string, number> = {};
  for (const [impl, k] of [
    ['core+wasm', wasm],
    ['core+ts', referenceKernels],
  ] as const) {
    if (k && want(impl)) loop[impl] = loopStepsPerSecond(k, 2000);
  }
  return loop;
}

/** What both benches measure after the per-width cases. */
export interface ClosingCases {
  rounds: CanonicalRound[];
  roofline: Roofline | null;
  loop: Record<string, number>;
}

/**
 * The end of both benches: `rounds` interleaved rounds on the canonical step (each opened by
 * `numpyRound` where there is numpy, in Node), the roofline, and the training loop's rates if `loop`.
 */
export async function runClosingCases(
  run: CaseRun,
  env: string,
  fast: FastKernels,
  tf: typeof TF | null,
  options: { rounds: number; loop: boolean; numpyRound?: () => { ms: number; cpu?: number } | null },
): Promise<ClosingCases> {
  const rounds: CanonicalRound[] = [];
  if (options.rounds > 0) canonicalLearningRate(run, fast); // numpy's rounds read it from run.lrs
  for (let r = 0; r < options.rounds; r++) {
    const np = options.numpyRound?.();
    const numpy = options.numpyRound ? { numpy: np?.ms ?? null, ...(np?.cpu !== undefined ? { numpyCpu: np.cpu } : {}) } : {};
    rounds.push({ ...numpy, ...(await canonicalRound(run, fast, tf)) });
    run.log(formatRound(r, rounds[r]));
  }
  const roofline = rooflineCase(run, env, fast);
  const loop = options.loop ? loopRates(run.want, fast) : {};
  return { rounds, roofline, loop };
}
