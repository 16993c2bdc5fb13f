import { applyMask, axpy, reluInPlace, type Vec } from './tensor.ts';

/** A product's operands: C = alpha * op(A) * op(B) + beta * C (see MatrixKernels.gemm). */
export type GemmArgs = [
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  a: Vec,
  b: Vec,
  beta: number,
  c: Vec,
];

/**
 * The matrix products the forward and backward passes need, behind one small interface so a faster
 * implementation (WebAssembly SIMD) can replace the reference one. Row-major storage throughout.
 * The passes call them through the named products of products.ts (linear, linearBackward, ...).
 */
export interface MatrixKernels {
  readonly name: string;
  /**
   * C = alpha * op(A) * op(B) + beta * C, where op(A) is M x K and op(B) is K x N.
   * transA: A is stored K x M; transB: B is stored N x K.
   */
  gemm(...args: GemmArgs): void;
  /**
   * gemm, then the ReLU on C: C = max(C, 0) and mask = 1[C > 0] (M x N; row i the diagonal of the
   * paper's D_{i,l} when C is a layer's activations). The wasm kernels fuse the two.
   */
  gemmRelu(...args: [...GemmArgs, mask: Uint8Array]): void;
  /** dst = mask ? src : 0 for the first count entries: D times a gradient (the ReLU's derivative applied to it). */
  applyMask(src: Vec, mask: Uint8Array, dst: Vec, count: number): void;
  /** y += alpha * x. */
  axpy(alpha: number, x: Vec, y: Vec): void;
  /**
   * Storage for one model's tensors where these kernels work on them in place (no copies), or
   * null when they have none. Kernels returned by the workspace must be used for its arrays.
   */
  workspace?(plan: WorkspacePlan): Workspace | null;
}

/** What a model will allocate: float32 entries, mask bytes, and the gemm shapes it will run. */
export interface WorkspacePlan {
  floats: number;
  maskBytes: number;
  /** How many arrays the floats and bytes are split into. */
  arrays: number;
  /** [M, N, K] of every product the model's passes compute. */
  gemms: readonly (readonly [number, number, number])[];
}

/** A fixed-size arena (it never grows, so its arrays stay valid) and the kernels bound to it. */
export interface Workspace {
  readonly kernels: MatrixKernels;
  f32(length: number): Float32Array;
  mask(length: number): Uint8Array;
}

/** c = beta c on the first count entries (beta = 0 clears, so NaNs there do not survive). */
function scaleInPlace(c: Vec, count: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) c.fill(0, 0, count);
  else for (let i = 0; i < count; i++) c[i] *= beta;
}

/** Plain TypeScript loops, ordered for unit-stride inner loops. The reference the tests trust. */
export const referenceKernels: MatrixKernels = {
  name: 'typescript',
  gemmRelu(transA, transB, M, N, K, alpha, a, b, beta, c, mask) {
    this.gemm(transA, transB, M, N, K, alpha, a, b, beta, c);
    reluInPlace(c, mask, M * N);
  },
  applyMask,
  axpy,
  gemm(transA, transB, M, N, K, alpha, a, b, beta, c) {
    scaleInPlace(c, M * N, beta);
    if (!transA && transB) {
      // C_ij += alpha sum_k A_ik B_jk: contiguous dot products.
      for (let i = 0; i < M; i++) {
        const ai = i * K;
        for (let j = 0; j < N; j++) {
          const bj = j * K;
          let s = 0;
          for (let k = 0; k < K; k++) s += a[ai + k] * b[bj + k];
          c[i * N + j] += alpha * s;
        }
      }
    } else if (!transA && !transB) {
      // C_i. += alpha A_ik B_k.
      for (let i = 0; i < M; i++) {
        const ci = i * N;
        for (let k = 0; k < K; k++) {
          const aik = alpha * a[i * K + k];
          if (aik === 0) continue; // ReLU zeros are common
          const bk = k * N;
          for (let j = 0; j < N; j++) c[ci + j] += aik * b[bk + j];
        }
      }
    } else if (transA && !transB) {
      // C_i. += alpha A_ki B_k.  (A stored K x M)
      for (let k = 0; k < K; k++) {
        const bk = k * N;
        for (let i = 0; i < M; i++) {
          const aki = alpha * a[k * M + i];
          if (aki === 0) continue;
          const ci = i * N;
          for (let j = 0; j < N; j++) c[ci + j] += aki * b[bk + j];
        }
      }
    } else {
      // C_ij += alpha sum_k A_ki B_jk
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[k * M + i] * b[j * K + k];
          c[i * N + j] += alpha * s;
        }
      }
    }
  },
};
