/**
 * npm run bench [-- --json] [--quick] [--widths 64,256] [--impls core+wasm,numpy] [--reps 9] [--profile]
 *
 * Times one full-batch GD step (forward, backward, update) of the FC net, d=32, L=3, n=128, dOut=1,
 * for m in {64, 256, 1024, 4096} (m=1024 is the canonical step), for: the core with the WebAssembly
 * SIMD kernels (relaxed-SIMD build and plain-SIMD build), the core with the TypeScript kernels,
 * tfjs-wasm through tf.train.sgd, tfjs-wasm with hand-written gradients, tfjs-cpu (hand-written),
 * and numpy single-threaded (spawned python3; `numpy` with OpenBLAS's own kernel choice, `numpy-haswell` with its
 * AVX2 kernels), all in the same run. Prints a table with ratios to
 * numpy, or with --json one object {"cases":[{env, impl, shape, msPerStep, gflops, ...}]}.
 * Also the steps per second of the measurement-enabled training loop at the essay's defaults, and
 * with --rounds N, N interleaved rounds of numpy / core+wasm / tfjs-wasm-hand on the canonical step
 * (ratios of wall time and, in Node, of process CPU time, which other load on the cores disturbs less).
 * --profile: also where the canonical step's time goes on core+wasm, part by part, in process CPU
 * time, each part's share of the f32x4 peak (src/bench/profile.ts).
 * Use `npm run -s bench -- --json` so npm's own header stays out of the JSON.
 */
import { ConfigError } from '../train/config.ts';
import { intFlag, widthList } from './benchFlags.ts';
import { parseOrExit } from './exitOnError.ts';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { canonicalLearningRate, canonicalMs, createFastKernels, learningRates, runClosingCases, runCoreCases, runTfjsCases, summarizeRounds, wantsTfjs, type CaseRun } from '../bench/cases.ts';
import { formatProfile, profileStep } from '../bench/profile.ts';
import { formatRoofline, wasmPeakGflops } from '../bench/roofline.ts';
import {
  CANONICAL,
  WIDTHS,
  formatTable,
  BenchRunner,
  CASE_BUDGET_MS,
  makeCase,
  median,
  shapeName,
  stepFlops,
  type BenchCase,
  type BenchShape,
} from '../bench/steps.ts';

interface Args {
  json: boolean;
  quick: boolean;
  widths: number[];
  impls: string[] | null;
  reps: number;
  relaxed: boolean;
  loop: boolean;
  rounds: number;
  profile: boolean;
}


function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, quick: false, widths: WIDTHS, impls: null, reps: 9, relaxed: true, loop: true, rounds: 0, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new ConfigError(k, `${k} needs a value`);
      return v;
    };
    if (k === '--json') a.json = true;
    else if (k === '--quick') a.quick = true;
    else if (k === '--widths') a.widths = widthList(k, next());
    else if (k === '--impls') a.impls = next().split(',');
    else if (k === '--reps') a.reps = Math.max(5, intFlag(k, next()));
    else if (k === '--no-relaxed') a.relaxed = false;
    else if (k === '--no-loop') a.loop = false;
    else if (k === '--rounds') a.rounds = intFlag(k, next());
    else if (k === '--profile') a.profile = true;
    else if (k === '--help' || k === '-h') {
      console.log(
        'usage: npm run -s bench -- [--json] [--quick] [--widths 64,256,1024,4096] [--impls a,b] [--reps N] [--no-relaxed] [--no-loop] [--rounds N] [--profile]\n' +
          '  --rounds N: afterwards, N interleaved rounds of numpy / core+wasm / tfjs-wasm-hand on the canonical step (ratios per round, of wall and of CPU time)\n' +
          '  (-s keeps npm from printing its header into the --json output)',
      );
      process.exit(0);
    } else throw new ConfigError(k, `unknown flag ${k} (see --help)`);
  }
  if (a.quick) {
    a.widths = a.widths.filter((m) => m <= 1024);
    a.reps = 5;
  }
  return a;
}

const args = parseOrExit('bench', () => parseArgs(process.argv.slice(2)));
const log = (s: string) => {
  if (args.json) process.stderr.write(s + '\n');
  else console.log(s);
};
const want = (impl: string) => args.impls === null || args.impls.includes(impl);

// Node 20's V8 validates relaxed SIMD only behind this flag (Chromium >= 114 and Node >= 22 ship it);
// the kernels feature-detect it either way.
if (args.relaxed) setFlagsFromString('--experimental-wasm-relaxed-simd');

const ENV = `node-${process.versions.node}`;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const shapes: BenchShape[] = args.widths.map((m) => ({ ...CANONICAL, m }));
const lrs = new Map<number, number>(); // step size per width, shared by every implementation

const runner = new BenchRunner(ENV, args.reps, log, cpuNow);
const cases = runner.cases;

