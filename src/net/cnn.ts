import type { MatrixKernels, WorkspacePlan } from './kernels.ts';
import { paramsSize, type NetSpec, type Params } from './network.ts';
import { linear, linearBackward, productDims, weightGradient, type LayerShape } from './products.ts';
import type { Allocator, Vec } from './tensor.ts';

/**
 * The paper's convolutional network (Allen-Zhu, Li, Song 2019, the CNN of its section on
 * convolutional networks), on 1-D signals of q positions:
 *   h_{i,0}[p] = ReLU(A patch_p(x_i)),  h_{i,l}[p] = ReLU(W_l patch_p(h_{i,l-1}))  (l = 1..L)
 *   (ResNet variant: h_{i,l}[p] = ReLU(h_{i,l-1}[p] + tau W_l patch_p(h_{i,l-1}))),
 *   out_i = B vec(h_{i,L}),
 * where patch_p(h) concatenates h[p-r], ..., h[p+r] (window s = 2r+1, positions mod q), offset-major:
 * entry k C + j is channel j at offset k - r. The same W_l acts at every position, so a layer is one
 * product on the im2col matrix of the batch: row i q + p holds patch_p(h_i). Activations are stored
 * one row per (sample, position), H_l is (rows q) x m, so row i of H_L read as q m floats is vec(h_{i,L})
 * position-major (entry p m + j), as B expects.
 */

/** q, s, r = (s-1)/2 and the input channels c of a CNN spec. */
export function convDims(spec: NetSpec): { q: number; s: number; r: number; c: number } {
  const q = spec.q!;
  const s = spec.window!;
  return { q, s, r: (s - 1) / 2, c: spec.d };
}

/**
 * forward.ts's ForwardCache (written out here, not imported, so forward.ts can dispatch to this file
 * without an import cycle), with q rows per sample, plus the im2col matrices the weight gradients
 * read: patches[l] is the input of layer l's product.
 */
export interface CnnForwardCache {
  readonly capacity: number;
  rows: number;
  readonly X: Vec; // (capacity q) x c
  readonly H: Vec[]; // L+1 arrays of (capacity q) x m
  readonly activeMasks: Uint8Array[]; // L+1 arrays of (capacity q) x m
  readonly out: Vec; // capacity x dOut
  readonly patches: Vec[]; // patches[0]: (capacity q) x (s c) of X; patches[l]: (capacity q) x (s m) of H_{l-1}
}

/** backward.ts's BackwardScratch plus dPatch, the gradient w.r.t. a layer's im2col matrix. */
export interface CnnBackwardScratch {
  readonly dH: Vec;
  readonly dP: Vec;
  readonly dPatch: Vec; // (capacity q) x (s m)
}

/** backward.ts's LayerGradientObserver: for the CNN, `input` is the layer's im2col matrix. */
type LayerObserver = (layer: number, dP: Vec, input: Vec, branchScale: number) => void;

export function isCnnCache(cache: object): cache is CnnForwardCache {
  return 'patches' in cache;
}

export function allocCnnForward(spec: NetSpec, capacity: number, allocator: Allocator): CnnForwardCache {
  const { m, L, dOut } = spec;
  const { q, s, c } = convDims(spec);
  const R = capacity * q;
  return {
    capacity,
    rows: 0,
    X: allocator.vec(R * c),
    H: Array.from({ length: L + 1 }, () => allocator.vec(R * m)),
    activeMasks: Array.from({ length: L + 1 }, () => allocator.mask(R * m)),
    out: allocator.vec(capacity * dOut),
    patches: Array.from({ length: L + 1 }, (_, l) => allocator.vec(R * s * (l === 0 ? c : m))),
  };
}

export function allocCnnBackward(spec: NetSpec, capacity: number, allocator: Allocator): CnnBackwardScratch {
  const R = capacity * spec.q!;
  return { dH: allocator.vec(R * spec.m), dP: allocator.vec(R * spec.m), dPatch: allocator.vec(R * spec.window! * spec.m) };
}

/** The three kinds of product on a batch of `rows` samples: A (m x s c) and W_l (m x s m) over rows q patch rows, B (dOut x q m) over rows. */
export function cnnShapes(spec: NetSpec, rows: number): { input: LayerShape; hidden: LayerShape; output: LayerShape } {
  const { q, s, c } = convDims(spec);
  const { m, dOut } = spec;
  return {
    input: { rows: rows * q, in: s * c, out: m },
    hidden: { rows: rows * q, in: s * m, out: m },
    output: { rows, in: q * m, out: dOut },
  };
}

/** dst ((rows q) x (s C)) = im2col of src ((rows q) x C): row i q + p is patch_p(h_i), circular. */
export function im2col(src: Vec, dst: Vec, rows: number, q: number, C: number, s: number): void {
  const r = (s - 1) / 2;
  let o = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * q;
    for (let p = 0; p < q; p++) {
      for (let k = 0; k < s; k++) {
        const at = (base + ((((p + k - r) % q) + q) % q)) * C;
        for (let j = 0; j < C; j++) dst[o++] = src[at + j];
      }
    }
  }
}

/** dst ((rows q) x C) += col2im of dPatch: the adjoint of im2col, each patch entry added back to the position it copied. */
export function col2imAdd(dPatch: Vec, dst: Vec, rows: number, q: number, C: number, s: number): void {
  const r = (s - 1) / 2;
  let o = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * q;
    for (let p = 0; p < q; p++) {
      for (let k = 0; k < s; k++) {
        const at = (base + ((((p + k - r) % q) + q) % q)) * C;
        for (let j = 0; j < C; j++) dst[at + j] += dPatch[o++];
      }
    }
  }
}

