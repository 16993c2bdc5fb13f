import { trainedTensors, type Params } from './network.ts';
import type { Model } from './model.ts';
import type { Rng } from './rng.ts';

export interface TrainSpec {
  lr: number; // eta
  batch: number; // mini-batch size; >= n means full-batch gradient descent
}

export interface Evaluation {
  loss: number; // F(W_t) over all n samples
  gradNorm: number; // ||grad F(W_t)||_F over the trained weights
}

/**
 * Gradient descent on F. Full batch: W <- W - eta grad F(W). Mini-batch SGD: W <- W - eta (n/b) grad F_S(W)
 * with S drawn without replacement, epoch by epoch, from the batch stream; n/b makes the step an
 * unbiased estimate of the full one, so eta means the same in both.
 */
export class Trainer {
  step = 0;
  readonly grads: Params;
  private gradStep = -1; // step at which `grads` holds the full-batch gradient
  private lastLoss = NaN;
  private readonly order: Int32Array;
  private cursor: number;
  private readonly batchRows: Int32Array;

  constructor(
    readonly model: Model,
    public spec: TrainSpec,
    private readonly batchRng: Rng,
  ) {
    this.grads = model.gradBuffer;
    const n = model.data.n;
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.cursor = n; // forces a shuffle on the first mini-batch
    this.batchRows = new Int32Array(Math.min(spec.batch, n));
  }

  get fullBatch(): boolean {
    return this.spec.batch >= this.model.data.n;
  }

  /** F(W_t) over the whole data set; leaves the full gradient in `grads` (computed once per step). */
  loss(): number {
    if (this.gradStep !== this.step) {
      this.lastLoss = this.model.lossAndGrad(this.grads, null);
      this.gradStep = this.step;
    }
    return this.lastLoss;
  }

  /** F(W_t) and ||grad F(W_t)||; the norm costs a pass over every weight, so only records ask for it. */
  evaluate(): Evaluation {
    const loss = this.loss();
    return { loss, gradNorm: this.model.gradNorm(this.grads) };
  }

  /** One update. */
  update(): void {
    const { model } = this;
    if (this.fullBatch) {
      this.loss();
    } else {
      const n = model.data.n;
      const b = this.batchRows.length;
      let wrappedAt = 0; // rows of this batch drawn from the previous epoch
      for (let k = 0; k < b; k++) {
        if (this.cursor >= n) {
          this.batchRng.shuffle(this.order);
          this.cursor = 0;
          wrappedAt = k;
        }
        if (wrappedAt > 0) {
          // The batch spans two epochs: a sample it already holds from the old epoch is deferred to
          // later in the new one (swapped with the next one the batch lacks), so S has no repeats.
          const held = this.batchRows.subarray(0, wrappedAt);
          let j = this.cursor;
          while (held.includes(this.order[j])) j++;
          const t = this.order[j];
          this.order[j] = this.order[this.cursor];
          this.order[this.cursor] = t;
        }
        this.batchRows[k] = this.order[this.cursor++];
      }
      model.lossAndGrad(this.grads, this.batchRows, n / b);
    }
    const eta = this.spec.lr;
    const ws = trainedTensors(model.spec, model.params);
    const gs = trainedTensors(model.spec, this.grads);
    for (let t = 0; t < ws.length; t++) model.kernels.axpy(-eta, gs[t], ws[t]);
    this.step++;
  }
}
