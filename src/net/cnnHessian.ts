import { cnnShapes, col2imAdd, convDims, im2col, isCnnCache, type CnnForwardCache } from './cnn.ts';
import type { Model } from './model.ts';
import type { Params } from './network.ts';
import { linear, linearBackward, weightGradient } from './products.ts';
import { alloc, type Vec } from './tensor.ts';

/**
 * J V and H V for the CNN (src/net/cnn.ts), by the R-operator with the ReLU patterns held fixed, as
 * hessian.ts does for the FC net. R{x} is the directional derivative of x along V. im2col is linear,
 * so R patch_p(h) = patch_p(R h), and col2im carries R-gradients back as it carries gradients.
 */
export class CnnHessianOps {
  private readonly RH: Vec[];
  private readonly RPatch: Vec; // im2col of R H_{l-1}, recomputed per layer
  private readonly dH: Vec;
  private readonly dP: Vec;
  private readonly RdH: Vec;
  private readonly RdP: Vec;
  private readonly dPatch: Vec;
  readonly Rout: Vec;

  constructor(private readonly model: Model) {
    const { spec, precision } = model;
    const R = model.data.n * spec.q!;
    const { m } = spec;
    this.RH = Array.from({ length: spec.L + 1 }, () => alloc(precision, R * m));
    this.RPatch = alloc(precision, R * spec.window! * m);
    this.dPatch = alloc(precision, R * spec.window! * m);
    this.dH = alloc(precision, R * m);
    this.dP = alloc(precision, R * m);
    this.RdH = alloc(precision, R * m);
    this.RdP = alloc(precision, R * m);
    this.Rout = alloc(precision, model.data.n * spec.dOut);
  }

  private get cache(): CnnForwardCache {
    const c = this.model.cache;
    if (!isCnnCache(c)) throw new Error('CnnHessianOps needs a CNN model');
    return c;
  }

  /** Rout = J V over the samples of the last forward pass. */
  jvp(V: Params): Vec {
    const { spec, params: p, kernels: k } = this.model;
    const cache = this.cache;
    const { m, L, tau } = spec;
    const { q, s } = convDims(spec);
    const rows = cache.rows;
    const count = rows * q * m;
    const { activeMasks: D, patches: P, H } = cache;
    const shape = cnnShapes(spec, rows);
    const { RH, RPatch } = this;
    // R H_0 = D_0 (P_0 V_A^T)
    if (spec.trainA) {
      linear(k, RH[0], P[0], V.A, shape.input);
      k.applyMask(RH[0], D[0], RH[0], count);
    } else RH[0].fill(0);
    const branchScale = spec.arch === 'cnn' ? 1 : tau;
    for (let l = 1; l <= L; l++) {
      // R H_l = D_l ([R H_{l-1} +] branchScale (P_l V_l^T + im2col(R H_{l-1}) W_l^T))
      im2col(RH[l - 1], RPatch, rows, q, m, s);
      if (spec.arch === 'cnn') RH[l].fill(0, 0, count);
      else RH[l].set(RH[l - 1].subarray(0, count));
      linear(k, RH[l], P[l], V.W[l - 1], shape.hidden, { scale: branchScale, accumulate: true });
      linear(k, RH[l], RPatch, p.W[l - 1], shape.hidden, { scale: branchScale, accumulate: true });
      k.applyMask(RH[l], D[l], RH[l], count);
    }
    // R out = R H_L B^T (+ H_L V_B^T)
    linear(k, this.Rout, RH[L], p.B, shape.output);
    if (spec.trainB) linear(k, this.Rout, H[L], V.B, shape.output, { accumulate: true });
    return this.Rout;
  }

  /** HV = H V, the Hessian of F at the weights of the last forward pass. */
  hvp(V: Params, HV: Params): void {
    const { spec, params: p, kernels: k, residual: r } = this.model;
    const cache = this.cache;
    const { m, L, tau } = spec;
    const { q, s } = convDims(spec);
    const rows = cache.rows;
    const count = rows * q * m;
    const { H, activeMasks: D, patches: P } = cache;
    const shape = cnnShapes(spec, rows);
    const Rr = this.jvp(V);
    const { RH, RPatch, dH, dP, RdH, RdP, dPatch } = this;
    // grad B = r^T H_L: R grad B = R r^T H_L + r^T R H_L
    if (spec.trainB) {
      weightGradient(k, HV.B, Rr, H[L], shape.output);
      weightGradient(k, HV.B, r, RH[L], shape.output, { accumulate: true });
    }
    // dH_L = r B; R dH_L = R r B (+ r V_B)
    linearBackward(k, dH, r, p.B, shape.output);
    linearBackward(k, RdH, Rr, p.B, shape.output);
    if (spec.trainB) linearBackward(k, RdH, r, V.B, shape.output, { accumulate: true });
    const branchScale = spec.arch === 'cnn' ? 1 : tau;
    const skip = spec.arch !== 'cnn';
    for (let l = L; l >= 1; l--) {
      k.applyMask(dH, D[l], dP, count);
      k.applyMask(RdH, D[l], RdP, count);
      // R grad W_l = branchScale (R dP_l^T P_l + dP_l^T im2col(R H_{l-1}))
      im2col(RH[l - 1], RPatch, rows, q, m, s);
      weightGradient(k, HV.W[l - 1], RdP, P[l], shape.hidden, { scale: branchScale });
      weightGradient(k, HV.W[l - 1], dP, RPatch, shape.hidden, { scale: branchScale, accumulate: true });
      // dH_{l-1} = col2im(branchScale dP_l W_l) [+ dP_l]
      linearBackward(k, dPatch, dP, p.W[l - 1], shape.hidden, { scale: branchScale });
      // R dH_{l-1} = col2im(branchScale (R dP_l W_l + dP_l V_l)) [+ R dP_l]
      linearBackward(k, RPatch, RdP, p.W[l - 1], shape.hidden, { scale: branchScale });
      linearBackward(k, RPatch, dP, V.W[l - 1], shape.hidden, { scale: branchScale, accumulate: true });
      if (skip) {
        dH.set(dP.subarray(0, count));
        RdH.set(RdP.subarray(0, count));
      } else {
        dH.fill(0, 0, count);
        RdH.fill(0, 0, count);
      }
      col2imAdd(dPatch, dH, rows, q, m, s);
      col2imAdd(RPatch, RdH, rows, q, m, s);
    }
    if (spec.trainA) {
      // R grad A = R dP_0^T P_0 (the input patches do not move)
      k.applyMask(RdH, D[0], RdP, count);
      weightGradient(k, HV.A, RdP, P[0], shape.input);
    }
  }
}
