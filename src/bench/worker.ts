/// <reference lib="webworker" />
/**
 * The bench worker: the same cases as the Node CLI (src/cli/bench.ts), minus numpy, in a module
 * Web Worker as the essay trains. tfjs-wasm's .wasm files are bundled by Vite (?url), nothing is
 * fetched from elsewhere; it runs single-threaded (no COOP/COEP here, as in embeds).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import tfWasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfWasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { referenceKernels, type MatrixKernels } from '../net/kernels.ts';
import { createWasmKernels } from '../net/wasmKernels.ts';
import type { BenchMessage, BenchRequest } from './protocol.ts';
import { measureRoofline, type Roofline } from './roofline.ts';
import {
  BenchRunner,
  CANONICAL,
  benchLearningRate,
  loopStepsPerSecond,
  makeCoreStepper,
  makeTfjsStepper,
  shapeName,
  type BenchShape,
} from './steps.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: BenchMessage) => scope.postMessage(m);
const log = (text: string) => post({ type: 'log', text });

function browserName(): string {
  const ua = navigator.userAgent;
  const m = /(HeadlessChrome|Chrome|Chromium|Firefox)\/(\d+)/.exec(ua);
  return m ? `${m[1] === 'HeadlessChrome' ? 'chromium' : m[1].toLowerCase()}-${m[2]}` : 'browser';
}

async function run(req: BenchRequest): Promise<void> {
  const env = `${browserName()}-worker`;
  const want = (impl: string) => req.impls === null || req.impls.includes(impl);
  const shapes: BenchShape[] = req.widths.map((m) => ({ ...CANONICAL, m }));
  const runner = new BenchRunner(env, req.reps, log);
  const info: Record<string, string> = { userAgent: navigator.userAgent, hardwareConcurrency: String(navigator.hardwareConcurrency) };
  log(`bench in a Web Worker: ${shapes.map(shapeName).join(', ')}`);

  const wasm = await createWasmKernels();
  const wasmSimd = await createWasmKernels({ variant: 'simd' });
  info.wasmKernels = wasm ? wasm.variant : 'unavailable';
  log(`core+wasm: ${info.wasmKernels}`);
  const lrs = new Map(shapes.map((s) => [s.m, benchLearningRate(s, wasm ?? referenceKernels)]));

  const kernelImpls: [string, MatrixKernels | null][] = [
    ['core+wasm', wasm],
    ['core+wasm-simd', wasm?.variant === 'relaxed-simd' ? wasmSimd : null],
    ['core+ts', referenceKernels],
  ];
  for (const [impl, k] of kernelImpls) {
    if (!k || !want(impl)) continue;
    for (const s of shapes) runner.run(impl, s, () => makeCoreStepper(s, k, lrs.get(s.m)!));
  }

  if (['tfjs-wasm-hand', 'tfjs-wasm-optimizer', 'tfjs-cpu-hand'].some(want)) {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': tfWasmPlain,
      'tfjs-backend-wasm-simd.wasm': tfWasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': tfWasmThreaded,
    });
    tf.env().set('PROD', true);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    for (const [impl, backend, mode] of [
      ['tfjs-wasm-hand', 'wasm', 'hand'],
      ['tfjs-wasm-optimizer', 'wasm', 'optimizer'],
      ['tfjs-cpu-hand', 'cpu', 'hand'],
    ] as const) {
      if (!want(impl)) continue;
      if (!(await tf.setBackend(backend))) {
        log(`${impl}: backend ${backend} failed to initialize`);
        continue;
      }
      await tf.ready();
      if (backend === 'wasm') info.tfjsWasmSimd = String(tf.env().getBool('WASM_HAS_SIMD_SUPPORT'));
      for (const s of shapes) runner.run(impl, s, () => makeTfjsStepper(tf, s, mode, lrs.get(s.m)!));
    }
  }

  let roofline: Roofline | null = null;
  if (wasm && want('core+wasm')) {
    const canonical = runner.cases.find((c) => c.impl === 'core+wasm' && c.shape === shapeName(CANONICAL))?.msPerStep ?? null;
    roofline = measureRoofline(env, wasm, lrs.get(CANONICAL.m) ?? benchLearningRate(CANONICAL, wasm), canonical);
  }

  const loop: Record<string, number> = {};
  if (req.loop) {
    for (const [impl, k] of [
      ['core+wasm', wasm],
      ['core+ts', referenceKernels],
    ] as const) {
      if (k && want(impl)) loop[impl] = loopStepsPerSecond(k, 2000);
    }
  }
  post({ type: 'done', cases: runner.cases, loopStepsPerSecond: loop, info, roofline });
}

scope.onmessage = (e: MessageEvent<BenchRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) }));
};
