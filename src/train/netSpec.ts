import { isConv, type NetSpec } from '../net/network.ts';
import type { RunConfig } from './config.ts';

/** A run's network shape from its config (a file of its own: the page's main thread counts parameters without loading the training code). */
export function netSpecOf(c: RunConfig): NetSpec {
  // the RNN has one W (L = 1) shared over its T steps
  if (c.arch === 'rnn') return { arch: c.arch, d: c.d, m: c.m, L: 1, dOut: c.dOut, tau: c.tau, trainA: false, trainB: false, T: c.T };
  const spec: NetSpec = { arch: c.arch, d: c.d, m: c.m, L: c.L, dOut: c.dOut, tau: c.tau, trainA: c.trainA, trainB: c.trainB };
  return isConv(spec) ? { ...spec, q: c.q, window: c.window } : spec;
}