// --- numpy ----------------------------------------------------------------------------------

const NUMPY_SCRIPT = String.raw`
import json, sys, time, ctypes
import numpy as np
cfg = json.loads(sys.argv[1])
info = {"numpy": np.__version__}
try:
    for line in open('/proc/self/maps'):
        if 'openblas' in line.lower():
            lib = ctypes.CDLL(line.split()[-1])
            for name in ('scipy_openblas_get_corename64_', 'scipy_openblas_get_corename', 'openblas_get_corename64_', 'openblas_get_corename'):
                f = getattr(lib, name, None)
                if f:
                    f.restype = ctypes.c_char_p
                    info['openblasCore'] = f().decode()
                    break
            for name in ('scipy_openblas_get_num_threads64_', 'scipy_openblas_get_num_threads', 'openblas_get_num_threads64_', 'openblas_get_num_threads'):
                f = getattr(lib, name, None)
                if f:
                    info['openblasThreads'] = f()
                    break
            break
except Exception as e:
    info['error'] = str(e)
print(json.dumps({"info": info}), flush=True)
for s in cfg['shapes']:
    d, m, L, n, o = s['d'], s['m'], s['L'], s['n'], s['dOut']
    lr = np.float32(s['lr'])
    rng = np.random.default_rng(1)
    f32 = np.float32
    X = (rng.standard_normal((n, d)) / np.sqrt(d)).astype(f32)
    Y = rng.standard_normal((n, o)).astype(f32)
    A = (rng.standard_normal((m, d)) * np.sqrt(2 / m)).astype(f32)
    B = (rng.standard_normal((o, m)) * np.sqrt(1 / o)).astype(f32)
    W = [(rng.standard_normal((m, m)) * np.sqrt(2 / m)).astype(f32) for _ in range(L)]
    def step():
        H = [np.maximum(X @ A.T, 0)]
        for w in W:
            H.append(np.maximum(H[-1] @ w.T, 0))
        r = H[L] @ B.T - Y
        dH = r @ B
        for l in range(L, 0, -1):
            dZ = dH * (H[l] > 0)
            g = dZ.T @ H[l - 1]
            if l > 1:
                dH = dZ @ W[l - 1]
            W[l - 1] -= lr * g
        return 0.5 * float(np.sum(r * r))
    w0 = time.perf_counter()
    for i in range(200):
        step()
        if i >= 2 and time.perf_counter() - w0 > 0.4:
            break
    samples = []
    cpu = []
    t0 = time.perf_counter()
    while len(samples) < cfg['reps']:
        c = time.process_time(); t = time.perf_counter(); loss = step()
        samples.append((time.perf_counter() - t) * 1000); cpu.append((time.process_time() - c) * 1000)
        if len(samples) >= 5 and time.perf_counter() - t0 > cfg['budget']:
            break
    print(json.dumps({"m": m, "samples": samples, "cpu": cpu, "loss": loss}), flush=True)
`;

/**
 * numpy on one thread. `numpy`: OpenBLAS's own kernel choice for this CPU (AVX-512 ones where it has
 * them, which 128-bit wasm SIMD cannot match in principle). `numpy-haswell`: its AVX2 (Haswell)
 * kernels, as machines of this class preset with OPENBLAS_CORETYPE: the same vector width class as
 * the best wasm can use, and the baseline the performance goals were first measured against.
 */
function runNumpy(which: BenchShape[] = shapes, reps = args.reps, quiet = false, impl: 'numpy' | 'numpy-haswell' = 'numpy'): BenchCase[] {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (impl === 'numpy-haswell') env.OPENBLAS_CORETYPE = 'Haswell';
  Object.assign(env, { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
  const cfg = { shapes: which.map((s) => ({ ...s, lr: lrs.get(s.m) })), reps, budget: CASE_BUDGET_MS / 1000 };
  const res = spawnSync('python3', ['-c', NUMPY_SCRIPT, JSON.stringify(cfg)], { env, encoding: 'utf8', timeout: 600_000 });
  if (res.error || res.status !== 0) {
    log(`  ${impl}: not available (${res.error?.message ?? res.stderr.trim().split('\n').pop()})`);
    return [];
  }
  const out: BenchCase[] = [];
  let info = '';
  for (const line of res.stdout.trim().split('\n')) {
    const rec = JSON.parse(line) as { info?: Record<string, unknown>; m?: number; samples?: number[]; cpu?: number[]; loss?: number };
    if (rec.info) {
      info = Object.entries(rec.info)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      if (!quiet) log(`  ${impl}: ${info}`);
      continue;
    }
    const s = which.find((x) => x.m === rec.m)!;
    const samples = rec.samples!;
    const med = median(samples);
    out.push(makeCase(ENV, impl, s, { median: med, samples, cpuMedian: median(rec.cpu!) }, info ? `1 thread; ${info}` : '1 thread'));
    if (!quiet) log(`  ${impl} m=${s.m}: ${med.toFixed(2)} ms/step (${samples.length} reps, loss ${rec.loss!.toPrecision(4)})`);
  }
  return out;
}

// --- tfjs -------------------------------------------------------------------------------------

async function loadTf(): Promise<typeof import('@tensorflow/tfjs-core') | null> {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + '/');
    tf.env().set('PROD', true);
    // Single-threaded, like numpy here and like the page (no COOP/COEP for embeds).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return tf;
  } catch (err) {
    log(`  tfjs: not available (${(err as Error).message})`);
    return null;
  }
}

