/**
 * bench.html: runs the benchmark in a module Web Worker (src/bench/worker.ts) and shows the table.
 * The result is also left on window.__bench for the Chromium driver (npm run bench:browser).
 */
import { referenceKernels } from '../net/kernels.ts';
import { createWasmKernels } from '../net/wasmKernels.ts';
import type { BenchMessage, BenchPageResult, BenchRequest } from './protocol.ts';
import { summarizeRounds } from './cases.ts';
import { formatRoofline } from './roofline.ts';
import { formatTable } from './steps.ts';

declare global {
  interface Window {
    __bench: BenchPageResult;
  }
}

const out = document.getElementById('out')!;
const q = new URLSearchParams(location.search);
const request: BenchRequest = {
  widths: (q.get('widths') ?? '64,256,1024,4096').split(',').map(Number),
  reps: Math.max(5, Number(q.get('reps') ?? 9)),
  impls: q.get('impls')?.split(',') ?? null,
  loop: q.get('loop') !== '0',
  rounds: Math.max(0, Math.floor(Number(q.get('rounds') ?? 0)) || 0),
};
const result: BenchPageResult = { done: false, log: [] };
window.__bench = result;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (e: MessageEvent<BenchMessage>) => {
  const msg = e.data;
  if (msg.type === 'log') {
    result.log.push(msg.text);
    out.textContent = result.log.join('\n');
  } else if (msg.type === 'done') {
    Object.assign(result, { done: true, cases: msg.cases, loopStepsPerSecond: msg.loopStepsPerSecond, info: msg.info, roofline: msg.roofline, rounds: msg.rounds });
    const loop = Object.entries(msg.loopStepsPerSecond)
      .map(([impl, sps]) => `training loop at the essay's defaults, ${impl}: ${sps.toFixed(0)} steps/s`)
      .join('\n');
    const roof = msg.roofline ? formatRoofline(msg.roofline, null).join('\n') : '';
    out.textContent = `${result.log.join('\n')}\n\n${formatTable(msg.cases)}\n${summarizeRounds(msg.rounds).join('\n')}\n\n${roof}\n\n${loop}`;
    worker.terminate();
  } else {
    result.error = msg.message;
    result.done = true;
    out.textContent = `${result.log.join('\n')}\n\nerror: ${msg.message}`;
  }
};
worker.onerror = (e) => {
  result.error = e.message || 'worker failed to load';
  result.done = true;
  out.textContent = `error: ${result.error}`;
};
worker.postMessage(request);

// The same kernels on the page's main thread (the essay may train small nets there).
void createWasmKernels().then((k) => {
  if (!k) {
    result.mainThread = 'unavailable (fallback to TypeScript kernels)';
    return;
  }
  const [M, N, K] = [7, 29, 13];
  const a = Float32Array.from({ length: M * K }, (_, i) => (i % 3 === 0 ? 0 : Math.sin(i)));
  const b = Float32Array.from({ length: N * K }, (_, i) => Math.cos(i));
  const c1 = new Float32Array(M * N);
  const c2 = new Float32Array(M * N);
  k.gemm(false, true, M, N, K, 1, a, b, 0, c1);
  referenceKernels.gemm(false, true, M, N, K, 1, a, b, 0, c2);
  const err = c1.reduce((e, x, i) => Math.max(e, Math.abs(x - c2[i])), 0);
  result.mainThread = `${k.variant}, max |wasm - reference| = ${err.toExponential(1)}`;
});
