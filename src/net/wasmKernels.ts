import { referenceKernels, type GemmArgs, type MatrixKernels, type Workspace, type WorkspacePlan } from './kernels.ts';
import { applyMask, axpy, reluInPlace, type Vec } from './tensor.ts';
import { KERNELS_RELAXED_BASE64, KERNELS_SIMD_BASE64 } from './wasm/kernelsWasm.generated.ts';

/**
 * The fast kernels: float32 gemm in WebAssembly SIMD (src/net/wasm/assembly/kernels.ts), with
 * relaxed-SIMD fused multiply-add where the engine validates it. Operands are copied into the
 * module's linear memory (grown as needed) and the product copied back out, unless they live in a
 * workspace (see `workspace`): a model's tensors allocated in a second instance's memory, where
 * products, ReLUs and updates run in place. Float64Array operands go to the reference kernels.
 * The bytes are embedded in the JavaScript, so this works the same in Node, on the page, in a
 * worker and in the embed build, with nothing fetched.
 */
export interface WasmKernels extends MatrixKernels {
  /** 'simd' or 'relaxed-simd'. */
  readonly variant: WasmVariant;
  /** The module's memory (its buffer is replaced when it grows). */
  readonly memory: WebAssembly.Memory;
  /** Runs `rounds` x 96 flops of register-only f32x4 multiply-adds (the benchmark times it for the engine's peak). */
  fmaLoop(rounds: number): number;
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
    mask: number,
  ): void;
  applyMask(count: number, src: number, mask: number, dst: number): void;
  axpy(n: number, alpha: number, x: number, y: number): void;
  fmaLoop(iters: number, x: number): number;
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

/** n rounded up to a multiple of 64, in double arithmetic: a bitwise mask wraps at 2^31 (a 16384-wide, 4-layer model planned a 10 MB workspace for 4 GB). */
function align(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/** Float32Arrays the kernels hand to wasm as they are: the operand's byte offset, or -1 if it is elsewhere. */
function offsetIn(buffer: ArrayBuffer, v: Vec): number {
  return v instanceof Float32Array && v.buffer === buffer ? v.byteOffset : -1;
}

/**
 * Wraps an instantiated kernel module as MatrixKernels that copy operands into its memory, growing
 * it as needed. `module` (when given) lets the kernels create workspaces: fresh instances whose
 * memory is sized once and never grown, so arrays allocated in it stay valid.
 */
function wrapWasmKernels(instance: WebAssembly.Instance, variant: WasmVariant, module?: WebAssembly.Module): WasmKernels {
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

  const kernels: WasmKernels = {
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
      ex.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, offA, offB, beta, offC, offW, 0);
      c.set(new Float32Array(memory.buffer, offC, lenC));
    },
    gemmRelu(transA, transB, M, N, K, alpha, a, b, beta, c, mask) {
      kernels.gemm(transA, transB, M, N, K, alpha, a, b, beta, c);
      reluInPlace(c, mask, M * N);
    },
    // Element-wise work on arrays outside a workspace stays in JavaScript: copying in and out would cost more.
    applyMask,
    axpy,
    fmaLoop: (rounds) => ex.fmaLoop(rounds, 1),
  };
  if (module) kernels.workspace = (plan) => createWorkspace(module, variant, plan, kernels, ex.workBytes);
  return kernels;
}

/**
 * A workspace: a new instance of the kernel module whose memory holds the plan's arrays (bump
 * allocated, 64-byte aligned) followed by gemm scratch for the plan's largest product. Products
 * whose operands all live here run in place; any other call goes to `shared`, the copying kernels.
 * Null when the engine will not instantiate synchronously or the memory cannot grow that far.
 */
function createWorkspace(
  module: WebAssembly.Module,
  variant: WasmVariant,
  plan: WorkspacePlan,
  shared: MatrixKernels,
  workBytesOf: (M: number, N: number, K: number) => number,
): Workspace | null {
  const arenaBytes = align(BASE + 4 * plan.floats + plan.maskBytes + 64 * plan.arrays); // + alignment padding
  const workBytes = Math.max(0, ...plan.gemms.map(([M, N, K]) => workBytesOf(M, N, K))) + 64;
  let ex: Exports;
  let buffer: ArrayBuffer;
  try {
    ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    const have = ex.memory.buffer.byteLength;
    const need = arenaBytes + workBytes;
    if (need > have) ex.memory.grow(Math.ceil((need - have) / PAGE));
    buffer = ex.memory.buffer;
  } catch {
    return null;
  }
  let next = BASE;
  function take(bytes: number): number {
    const at = next;
    next = align(next + bytes);
    if (next > arenaBytes) throw new Error(`workspace of ${arenaBytes} bytes is full (the plan undercounted)`);
    return at;
  }
  const work = arenaBytes;

  /** The product in place, ReLU fused when maskAt > 0; false when an operand is elsewhere or scratch is short. */
  function inPlace(maskAt: number, ...args: GemmArgs): boolean {
    const [transA, transB, M, N, K, alpha, a, b, beta, c] = args;
    const offA = offsetIn(buffer, a);
    const offB = offsetIn(buffer, b);
    const offC = offsetIn(buffer, c);
    if (offA < 0 || offB < 0 || offC < 0 || M <= 0 || N <= 0 || ex.workBytes(M, N, K) + 64 > workBytes) return false;
    ex.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, offA, offB, beta, offC, work, maskAt);
    return true;
  }

  const kernels: MatrixKernels = {
    name: `wasm-${variant}`,
    gemm(...args) {
      if (!inPlace(0, ...args)) shared.gemm(...args);
    },
    gemmRelu(...args) {
      const product = args.slice(0, 10) as GemmArgs;
      const [, , M, N, , , , , , c] = product;
      const mask = args[10];
      if (mask.buffer === buffer && mask.byteOffset > 0 && inPlace(mask.byteOffset, ...product)) return;
      shared.gemm(...product);
      reluInPlace(c, mask, M * N);
    },
    applyMask(src, mask, dst, count) {
      const offS = offsetIn(buffer, src);
      const offD = offsetIn(buffer, dst);
      if (offS < 0 || offD < 0 || mask.buffer !== buffer) applyMask(src, mask, dst, count);
      else ex.applyMask(count, offS, mask.byteOffset, offD);
    },
    axpy(alpha, x, y) {
      const offX = offsetIn(buffer, x);
      const offY = offsetIn(buffer, y);
      if (offX < 0 || offY < 0) axpy(alpha, x, y);
      else ex.axpy(Math.min(x.length, y.length), alpha, offX, offY);
    },
  };
  return {
    kernels,
    f32: (length) => new Float32Array(buffer, take(4 * length), length),
    mask: (length) => new Uint8Array(buffer, take(length), length),
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
    return wrapWasmKernels(instance, variant, module);
  } catch {
    return null;
  }
}

/** createWasmKernels, falling back to the TypeScript kernels. */
export async function fastestKernels(options: WasmKernelOptions = {}): Promise<MatrixKernels> {
  return (await createWasmKernels(options)) ?? referenceKernels;
}