// --- main -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t0 = performance.now();
  log(`bench: one full-batch GD step, ${shapes.map(shapeName).join(', ')}; canonical ${shapeName(CANONICAL)}`);
  log(`flops per step (nominal, 2 per multiply-add): ${shapes.map((s) => `m=${s.m}: ${(stepFlops(s) / 1e9).toFixed(3)} G`).join(', ')}`);

  const fast = await createFastKernels();
  const { wasm } = fast;
  if (!wasm) log('  core+wasm: WebAssembly SIMD unavailable');
  for (const [m, lr] of learningRates(shapes, fast)) lrs.set(m, lr);
  log(`step size 0.5 / lambda_max(K_0): ${shapes.map((s) => `m=${s.m}: ${lrs.get(s.m)!.toExponential(2)}`).join(', ')}`);
  const run: CaseRun = { runner, shapes, lrs, want, log };

  if (want('numpy')) for (const c of runNumpy()) runner.add(c);
  if (want('numpy-haswell')) for (const c of runNumpy(shapes, args.reps, false, 'numpy-haswell')) runner.add(c);

  if (wasm) log(`  core+wasm uses the ${wasm.variant} build`);
  runCoreCases(run, fast);

  const tf = wantsTfjs(want) ? await loadTf() : null;
  if (tf) await runTfjsCases(run, tf);

  // Interleaved rounds on the canonical step: numpy, then core+wasm and tfjs-wasm-hand (canonicalRound).
  const numpyRound = () => {
    const c = runNumpy([CANONICAL], 5, true)[0];
    return c?.msPerStep ? { ms: c.msPerStep, ...(c.cpuMsPerStep !== undefined ? { cpu: c.cpuMsPerStep } : {}) } : null;
  };
  const { rounds, roofline, loop } = await runClosingCases(run, ENV, fast, tf, { rounds: args.rounds, loop: args.loop, numpyRound });
  const profile = args.profile && wasm ? profileStep(wasm, canonicalLearningRate(run, fast), cpuNow) : null;
  const profilePeak = profile ? (roofline?.peakGflops ?? wasmPeakGflops(wasm!)) : 0;

  if (args.json) {
    console.log(
      JSON.stringify({ cases, loopStepsPerSecond: loop, ...(roofline ? { roofline } : {}), ...(rounds.length ? { rounds } : {}), ...(profile ? { profile } : {}) }),
    );
    return;
  }
  console.log('\n' + formatTable(cases));
  const coreMs = canonicalMs(cases, 'core+wasm');
  const np = canonicalMs(cases, 'numpy');
  const tfBest = [canonicalMs(cases, 'tfjs-wasm-hand'), canonicalMs(cases, 'tfjs-wasm-optimizer')].filter((x): x is number => x !== null);
  console.log('\ncanonical step (m=1024):');
  if (coreMs !== null && np !== null) console.log(`  core+wasm / numpy time: ${(coreMs / np).toFixed(2)} (goal <= 1)`);
  const npHaswell = canonicalMs(cases, 'numpy-haswell');
  if (coreMs !== null && npHaswell !== null) console.log(`  core+wasm / numpy-haswell time: ${(coreMs / npHaswell).toFixed(2)}`);
  if (coreMs !== null && tfBest.length) console.log(`  tfjs-wasm best / core+wasm time: ${(Math.min(...tfBest) / coreMs).toFixed(2)} (goal >= 3)`);
  for (const line of summarizeRounds(rounds)) console.log(line);
  if (roofline) console.log('\n' + formatRoofline(roofline, np).join('\n'));
  if (profile) console.log('\n' + formatProfile(profile, profilePeak, 'process CPU time').join('\n'));
  for (const [impl, sps] of Object.entries(loop)) {
    console.log(`measured training loop at the essay's defaults (RunStepper, m=256 L=2 n=16 d=8), ${impl}: ${sps.toFixed(0)} steps/s`);
  }
  console.log(`(bench took ${((performance.now() - t0) / 1000).toFixed(0)} s; the machine's other load makes times noisy: run it twice)`);
}

await main();
