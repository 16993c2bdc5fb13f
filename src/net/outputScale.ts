/**
 * The output scale alpha of Chizat, Oyallon and Bach ("On Lazy Training in Differentiable
 * Programming", NeurIPS 2019): the model alpha (f(W) - f(W_0)), centred so it outputs 0 at
 * initialization, fit with their objective
 *   F_alpha(W) = (1/alpha^2) sum_i 1/2 ||alpha (f(x_i; W) - f(x_i; W_0)) - y_i||^2.
 * Written out, F_alpha = sum_i 1/2 ||f(x_i; W) - (f(x_i; W_0) + y_i / alpha)||^2: the ordinary loss
 * of the unscaled network against shifted targets, so gradients, kernels and every instrument
 * apply to it unchanged. Its gradient is (1/alpha) J^T r with r = alpha (f - f_0) - y: the weights
 * move at a rate 1/alpha while the model's outputs move at the rate -K r, the same for every alpha.
 * So one step size, eta = c / lambda_max(K_0), keeps the time scale comparable across alpha (on
 * the unscaled loss 1/2 ||alpha (f - f_0) - y||^2 the same step would be eta / alpha^2), and at large
 * alpha the distance from W_0 shrinks like 1/alpha: lazy training, a kernel method with K_0.
 */

/**
 * 'const': alpha as given, on top of the paper's network, whose output sum_r b_r h_r has h_r of size
 * 1/sqrt(m), i.e. the 1/sqrt(m) (NTK) scaling. 'mean-field': alpha / sqrt(m), which makes the output
 * (1/m) sum_r b_r (sqrt(m) h_r): the 1/m scaling of mean-field analyses (Mei, Montanari, Nguyen).
 */
export type AlphaScaling = 'const' | 'mean-field';

export function effectiveAlpha(alpha: number, scaling: AlphaScaling, m: number): number {
  return scaling === 'mean-field' ? alpha / Math.sqrt(m) : alpha;
}

/** Targets of the unscaled network whose ordinary loss is F_alpha: f_0(x_i) + y_i / alpha. */
export function centredTargets(out0: ArrayLike<number>, Y: ArrayLike<number>, alpha: number): Float64Array {
  return Float64Array.from({ length: Y.length }, (_, i) => out0[i] + Y[i] / alpha);
}

/** The scaled model's outputs alpha (f - f_0), in place over `out`. */
export function scaleOutputs(out: Float64Array, out0: ArrayLike<number>, alpha: number): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = alpha * (out[i] - out0[i]);
  return out;
}
