import type { ForwardCache } from './forward.ts';
import type { MatrixKernels } from './kernels.ts';
import type { NetSpec, Params } from './network.ts';
import type { Allocator, Vec } from './tensor.ts';

/** Scratch for the backward pass: dH (the gradient w.r.t. a layer's output) and dP (w.r.t. its pre-activation). */
export interface BackwardScratch {
  readonly dH: Vec; // capacity x m
  readonly dP: Vec; // capacity x m
}

export function allocBackward(spec: NetSpec, capacity: number, allocator: Allocator): BackwardScratch {
  return { dH: allocator.vec(capacity * spec.m), dP: allocator.vec(capacity * spec.m) };
}

/**
 * Hand-written backward pass of sum_i <dOut_i, out_i> for the cached batch, scaled by `scale`:
 * with dOut = r (the residual) this is the gradient of F. Writes gradients of the trained tensors
 * into `grads` (same shapes as Params; untrained ones are left alone). `onLayer`, when given, sees
 * each layer's pre-activation gradient and input H_{l-1} (used by the tangent kernel); the gradient at
 * W_l's product is gScale times the array passed (gScale = tau for the ResNet branch).
 */
export function backward(
  spec: NetSpec,
  p: Params,
  k: MatrixKernels,
  cache: ForwardCache,
  dOut: Vec,
  scratch: BackwardScratch,
  grads: Params | null,
  scale = 1,
  onLayer?: (layer: number, G: Vec, input: Vec, gScale: number) => void,
): void {
  const { d, m, L, arch, tau } = spec;
  const rows = cache.rows;
  const count = rows * m;
  const { dH, dP } = scratch;
  // out = B h_L: dB = r^T H_L, dH_L = r B
  if (grads && spec.trainB) k.gemm(true, false, spec.dOut, m, rows, scale, dOut, cache.H[L], 0, grads.B);
  k.gemm(false, false, rows, m, spec.dOut, 1, dOut, p.B, 0, dH);
  for (let l = L; l >= 1; l--) {
    const mask = cache.masks[l];
    k.applyMask(dH, mask, dP, count);
    const input = cache.H[l - 1];
    // pre-activation P_l = W_l h (FC) or h + tau W_l h (ResNet); the W_l branch sees dZ = branch * dP
    const branch = arch === 'fc' ? 1 : tau;
    if (grads) k.gemm(true, false, m, m, rows, scale * branch, dP, input, 0, grads.W[l - 1]);
    if (onLayer) onLayer(l, dP, input, branch);
    // dH_{l-1} = dZ W_l (+ dP through the skip connection); dH_0 only matters when A is trained or watched
    if (l === 1 && !spec.trainA && !onLayer) break;
    if (arch === 'fc') k.gemm(false, false, rows, m, m, 1, dP, p.W[l - 1], 0, dH);
    else {
      dH.set(dP.subarray(0, count));
      k.gemm(false, false, rows, m, m, tau, dP, p.W[l - 1], 1, dH);
    }
  }
  if (spec.trainA || onLayer) {
    const mask = cache.masks[0];
    k.applyMask(dH, mask, dP, count);
    if (grads && spec.trainA) k.gemm(true, false, m, d, rows, scale, dP, cache.X, 0, grads.A);
    if (onLayer) onLayer(0, dP, cache.X, 1);
  }
}
