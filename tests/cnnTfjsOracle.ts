import * as tf from '@tensorflow/tfjs-core';
import { concatGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Concat_grad';
import { conv2DGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Conv2D_grad';
import { expandDimsGradConfig } from '@tensorflow/tfjs-core/dist/gradients/ExpandDims_grad';
import { reshapeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Reshape_grad';
import { sliceGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Slice_grad';
import { transposeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Transpose_grad';
import type { NetSpec, Params } from '../src/net/network.ts';
import { readyTfjsOracle, type OracleResult } from './tfjsOracle.ts';

/**
 * The CNN written independently of the core's im2col: tf.conv1d (a cross-correlation, 'valid') on
 * the signal padded circularly by concatenating its last r and first r positions, the weights
 * reshaped into conv filters, differentiated by tfjs autograd. W_l (m x s C, entry k C + j at
 * offset k - r) is the filter f[k, j, out] = W_l[out, k C + j].
 */
export async function readyCnnOracle(): Promise<void> {
  await readyTfjsOracle();
  for (const g of [concatGradConfig, conv2DGradConfig, expandDimsGradConfig, reshapeGradConfig, sliceGradConfig, transposeGradConfig]) {
    if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
  }
}

/** h (n x q x C) padded circularly to n x (q + 2r) x C. */
function circularPad(h: tf.Tensor3D, r: number): tf.Tensor3D {
  if (r === 0) return h;
  const q = h.shape[1];
  return tf.concat([tf.slice(h, [0, q - r, 0], [-1, r, -1]), h, tf.slice(h, [0, 0, 0], [-1, r, -1])], 1);
}

/** m x (s C) weights as a conv1d filter [s, C, m]. */
function filterOf(w: tf.Tensor2D, s: number, C: number): tf.Tensor3D {
  return tf.transpose(tf.reshape(w, [w.shape[0], s, C]), [1, 2, 0]);
}

export function tfjsCnnLossAndGrad(spec: NetSpec, params: Params, X: ArrayLike<number>, Y: ArrayLike<number>, n: number): OracleResult {
  const { arch, d: c, m, L, dOut, tau, trainA, trainB } = spec;
  const q = spec.q!;
  const s = spec.window!;
  const r = (s - 1) / 2;
  const tensors = tf.tidy(() => {
    const x = tf.tensor3d(Float32Array.from(X), [n, q, c]);
    const y = tf.tensor2d(Float32Array.from(Y), [n, dOut]);
    const A0 = tf.tensor2d(Float32Array.from(params.A), [m, s * c]);
    const Ws0 = params.W.map((w) => tf.tensor2d(Float32Array.from(w), [m, s * m]));
    const B0 = tf.tensor2d(Float32Array.from(params.B), [dOut, q * m]);
    const args: tf.Tensor2D[] = [...(trainA ? [A0] : []), ...Ws0, ...(trainB ? [B0] : [])];
    const lossOf = (...xs: tf.Tensor[]): tf.Scalar => {
      let k = 0;
      const A = trainA ? (xs[k++] as tf.Tensor2D) : A0;
      const Ws = Ws0.map(() => xs[k++] as tf.Tensor2D);
      const B = trainB ? (xs[k++] as tf.Tensor2D) : B0;
      let h = tf.relu(tf.conv1d(circularPad(x, r), filterOf(A, s, c), 1, 'valid')); // n x q x m
      for (let l = 0; l < L; l++) {
        const branch = tf.conv1d(circularPad(h, r), filterOf(Ws[l], s, m), 1, 'valid');
        h = tf.relu(arch === 'cnn' ? branch : tf.add(h, tf.mul(tf.scalar(tau), branch)));
      }
      const out = tf.matMul(tf.reshape(h, [n, q * m]), B, false, true); // vec(h) position-major
      return tf.mul(tf.scalar(0.5), tf.sum(tf.square(tf.sub(out, y)))) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(lossOf)(args);
    return [value, ...grads];
  });
  const [loss, ...data] = tensors.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(tensors);
  let k = 0;
  return { loss: loss[0], A: trainA ? data[k++] : null, W: Array.from({ length: L }, () => data[k++]), B: trainB ? data[k++] : null };
}
