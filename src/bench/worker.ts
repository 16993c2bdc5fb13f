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
import { createFastKernels, learningRates, runClosingCases, runCoreCases, runTfjsCases, wantsTfjs, type CaseRun } from './cases.ts';
import type { BenchMessage, BenchRequest } from './protocol.ts';
import { BenchRunner, CANONICAL, shapeName, type BenchShape } from './steps.ts';

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
  const info: Record<string, string> = { userAgent: navigator.userAgent, hardwareConcurrency: String(navigator.hardwareConcurrency) };
  log(`bench in a Web Worker: ${shapes.map(shapeName).join(', ')}`);

  const fast = await createFastKernels();
  info.wasmKernels = fast.wasm ? fast.wasm.variant : 'unavailable';
  log(`core+wasm: ${info.wasmKernels}`);
  const run: CaseRun = { runner: new BenchRunner(env, req.reps, log), shapes, lrs: learningRates(shapes, fast), want, log };
  runCoreCases(run, fast);

  const tfjs = wantsTfjs(want) || req.rounds > 0;
  if (tfjs) {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': tfWasmPlain,
      'tfjs-backend-wasm-simd.wasm': tfWasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': tfWasmThreaded,
    });
    tf.env().set('PROD', true);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await runTfjsCases(run, tf, (backend) => {
      if (backend === 'wasm') info.tfjsWasmSimd = String(tf.env().getBool('WASM_HAS_SIMD_SUPPORT'));
    });
  }

  const { rounds, roofline, loop } = await runClosingCases(run, env, fast, tfjs ? tf : null, { rounds: req.rounds, loop: req.loop });
  post({ type: 'done', cases: run.runner.cases, loopStepsPerSecond: loop, info, roofline, rounds });
}

scope.onmessage = (e: MessageEvent<BenchRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) }));
};
