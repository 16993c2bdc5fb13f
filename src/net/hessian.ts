import { forward } from './forward.ts';
import type { Model } from './model.ts';
import { allocParams, type Params } from './network.ts';
import { alloc, type Vec } from './tensor.ts';

/**
 * Directional derivatives by Pearlmutter's R-operator, with the ReLU pattern held fixed (the
 * derivative exists wherever no pre-activation sits exactly at 0):
 * - jvp: J V, how the outputs move along a weight direction V (so K r = J (J^T r) = J g);
 * - hvp: H V, the Hessian of F applied to V.
 * V is Params-shaped; only the trained tensors are read, the others count as zero.
 */
export class HessianOps {
  private readonly RH: Vec[];
  private readonly dH: Vec;
  private readonly dP: Vec;
  private readonly RdH: Vec;
  private readonly RdP: Vec;
  readonly Rout: Vec;

  constructor(private readonly model: Model) {
    const { spec, precision } = model;
    const cap = model.data.n;
    this.RH = Array.from({ length: spec.L + 1 }, () => alloc(precision, cap * spec.m));
    this.dH = alloc(precision, cap * spec.m);
    this.dP = alloc(precision, cap * spec.m);
    this.RdH = alloc(precision, cap * spec.m);
    this.RdP = alloc(precision, cap * spec.m);
    this.Rout = alloc(precision, cap * spec.dOut);
  }

  /** Forward pass over all samples at the current weights; returns F. */
  prepare(): number {
    return this.model.loss(null);
  }

  /** Rout = J V over the samples of the last forward pass. */
  jvp(V: Params): Vec {
    const { spec, params: p, kernels: k, cache } = this.model;
    const { d, m, L, dOut, arch, tau } = spec;
    const rows = cache.rows;
    const count = rows * m;
    const { RH } = this;
    // R h_0 = D_0 (V_A x)
    if (spec.trainA) {
      k.gemm(false, true, rows, m, d, 1, cache.X, V.A, 0, RH[0]);
      maskInPlace(RH[0], cache.masks[0], count);
    } else RH[0].fill(0);
    for (let l = 1; l <= L; l++) {
      const prev = cache.H[l - 1];
      const Rprev = RH[l - 1];
      const Rh = RH[l];
      if (arch === 'fc') {
        // R z_l = V_l h_{l-1} + W_l R h_{l-1}
        k.gemm(false, true, rows, m, m, 1, prev, V.W[l - 1], 0, Rh);
        k.gemm(false, true, rows, m, m, 1, Rprev, p.W[l - 1], 1, Rh);
      } else {
        // R p_l = R h_{l-1} + tau (V_l h_{l-1} + W_l R h_{l-1})
        Rh.set(Rprev.subarray(0, count));
        k.gemm(false, true, rows, m, m, tau, prev, V.W[l - 1], 1, Rh);
        k.gemm(false, true, rows, m, m, tau, Rprev, p.W[l - 1], 1, Rh);
      }
      maskInPlace(Rh, cache.masks[l], count);
    }
    // R out = B R h_L (+ V_B h_L)
    k.gemm(false, true, rows, dOut, m, 1, RH[L], p.B, 0, this.Rout);
    if (spec.trainB) k.gemm(false, true, rows, dOut, m, 1, cache.H[L], V.B, 1, this.Rout);
    return this.Rout;
  }

  /** out = H V, the Hessian of F = 1/2 sum ||out - y||^2 at the weights of the last forward pass. */
  hvp(V: Params, out: Params): void {
    const { spec, params: p, kernels: k, cache, residual: r } = this.model;
    const { d, m, L, dOut, arch, tau } = spec;
    const rows = cache.rows;
    const count = rows * m;
    const Rr = this.jvp(V);
    const { RH, dH, dP, RdH, RdP } = this;
    // out = B h_L: grad B = r^T H_L; dH_L = r B
    if (spec.trainB) {
      k.gemm(true, false, dOut, m, rows, 1, Rr, cache.H[L], 0, out.B);
      k.gemm(true, false, dOut, m, rows, 1, r, RH[L], 1, out.B);
    }
    k.gemm(false, false, rows, m, dOut, 1, r, p.B, 0, dH);
    k.gemm(false, false, rows, m, dOut, 1, Rr, p.B, 0, RdH);
    if (spec.trainB) k.gemm(false, false, rows, m, dOut, 1, r, V.B, 1, RdH);
    for (let l = L; l >= 1; l--) {
      const mask = cache.masks[l];
      for (let i = 0; i < count; i++) {
        dP[i] = mask[i] ? dH[i] : 0;
        RdP[i] = mask[i] ? RdH[i] : 0;
      }
      const branch = arch === 'fc' ? 1 : tau;
      // R grad W_l = branch (R dP^T h_{l-1} + dP^T R h_{l-1})
      k.gemm(true, false, m, m, rows, branch, RdP, cache.H[l - 1], 0, out.W[l - 1]);
      k.gemm(true, false, m, m, rows, branch, dP, RH[l - 1], 1, out.W[l - 1]);
      // dH_{l-1} = [dP +] branch dP W_l;  R dH_{l-1} = [R dP +] branch (R dP W_l + dP V_l)
      const skip = arch === 'fc' ? 0 : 1;
      if (skip) {
        dH.set(dP.subarray(0, count));
        RdH.set(RdP.subarray(0, count));
      }
      k.gemm(false, false, rows, m, m, branch, dP, p.W[l - 1], skip, dH);
      k.gemm(false, false, rows, m, m, branch, RdP, p.W[l - 1], skip, RdH);
      k.gemm(false, false, rows, m, m, branch, dP, V.W[l - 1], 1, RdH);
    }
    if (spec.trainA) {
      const mask = cache.masks[0];
      for (let i = 0; i < count; i++) RdP[i] = mask[i] ? RdH[i] : 0;
      k.gemm(true, false, m, d, rows, 1, RdP, cache.X, 0, out.A);
    }
  }

  allocDirection(): Params {
    return allocParams(this.model.spec, this.model.precision);
  }
}

function maskInPlace(v: Vec, mask: Uint8Array, count: number): void {
  for (let i = 0; i < count; i++) if (!mask[i]) v[i] = 0;
}

/** Re-run the forward pass (after weights changed) so HessianOps sees the new point. */
export function refreshForward(model: Model): void {
  forward(model.spec, model.params, model.kernels, model.cache, model.loadRows(null));
}
