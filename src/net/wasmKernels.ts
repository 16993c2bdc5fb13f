import { referenceKernels, type MatrixKernels } from './kernels.ts';
import type { Vec } from './tensor.ts';
import { KERNELS_RELAXED_BASE64, KERNELS_SIMD_BASE64 } from './wasm/kernelsWasm.generated.ts';

/**
 * The fast kernels: float32 gemm in WebAssembly SIMD (src/net/wasm/assembly/kernels.ts), with
 * relaxed-SIMD fused multiply-add where the engine validates it. Operands are copied into the
 * module's linear memory (grown as needed) and the product copied back out. Float64Array operands
 * go to the reference kernels. The bytes are embedded in the JavaScript, so this works the same in Node, on the page,
 * in a worker and in the embed build, with nothing fetched.
 */
export interface WasmKernels extends MatrixKernels {
  /** 'simd' or 'relaxed-simd'. */
  readonly variant: WasmVariant;
  /** The module's memory (its buffer is replaced when it grows). */
  readonly memory: WebAssembly.Memory;
}

export type WasmVariant = 'simd' | 'relaxed-simd';

export interface WasmKernelOptions {
  /** 'auto' (default): relaxed SIMD when the engine validates it; 'simd' forces the plain build. */
  variant?: 'auto' | WasmVariant;
  /** Stand-in for WebAssembly.validate (tests use it to simulate an engine without SIMD). */
  validate?: (bytes: Uint8Array) => boolean;
  /** Stand-in for WebAssembly.compile (tests use it to simulate a CSP that forbids compilation). */
  compile?: (bytes: Uint8Array) => Promise<WebAssembly.Module>;
}

interface Exports {
  memory: WebAssembly.Memory;
  workBytes(M: number, N: number, K: number): number;
  gemm(
    transA: number,
    transB: number,
    M: number,
    N: number,
    K: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
    work: number,
  ): void;
}

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let simdBytes: Uint8Array | null = null;
let relaxedBytes: Uint8Array | null = null;

export function wasmKernelBytes(variant: WasmVariant): Uint8Array {
  if (variant === 'simd') return (simdBytes ??= decodeBase64(KERNELS_SIMD_BASE64));
  return (relaxedBytes ??= decodeBase64(KERNELS_RELAXED_BASE64));
}

/** Which build this engine can run: relaxed SIMD, plain SIMD, or none (no WebAssembly SIMD). */
export function detectWasmVariant(validate: (bytes: Uint8Array) => boolean = defaultValidate): WasmVariant | null {
  try {
    if (!validate(wasmKernelBytes('simd'))) return null;
    return validate(wasmKernelBytes('relaxed-simd')) ? 'relaxed-simd' : 'simd';
  } catch {
    return null;
  }
}

function defaultValidate(bytes: Uint8Array): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(bytes as BufferSource);
}

const PAGE = 65536;
const BASE = 2 * PAGE; // the module's own static data lives below (it has none today)

function align(n: number): number {
  return (n + 63) & ~63;
}

/** Wraps an instantiated kernel module as MatrixKernels. */
export function wrapWasmKernels(instance: WebAssembly.Instance, variant: WasmVariant): WasmKernels {
  const ex = instance.exports as unknown as Exports;
  const memory = ex.memory;

  function ensure(bytes: number): void {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** Copies v's first `len` floats into wasm memory at byte offset `at`. */
  function put(v: Float32Array, len: number, at: number): void {
    new Float32Array(memory.buffer, at, len).set(len === v.length ? v : v.subarray(0, len));
  }

  return {
    name: `wasm-${variant}`,
    variant,
    memory,
    gemm(transA, transB, M, N, K, alpha, a: Vec, b: Vec, beta, c: Vec) {
      if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
        referenceKernels.gemm(transA, transB, M, N, K, alpha, a, b, beta, c);
        return;
      }
      if (M <= 0 || N <= 0) return;
      const lenA = M * K;
      const lenB = K * N;
      const lenC = M * N;
      const offA = BASE;
      const offB = align(offA + 4 * lenA);
      const offC = align(offB + 4 * lenB + 16);
      const offW = align(offC + 4 * lenC);
      ensure(offW + ex.workBytes(M, N, K) + 64);
      put(a, lenA, offA);
      put(b, lenB, offB);
      if (beta !== 0) put(c, lenC, offC);
      ex.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, offA, offB, beta, offC, offW);
      c.set(new Float32Array(memory.buffer, offC, lenC));
    },
  };
}

/**
 * The fast kernels, or null when this engine has no WebAssembly SIMD or refuses to compile
 * (a page whose Content-Security-Policy lacks 'wasm-unsafe-eval'); callers then use referenceKernels.
 */
export async function createWasmKernels(options: WasmKernelOptions = {}): Promise<WasmKernels | null> {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const detected = detectWasmVariant(options.validate);
    if (detected === null) return null;
    const variant = options.variant === 'simd' ? 'simd' : detected;
    const compile = options.compile ?? ((bytes: Uint8Array) => WebAssembly.compile(bytes as BufferSource));
    const module = await compile(wasmKernelBytes(variant));
    const instance = await WebAssembly.instantiate(module, {});
    return wrapWasmKernels(instance, variant);
  } catch {
    return null;
  }
}

/** createWasmKernels, falling back to the TypeScript kernels. */
export async function fastestKernels(options: WasmKernelOptions = {}): Promise<MatrixKernels> {
  return (await createWasmKernels(options)) ?? referenceKernels;
}
