import { trainedTensors, type NetSpec, type Params } from './network.ts';
import type { Rng } from './rng.ts';

/** Params viewed as one vector over the trained tensors (the space gradient descent moves in). */
export function pDot(spec: NetSpec, a: Params, b: Params): number {
  const ta = trainedTensors(spec, a);
  const tb = trainedTensors(spec, b);
  let s = 0;
  for (let t = 0; t < ta.length; t++) {
    const x = ta[t];
    const y = tb[t];
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  }
  return s;
}

export function pNorm(spec: NetSpec, a: Params): number {
  return Math.sqrt(pDot(spec, a, a));
}

/** y += alpha x */
export function pAxpy(spec: NetSpec, alpha: number, x: Params, y: Params): void {
  const tx = trainedTensors(spec, x);
  const ty = trainedTensors(spec, y);
  for (let t = 0; t < tx.length; t++) {
    const a = tx[t];
    const b = ty[t];
    for (let i = 0; i < a.length; i++) b[i] += alpha * a[i];
  }
}

export function pScale(spec: NetSpec, alpha: number, x: Params): void {
  for (const v of trainedTensors(spec, x)) for (let i = 0; i < v.length; i++) v[i] *= alpha;
}

/** out = a - b over the trained tensors. */
export function pSub(spec: NetSpec, a: Params, b: Params, out: Params): void {
  const ta = trainedTensors(spec, a);
  const tb = trainedTensors(spec, b);
  const to = trainedTensors(spec, out);
  for (let t = 0; t < ta.length; t++) for (let i = 0; i < ta[t].length; i++) to[t][i] = ta[t][i] - tb[t][i];
}

export function pCopy(spec: NetSpec, from: Params, to: Params): void {
  const tf = trainedTensors(spec, from);
  const tt = trainedTensors(spec, to);
  for (let t = 0; t < tf.length; t++) tt[t].set(tf[t]);
}

export function pFillNormal(spec: NetSpec, rng: Rng, x: Params): void {
  for (const v of trainedTensors(spec, x)) rng.fillNormal(v, 1);
}

/** Flattened copy (float64) of the trained tensors, e.g. for trajectory snapshots. */
export function pFlatten(spec: NetSpec, x: Params): Float64Array {
  const ts = trainedTensors(spec, x);
  const out = new Float64Array(ts.reduce((s, t) => s + t.length, 0));
  let o = 0;
  for (const t of ts) {
    out.set(t, o);
    o += t.length;
  }
  return out;
}

/** Writes a flat vector back into the trained tensors of x. */
export function pUnflatten(spec: NetSpec, flat: ArrayLike<number>, x: Params): void {
  let o = 0;
  for (const t of trainedTensors(spec, x)) {
    for (let i = 0; i < t.length; i++) t[i] = flat[o + i];
    o += t.length;
  }
}
