import { CnnHessianOps } from './cnnHessian.ts';
import { layerShapes } from './forward.ts';
import type { Model } from './model.ts';
import { isConv, type Params } from './network.ts';
import { linear, linearBackward, weightGradient } from './products.ts';
import { rnnJvp, seqLength } from './rnn.ts';
import { alloc, type Vec } from './tensor.ts';

/**
 * Directional derivatives by Pearlmutter's R-operator, with the ReLU pattern D_{i,l} held fixed
 * (the derivative exists wherever no pre-activation sits exactly at 0):
 * - jvp: J V, how the outputs move along a weight direction V (so K r = J (J^T r) = J g);
 * - hvp: H V, the Hessian of F applied to V.
 * V is Params-shaped; only the trained tensors are read, the others count as zero.
 * R{x} below is the directional derivative of x along V.
 */
export class HessianOps {
  private readonly RH: Vec[];
  private readonly dH: Vec;
  private readonly dP: Vec;
  private readonly RdH: Vec;
  private readonly RdP: Vec;
  readonly Rout: Vec;
  private readonly conv: CnnHessianOps | null;

  constructor(private readonly model: Model) {
    const { spec, precision } = model;
    this.conv = isConv(spec) ? new CnnHessianOps(model) : null;
    const cap = this.conv ? 0 : model.data.n; // the CNN's buffers live in its own ops
    if (this.conv) {
      this.RH = [];
      this.dH = this.dP = this.RdH = this.RdP = alloc(precision, 0);
      this.Rout = this.conv.Rout;
      return;
    }
    const layers = spec.arch === 'rnn' ? seqLength(spec) : spec.L + 1; // the RNN: one R h_t per time step
    this.RH = Array.from({ length: layers }, () => alloc(precision, cap * spec.m));
    this.dH = alloc(precision, cap * spec.m);
    this.dP = alloc(precision, cap * spec.m);
    this.RdH = alloc(precision, cap * spec.m);
    this.RdP = alloc(precision, cap * spec.m);
    this.Rout = alloc(precision, cap * model.outSize);
  }

  /** Forward pass over all samples at the current weights; returns F. */
  prepare(): number {
    return this.model.loss(null);
  }

  /** Rout = J V over the samples of the last forward pass. */
  jvp(V: Params): Vec {
    if (this.conv) return this.conv.jvp(V);
    const { spec, params: p, kernels: k, cache } = this.model;
    if (spec.arch === 'rnn') {
      rnnJvp(spec, p, k, cache, V, this.RH, this.Rout);
      return this.Rout;
    }
    const { m, L, arch, tau } = spec;
    const count = cache.rows * m;
    const { H, activeMasks: D } = cache;
    const shape = layerShapes(spec, cache.rows);
    const { RH } = this;
    // R H_0 = D_0 (X V_A^T): R h_{i,0} = D_{i,0} V_A x_i
    if (spec.trainA) {
      linear(k, RH[0], cache.X, V.A, shape.input);
      k.applyMask(RH[0], D[0], RH[0], count);
    } else RH[0].fill(0);
    for (let l = 1; l <= L; l++) {
      if (arch === 'fc') {
        // R H_l = D_l (H_{l-1} V_l^T + R H_{l-1} W_l^T): R h_{i,l} = D_{i,l} (V_l h_{i,l-1} + W_l R h_{i,l-1})
        linear(k, RH[l], H[l - 1], V.W[l - 1], shape.hidden);
        linear(k, RH[l], RH[l - 1], p.W[l - 1], shape.hidden, { accumulate: true });
      } else {
        // R H_l = D_l (R H_{l-1} + tau (H_{l-1} V_l^T + R H_{l-1} W_l^T))
        RH[l].set(RH[l - 1].subarray(0, count));
        linear(k, RH[l], H[l - 1], V.W[l - 1], shape.hidden, { scale: tau, accumulate: true });
        linear(k, RH[l], RH[l - 1], p.W[l - 1], shape.hidden, { scale: tau, accumulate: true });
      }
      k.applyMask(RH[l], D[l], RH[l], count);
    }
    // R out = R H_L B^T (+ H_L V_B^T): R out_i = B R h_{i,L} (+ V_B h_{i,L})
    linear(k, this.Rout, RH[L], p.B, shape.output);
    if (spec.trainB) linear(k, this.Rout, H[L], V.B, shape.output, { accumulate: true });
    return this.Rout;
  }

  /** HV = H V, the Hessian of F = 1/2 sum_i ||out_i - y_i||^2 at the weights of the last forward pass. */
  hvp(V: Params, HV: Params): void {
    if (this.conv) return this.conv.hvp(V, HV);
    const { spec, params: p, kernels: k, cache, residual: r } = this.model;
    if (spec.arch === 'rnn') throw new Error('the Hessian-vector product is not implemented for the RNN');
    const { m, L, arch, tau } = spec;
    const count = cache.rows * m;
    const { H, activeMasks: D } = cache;
    const shape = layerShapes(spec, cache.rows);
    const Rr = this.jvp(V);
    const { RH, dH, dP, RdH, RdP } = this;
    // grad B = r^T H_L, so R grad B = R r^T H_L + r^T R H_L
    if (spec.trainB) {
      weightGradient(k, HV.B, Rr, H[L], shape.output);
      weightGradient(k, HV.B, r, RH[L], shape.output, { accumulate: true });
    }
    // dH_L = r B, so R dH_L = R r B (+ r V_B)
    linearBackward(k, dH, r, p.B, shape.output);
    linearBackward(k, RdH, Rr, p.B, shape.output);
    if (spec.trainB) linearBackward(k, RdH, r, V.B, shape.output, { accumulate: true });
    const branchScale = arch === 'fc' ? 1 : tau;
    const skip = arch !== 'fc';
    for (let l = L; l >= 1; l--) {
      // dP_l = D_l dH_l and R dP_l = D_l R dH_l (the pattern is held fixed)
      k.applyMask(dH, D[l], dP, count);
      k.applyMask(RdH, D[l], RdP, count);
      // R grad W_l = branchScale (R dP_l^T H_{l-1} + dP_l^T R H_{l-1})
      weightGradient(k, HV.W[l - 1], RdP, H[l - 1], shape.hidden, { scale: branchScale });
      weightGradient(k, HV.W[l - 1], dP, RH[l - 1], shape.hidden, { scale: branchScale, accumulate: true });
      // dH_{l-1} = [dP_l +] branchScale dP_l W_l;  R dH_{l-1} = [R dP_l +] branchScale (R dP_l W_l + dP_l V_l)
      if (skip) {
        dH.set(dP.subarray(0, count));
        RdH.set(RdP.subarray(0, count));
      }
      linearBackward(k, dH, dP, p.W[l - 1], shape.hidden, { scale: branchScale, accumulate: skip });
      linearBackward(k, RdH, RdP, p.W[l - 1], shape.hidden, { scale: branchScale, accumulate: skip });
      linearBackward(k, RdH, dP, V.W[l - 1], shape.hidden, { scale: branchScale, accumulate: true });
    }
    if (spec.trainA) {
      // R grad A = R dP_0^T X, R dP_0 = D_0 R dH_0
      k.applyMask(RdH, D[0], RdP, count);
      weightGradient(k, HV.A, RdP, cache.X, shape.input);
    }
  }
}