/** Runs the CNN on cache.X[0 .. rows q c) (each sample q x c, position-major). */
export function cnnForward(spec: NetSpec, p: Params, k: MatrixKernels, cache: CnnForwardCache, rows: number): void {
  const { m, L, tau } = spec;
  const { q, s, c } = convDims(spec);
  if (rows > cache.capacity) throw new Error(`batch of ${rows} exceeds cache capacity ${cache.capacity}`);
  cache.rows = rows;
  const { H, activeMasks: D, patches: P } = cache;
  const shape = cnnShapes(spec, rows);
  // h_{i,0}[p] = ReLU(A patch_p(x_i)): H_0 = ReLU(P_0 A^T)
  im2col(cache.X, P[0], rows, q, c, s);
  linear(k, H[0], P[0], p.A, shape.input, { activeMask: D[0] });
  for (let l = 1; l <= L; l++) {
    im2col(H[l - 1], P[l], rows, q, m, s);
    if (spec.arch === 'cnn') {
      // h_{i,l}[p] = ReLU(W_l patch_p(h_{i,l-1})): H_l = ReLU(P_l W_l^T)
      linear(k, H[l], P[l], p.W[l - 1], shape.hidden, { activeMask: D[l] });
    } else {
      // h_{i,l}[p] = ReLU(h_{i,l-1}[p] + tau W_l patch_p(h_{i,l-1}))
      H[l].set(H[l - 1].subarray(0, rows * q * m));
      linear(k, H[l], P[l], p.W[l - 1], shape.hidden, { scale: tau, accumulate: true, activeMask: D[l] });
    }
  }
  // out_i = B vec(h_{i,L}): H_L read as rows x (q m)
  linear(k, cache.out, H[L], p.B, shape.output);
}

/**
 * Hand-written backward pass of scale * sum_i <dY_i, out_i> (see backward.ts). Weight sharing makes
 * each weight gradient a sum over positions: grad W_l = sum_{i,p} dp_{i,l}[p] patch_p(h_{i,l-1})^T,
 * one product dP_l^T P_l on the im2col rows; the gradient w.r.t. h_{i,l-1} gathers, through col2im,
 * the s patches each position appears in. The observer sees dP_l ((rows q) x m) and P_l.
 */
export function cnnBackward(
  spec: NetSpec,
  p: Params,
  k: MatrixKernels,
  cache: CnnForwardCache,
  dY: Vec,
  scratch: CnnBackwardScratch,
  grads: Params | null,
  scale = 1,
  onLayer?: LayerObserver,
): void {
  const { m, L, tau } = spec;
  const { q, s } = convDims(spec);
  const rows = cache.rows;
  const count = rows * q * m;
  const { dH, dP, dPatch } = scratch;
  const { H, activeMasks: D, patches: P } = cache;
  const shape = cnnShapes(spec, rows);
  // out = H_L B^T (H_L as rows x q m): grad B = dY^T H_L; dH_L = dY B
  if (grads && spec.trainB) weightGradient(k, grads.B, dY, H[L], shape.output, { scale });
  linearBackward(k, dH, dY, p.B, shape.output);
  const branchScale = spec.arch === 'cnn' ? 1 : tau;
  for (let l = L; l >= 1; l--) {
    // dP_l = D_l dH_l
    k.applyMask(dH, D[l], dP, count);
    // grad W_l (m x s m) = branchScale dP_l^T P_l: summed over samples and positions
    if (grads) weightGradient(k, grads.W[l - 1], dP, P[l], shape.hidden, { scale: scale * branchScale });
    if (onLayer) onLayer(l, dP, P[l], branchScale);
    if (l === 1 && !spec.trainA && !onLayer) break;
    // dP_l W_l is the gradient w.r.t. the patches; col2im sums it back onto the positions (+ dP_l through the skip)
    linearBackward(k, dPatch, dP, p.W[l - 1], shape.hidden, { scale: branchScale });
    if (spec.arch === 'cnn') dH.fill(0, 0, count);
    else dH.set(dP.subarray(0, count));
    col2imAdd(dPatch, dH, rows, q, m, s);
  }
  if (spec.trainA || onLayer) {
    // dP_0 = D_0 dH_0; grad A (m x s c) = dP_0^T P_0
    k.applyMask(dH, D[0], dP, count);
    if (grads && spec.trainA) weightGradient(k, grads.A, dP, P[0], shape.input, { scale });
    if (onLayer) onLayer(0, dP, P[0], 1);
  }
}

/** Everything a CNN Model allocates, for a kernel workspace (the CNN counterpart of model.ts's plan). */
export function cnnWorkspacePlan(spec: NetSpec, capacity: number): WorkspacePlan {
  const { m, L, dOut } = spec;
  const { q, s, c } = convDims(spec);
  const p = paramsSize(spec);
  const R = capacity * q;
  const shape = cnnShapes(spec, capacity);
  return {
    // params + gradBuffer; X, H_0..H_L, out, patches; dH, dP, dPatch; residual, Y
    floats: 2 * p.floats + R * (c + (L + 1) * m + s * c + L * s * m) + capacity * dOut + R * (2 * m + s * m) + 2 * capacity * dOut,
    maskBytes: (L + 1) * R * m,
    arrays: 2 * p.arrays + (L + 3) + (L + 1) + (L + 1) + 3 + 2,
    gemms: [
      productDims.linear(shape.input),
      productDims.linear(shape.hidden),
      productDims.linear(shape.output),
      productDims.linearBackward(shape.hidden),
      productDims.linearBackward(shape.output),
      productDims.weightGradient(shape.hidden),
      productDims.weightGradient(shape.output),
      productDims.weightGradient(shape.input),
    ],
  };
}
