import * as tf from '@tensorflow/tfjs-core';
import type { NetSpec, Params } from '../src/net/network.ts';

/**
 * An independent check of the RNN's hand-written backpropagation through time: the companion paper's
 * network written with tfjs ops, differentiated by tfjs autograd (call readyTfjsOracle() first).
 * Per sequence, h_0 = 0, h_t = ReLU(W h_{t-1} + A x_t), yhat_t = B h_t, F = sum_i sum_{t>=2} 1/2 ||yhat_t - y_t||^2,
 * W the only argument differentiated. X is n x T x d and Y n x T x dOut (y_{i,1} unused), row-major.
 */
export function tfjsRnnLossAndGrad(spec: NetSpec, params: Params, X: ArrayLike<number>, Y: ArrayLike<number>, n: number): { loss: number; W: Float32Array } {
  if (tf.getBackend() !== 'cpu') throw new Error('call readyTfjsOracle() first');
  const { d, m, dOut } = spec;
  const T = spec.T ?? 1;
  const tensors = tf.tidy(() => {
    const x = tf.tensor3d(Float32Array.from(X), [n, T, d]);
    const y = tf.tensor3d(Float32Array.from(Y), [n, T, dOut]);
    const A = tf.tensor2d(Float32Array.from(params.A), [m, d]);
    const B = tf.tensor2d(Float32Array.from(params.B), [dOut, m]);
    const W0 = tf.tensor2d(Float32Array.from(params.W[0]), [m, m]);
    const lossOf = (W: tf.Tensor): tf.Scalar => {
      let h: tf.Tensor2D = tf.zeros([n, m]);
      let loss: tf.Scalar = tf.scalar(0);
      for (let t = 0; t < T; t++) {
        const xt = tf.reshape(tf.slice(x, [0, t, 0], [n, 1, d]), [n, d]) as tf.Tensor2D;
        h = tf.relu(tf.add(tf.matMul(h, W as tf.Tensor2D, false, true), tf.matMul(xt, A, false, true)));
        if (t === 0) continue; // the loss starts at t = 2
        const yt = tf.reshape(tf.slice(y, [0, t, 0], [n, 1, dOut]), [n, dOut]);
        const out = tf.matMul(h, B, false, true);
        loss = tf.add(loss, tf.mul(tf.scalar(0.5), tf.sum(tf.square(tf.sub(out, yt))))) as tf.Scalar;
      }
      return loss;
    };
    const { value, grad } = tf.valueAndGrad(lossOf)(W0);
    return [value, grad];
  });
  const [loss, W] = tensors.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(tensors);
  return { loss: loss[0], W };
}
