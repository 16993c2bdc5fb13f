/// <reference lib="webworker" />
/**
 * The training worker: hosts one run at a time on this worker's scope (src/train/trainingHost.ts),
 * on the WebAssembly SIMD kernels when this engine has them, else the TypeScript ones.
 */
import { referenceKernels } from '../net/kernels.ts';
import { createWasmKernels } from '../net/wasmKernels.ts';
import { hostTraining } from './trainingHost.ts';

hostTraining(self as unknown as DedicatedWorkerGlobalScope, createWasmKernels().then((k) => k ?? referenceKernels));
