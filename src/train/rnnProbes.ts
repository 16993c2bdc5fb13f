import { Probe } from '../net/landscape.ts';
import type { Model } from '../net/model.ts';
import { copyParams } from '../net/network.ts';
import { hiddenGradientNorms } from '../net/rnnGradientFlow.ts';
import type { Run } from './run.ts';

/** The RNN's targets y_{i,t}, t = 2..T, in the residual's layout (example-major), in float64: its dataset holds every step. */
export function rnnTargets(run: Run): Float64Array {
  const n = run.config.n;
  const T = run.spec.T ?? 1;
  const dOut = run.spec.dOut;
  const per = (T - 1) * dOut;
  const out = new Float64Array(n * per);
  for (let i = 0; i < n; i++) out.set(run.data.Y.subarray(i * T * dOut + dOut, (i + 1) * T * dOut), i * per);
  return out;
}

/** The RNN's gradient over time (src/net/rnnGradientFlow.ts), now and at initialization: a probe's answer. */
export interface HiddenGradientsResult {
  kind: 'hiddenGradients';
  step: number;
  T: number;
  total: Float64Array; // ||dF/dh_t||, t = 1..T
  fromLast: Float64Array; // ||dF_T/dh_t||
  total0: Float64Array;
  fromLast0: Float64Array;
}

/**
 * The hidden-gradient probe of an RNN run: ||dF/dh_t|| and ||dF_T/dh_t|| (src/net/rnnGradientFlow.ts)
 * at the current weights and at initialization, on one private copy of the model made once (the
 * probe is asked every few frames while the run trains); the initial ones are computed once.
 */
export class RnnGradientProbe {
  private readonly copy: Model;
  private readonly init: { total: Float64Array; fromLast: Float64Array };

  constructor(private readonly run: Run) {
    if (run.spec.arch !== 'rnn') throw new Error('the hidden-gradient probe needs an RNN run');
    this.copy = new Probe(run.model).model;
    copyParams(run.initial, this.copy.params);
    this.init = hiddenGradientNorms(this.copy);
  }

  answer(): HiddenGradientsResult {
    const { run, copy, init } = this;
    copyParams(run.model.params, copy.params);
    const { total, fromLast } = hiddenGradientNorms(copy);
    return { kind: 'hiddenGradients', step: run.step, T: run.spec.T ?? 1, total, fromLast, total0: init.total, fromLast0: init.fromLast };
  }
}
