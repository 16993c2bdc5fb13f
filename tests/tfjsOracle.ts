import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's bundle registers no gradients (the @tensorflow/tfjs package imports them all). The
// oracle registers tfjs's own gradient definitions of the few kernels it uses, which loads far less
// than dist/register_all_gradients.
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { squareGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Square_grad';
import { subGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sub_grad';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad';
import type { NetSpec, Params } from '../src/net/network.ts';

/**
 * An independent check of the core's hand-written backward pass: the same network written with
 * tfjs ops, differentiated by tfjs autograd. F = 1/2 sum_i ||B h_{i,L} - y_i||^2 with
 * h_0 = ReLU(A x), h_l = ReLU(W_l h_{l-1}) (FC) or ReLU(h_{l-1} + tau W_l h_{l-1}) (ResNet).
 * Float32 throughout (the cpu backend), for tests.
 */
export interface OracleResult {
  loss: number;
  /** Gradients of the trained tensors only; untrained ones are null. Row-major, shapes as in Params. */
  A: Float32Array | null;
  W: Float32Array[];
  B: Float32Array | null;
}

let ready: Promise<void> | null = null;

/** Selects the cpu backend in production mode (no debug checks). Await once before use. */
export function readyTfjsOracle(): Promise<void> {
  ready ??= (async () => {
    for (const g of [addGradConfig, batchMatMulGradConfig, multiplyGradConfig, reluGradConfig, squareGradConfig, subGradConfig, sumGradConfig]) {
      if (!tf.getGradient(g.kernelName)) tf.registerGradient(g);
    }
    tf.env().set('PROD', true);
    const ok = await tf.setBackend('cpu');
    if (!ok || tf.getBackend() !== 'cpu') throw new Error('tfjs cpu backend failed to initialize');
  })();
  return ready;
}

/** F and its gradient w.r.t. the trained tensors ([A?], W_1..W_L, [B?]) at `params`, over all n rows of X, Y. */
export function tfjsLossAndGrad(spec: NetSpec, params: Params, X: ArrayLike<number>, Y: ArrayLike<number>, n: number): OracleResult {
  if (tf.getBackend() !== 'cpu') throw new Error('call readyTfjsOracle() first');
  const { arch, d, m, L, dOut, tau, trainA, trainB } = spec;
  const tensors = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(X), [n, d]);
    const y = tf.tensor2d(Float32Array.from(Y), [n, dOut]);
    const A0 = tf.tensor2d(Float32Array.from(params.A), [m, d]);
    const Ws0 = params.W.map((w) => tf.tensor2d(Float32Array.from(w), [m, m]));
    const B0 = tf.tensor2d(Float32Array.from(params.B), [dOut, m]);

    // Trained tensors are the arguments tf.grads differentiates; the others are constants.
    const args: tf.Tensor2D[] = [...(trainA ? [A0] : []), ...Ws0, ...(trainB ? [B0] : [])];
    const lossOf = (...xs: tf.Tensor[]): tf.Scalar => {
      let k = 0;
      const A = trainA ? (xs[k++] as tf.Tensor2D) : A0;
      const Ws = Ws0.map(() => xs[k++] as tf.Tensor2D);
      const B = trainB ? (xs[k++] as tf.Tensor2D) : B0;
      let h = tf.relu(tf.matMul(x, A, false, true)); // n x m: rows are h_{i,0} = ReLU(A x_i)
      for (let l = 0; l < L; l++) {
        const branch = tf.matMul(h, Ws[l], false, true); // rows W_l h_{i,l-1}
        h = tf.relu(arch === 'fc' ? branch : tf.add(h, tf.mul(tf.scalar(tau), branch)));
      }
      const out = tf.matMul(h, B, false, true); // n x dOut
      return tf.mul(tf.scalar(0.5), tf.sum(tf.square(tf.sub(out, y)))) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(lossOf)(args);
    return [value, ...grads];
  });
  const [loss, ...data] = tensors.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(tensors);
  let k = 0;
  return {
    loss: loss[0],
    A: trainA ? data[k++] : null,
    W: Array.from({ length: L }, () => data[k++]),
    B: trainB ? data[k++] : null,
  };
}
