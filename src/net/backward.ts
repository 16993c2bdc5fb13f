import { layerShapes, type ForwardCache } from './forward.ts';
import type { MatrixKernels } from './kernels.ts';
import { allocCnnBackward, cnnBackward, isCnnCache, type CnnBackwardScratch } from './cnn.ts';
import { isConv, type NetSpec, type Params } from './network.ts';
import { linearBackward, weightGradient } from './products.ts';
import { alloc, type Allocator, type Precision, type Vec } from './tensor.ts';

/** Scratch for the backward pass: dH (the gradient w.r.t. a layer's output h) and dP (w.r.t. its pre-activation). */
export interface BackwardScratch {
  readonly dH: Vec; // capacity x m
  readonly dP: Vec; // capacity x m
}

export function allocBackward(spec: NetSpec, capacity: number, allocator: Allocator): BackwardScratch {
  if (isConv(spec)) return allocCnnBackward(spec, capacity, allocator);
  return { dH: allocator.vec(capacity * spec.m), dP: allocator.vec(capacity * spec.m) };
}

/**
 * Sees, during the backward pass, layer l's pre-activation gradient dP (rows x m) and its input
 * (H_{l-1}, or X for l = 0); the gradient at W_l's product is branchScale times dP (tau for the
 * ResNet branch, else 1). The tangent kernel builds on it.
 */
export type LayerGradientObserver = (layer: number, dP: Vec, input: Vec, branchScale: number) => void;

/**
 * Hand-written backward pass of sum_i <dY_i, out_i> for the cached batch, scaled by `scale`:
 * with dY_i = loss_i = B h_{i,L} - y_i (the residual) this is the gradient of F, in the paper's terms
 * grad_{W_l} F = sum_i (D_{i,l} Back_{i,l+1}^T loss_i) h_{i,l-1}^T with Back_{i,l+1} = B D_{i,L} W_L ... D_{i,l+1} W_{l+1}.
 * dY is rows x dOut. Writes gradients of the trained tensors into `grads` (same shapes as Params;
 * untrained ones are left alone).
 */
export function backward(
  spec: NetSpec,
  p: Params,
  k: MatrixKernels,
  cache: ForwardCache,
  dY: Vec,
  scratch: BackwardScratch,
  grads: Params | null,
  scale = 1,
  onLayer?: LayerGradientObserver,
): void {
  if (isCnnCache(cache)) return cnnBackward(spec, p, k, cache, dY, scratch as CnnBackwardScratch, grads, scale, onLayer);
  const { m, L, arch, tau } = spec;
  const rows = cache.rows;
  const count = rows * m;
  const { dH, dP } = scratch;
  const { H, activeMasks: D } = cache;
  const shape = layerShapes(spec, rows);
  // out = H_L B^T: grad B (dOut x m) = dY^T H_L; dH_L (rows x m) = dY B, i.e. Back_{i,L+1}^T dy_i = B^T dy_i
  if (grads && spec.trainB) weightGradient(k, grads.B, dY, H[L], shape.output, { scale });
  linearBackward(k, dH, dY, p.B, shape.output);
  // the W_l branch of the pre-activation: W_l h (FC) or h + tau W_l h (ResNet)
  const branchScale = arch === 'fc' ? 1 : tau;
  for (let l = L; l >= 1; l--) {
    // dP_l = D_l dH_l: the ReLU's derivative, zero where the unit is inactive
    k.applyMask(dH, D[l], dP, count);
    // grad W_l (m x m) = branchScale dP_l^T H_{l-1} = branchScale sum_i dp_{i,l} h_{i,l-1}^T
    if (grads) weightGradient(k, grads.W[l - 1], dP, H[l - 1], shape.hidden, { scale: scale * branchScale });
    if (onLayer) onLayer(l, dP, H[l - 1], branchScale);
    // dH_0 only matters when A is trained or watched
    if (l === 1 && !spec.trainA && !onLayer) break;
    if (arch === 'fc') {
      // dH_{l-1} (rows x m) = dP_l W_l
      linearBackward(k, dH, dP, p.W[l - 1], shape.hidden);
    } else {
      // dH_{l-1} = dP_l + tau dP_l W_l (the skip connection carries dP_l through)
      dH.set(dP.subarray(0, count));
      linearBackward(k, dH, dP, p.W[l - 1], shape.hidden, { scale: tau, accumulate: true });
    }
  }
  if (spec.trainA || onLayer) {
    // dP_0 = D_0 dH_0; grad A (m x d) = dP_0^T X
    k.applyMask(dH, D[0], dP, count);
    if (grads && spec.trainA) weightGradient(k, grads.A, dP, cache.X, shape.input, { scale });
    if (onLayer) onLayer(0, dP, cache.X, 1);
  }
}

/**
 * For each output unit a, the backpropagated pre-activation gradients of sum_i out_{i,a} at every
 * trained layer (G[a][layer], `rowsPerLayer` x m: n for FC, n q for the CNN), and each layer's branch
 * scale: the factors of the tangent kernel (ntk.ts, cnnNtk.ts). The forward pass over the n rows must
 * be in the cache.
 */
export function unitOutputGradients(
  spec: NetSpec,
  params: Params,
  kernels: MatrixKernels,
  cache: ForwardCache,
  scratch: BackwardScratch,
  precision: Precision,
  n: number,
  rowsPerLayer: number,
): { G: Vec[][]; branchScale: Float64Array } {
  const { m, L, dOut } = spec;
  const G: Vec[][] = [];
  const branchScale = new Float64Array(L + 1);
  const unitOutput = alloc(precision, n * dOut);
  for (let a = 0; a < dOut; a++) {
    // dY = e_a for every sample: backward gives the gradient of sum_i out_{i,a}
    unitOutput.fill(0);
    for (let i = 0; i < n; i++) unitOutput[i * dOut + a] = 1;
    const perLayer: Vec[] = [];
    backward(spec, params, kernels, cache, unitOutput, scratch, null, 1, (layer, dP, _input, scale) => {
      if (layer === 0 && !spec.trainA) return;
      perLayer[layer] = dP.slice(0, rowsPerLayer * m);
      branchScale[layer] = scale;
    });
    G.push(perLayer);
  }
  return { G, branchScale };
}
