import type { LabelKind } from '../net/data.ts';
import type { Arch } from '../net/network.ts';
import type { AlphaScaling } from '../net/outputScale.ts';
import { parseValue, type ValueSpec } from './fieldValue.ts';

/**
 * Everything that defines a run. One schema serves the CLI flags, the page URL and embed
 * attributes: values are validated at that edge and trusted inside.
 */
export interface RunConfig {
  arch: Arch;
  d: number;
  m: number;
  L: number;
  n: number;
  dOut: number;
  T: number; // RNN sequence length (the other architectures ignore it)
  tau: number;
  trainA: boolean;
  trainB: boolean;
  labels: LabelKind;
  closePairDelta: number | null; // null: no pair moved
  dataSeed: number;
  initSeed: number;
  batchSeed: number;
  lr: number | null; // eta; null means lrScale / lambda_max(K_0)
  lrScale: number; // c in eta = c / lambda_max(K_0)
  batch: number; // 0 = full batch
  steps: number;
  every: number; // record every K steps
  eps: number; // converged when F <= eps F_0
  // Generalization (src/net/teacher.ts) and the lazy/rich output scale (src/net/outputScale.ts)
  teacher: number; // k > 0: labels from the smooth teacher f* with k units (overrides labels); 0: none
  noise: number; // standard deviation of the noise on the teacher's training labels
  testN: number; // held-out test points of the teacher (used when teacher > 0)
  alpha: number | null; // output scale: fit alpha (f(W) - f(W_0)); null: the paper's f(W)
  alphaScaling: AlphaScaling; // 'mean-field': alpha / sqrt(m)
  q: number; // CNN: positions of the input signal (d is then its channel count c)
  window: number; // CNN: odd window s
}

export type FieldKind = 'int' | 'float' | 'enum' | 'bool' | 'nullableFloat';

/** A run field: how its text is read (src/train/fieldValue.ts), and its help line. */
export interface FieldSpec extends ValueSpec {
  key: keyof RunConfig;
  kind: FieldKind;
  help: string;
}

export const DEFAULT_CONFIG: RunConfig = {
  arch: 'fc',
  d: 8,
  m: 256,
  L: 2,
  n: 16,
  dOut: 1,
  T: 5,
  tau: 0.1,
  trainA: false,
  trainB: false,
  labels: 'gaussian',
  closePairDelta: null,
  dataSeed: 1,
  initSeed: 1,
  batchSeed: 1,
  lr: null,
  lrScale: 0.5,
  batch: 0,
  steps: 500,
  every: 10,
  eps: 1e-3,
  teacher: 0,
  noise: 0,
  testN: 1000,
  alpha: null,
  alphaScaling: 'const',
  q: 8,
  window: 3,
};

const SEED_MAX = 2 ** 31 - 1;

export const CONFIG_FIELDS: readonly FieldSpec[] = [
  { key: 'arch', kind: 'enum', values: ['fc', 'resnet', 'cnn', 'cnn-resnet', 'rnn'], help: 'fully-connected, residual, convolutional, residual convolutional or recurrent (ReLU RNN) network' },
  { key: 'd', kind: 'int', min: 1, max: 4096, help: 'input dimension (cnn: input channels c, also --c; rnn: per step)' },
  { key: 'm', kind: 'int', min: 1, max: 16384, help: 'width (neurons per layer)' },
  { key: 'L', kind: 'int', min: 1, max: 64, help: 'number of trained m x m layers (rnn: ignored, its one W is shared over time)' },
  { key: 'n', kind: 'int', min: 1, max: 4096, help: 'number of training points' },
  { key: 'dOut', kind: 'int', min: 1, max: 64, help: 'output dimension' },
  { key: 'T', kind: 'int', min: 1, max: 64, help: 'RNN sequence length (the loss starts at t = 2, so rnn needs T >= 2)' },
  { key: 'tau', kind: 'float', min: 0, max: 10, help: 'ResNet branch scale tau' },
  { key: 'trainA', kind: 'bool', help: 'also train the input layer A' },
  { key: 'trainB', kind: 'bool', help: 'also train the output layer B' },
  { key: 'labels', kind: 'enum', values: ['gaussian', 'sign', 'teacher'], help: 'label distribution' },
  { key: 'closePairDelta', kind: 'nullableFloat', min: 0, max: 2, help: 'move x_1 to this distance from x_0' },
  { key: 'dataSeed', kind: 'int', min: 0, max: SEED_MAX, help: 'seed of the data stream' },
  { key: 'initSeed', kind: 'int', min: 0, max: SEED_MAX, help: 'seed of the initialization stream' },
  { key: 'batchSeed', kind: 'int', min: 0, max: SEED_MAX, help: 'seed of the mini-batch order stream' },
  { key: 'lr', kind: 'nullableFloat', min: 1e-12, max: 1e6, help: 'step size eta (default: lr-scale / lambda_max(K_0))' },
  { key: 'lrScale', kind: 'float', min: 1e-6, max: 100, help: 'c in eta = c / lambda_max(K_0)' },
  { key: 'batch', kind: 'int', min: 0, max: 4096, help: 'mini-batch size (0 = full batch)' },
  { key: 'steps', kind: 'int', min: 0, max: 10_000_000, help: 'number of updates' },
  { key: 'every', kind: 'int', min: 1, max: 10_000_000, help: 'record every K steps' },
  { key: 'eps', kind: 'float', min: 0, max: 1, help: 'converged when F <= eps F_0' },
  { key: 'teacher', kind: 'int', min: 0, max: 256, help: 'k > 0: labels f*(x) = sum_r a_r tanh(<w_r,x>) of a k-unit teacher, with a held-out test set (overrides labels)' },
  { key: 'noise', kind: 'float', min: 0, max: 100, help: 'std of Gaussian noise on the teacher\'s training labels (test labels are noiseless)' },
  { key: 'testN', kind: 'int', min: 1, max: 100_000, help: 'held-out test points of the teacher' },
  { key: 'alpha', kind: 'nullableFloat', min: 1e-6, max: 1e6, help: 'output scale: train alpha (f(W) - f(W_0)) with loss (1/alpha^2) sum 1/2||alpha(f - f_0) - y||^2 (none: the paper\'s f(W))' },
  { key: 'alphaScaling', kind: 'enum', values: ['const', 'mean-field'], help: 'alpha as given, or alpha / sqrt(m) (the 1/m mean-field output scale)' },
  { key: 'q', kind: 'int', min: 1, max: 1024, help: 'cnn: positions of the 1-D input signal' },
  { key: 'window', kind: 'int', min: 1, max: 63, help: 'cnn: odd window s (circular padding; m is the channel count)' },
];

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Text the user supplied, quoted for a one-line message: JSON escapes (so a newline cannot start a
 * second line) and at most `max` characters of it (a 100,000-character value stays readable).
 */
export function quoteInput(raw: string, max = 60): string {
  return JSON.stringify(raw.length > max ? `${raw.slice(0, max - 3)}...` : raw);
}

export function describeRange(f: FieldSpec): string {
  switch (f.kind) {
    case 'enum':
      return `one of ${f.values!.join(', ')}`;
    case 'bool':
      return 'true or false';
    case 'int':
      return `an integer in [${f.min}, ${f.max}]`;
    case 'nullableFloat':
      return `a number in [${f.min}, ${f.max}] or auto`;
    default:
      return `a number in [${f.min}, ${f.max}]`;
  }
}

/** Parses one field from text (src/train/fieldValue.ts). Throws ConfigError naming the field and the allowed range. */
export function parseField(f: FieldSpec, raw: string, label: string = f.key): RunConfig[keyof RunConfig] {
  const parsed = parseValue(f, raw);
  if (!parsed.ok) throw new ConfigError(label, `${label}: got ${quoteInput(raw)}, expected ${describeRange(f)}`);
  return parsed.value as RunConfig[keyof RunConfig];
}

/**
 * A mini-batch can hold at most the whole data set (batch 0 means full batch). The one cross-field
 * rule on batch: the CLI refuses a larger one, the page turns it into full batch (src/state/urlState.ts).
 */
export function batchExceedsData(c: Pick<RunConfig, 'batch' | 'n'>): boolean {
  return c.batch > c.n;
}

/**
 * Cross-field checks that single-field ranges cannot express. `name` says how a message names a
 * field (the CLI passes its flags, so "--batch" rather than "batch").
 */
export function checkConfig(c: RunConfig, name: (key: keyof RunConfig) => string = (key) => key): void {
  if (batchExceedsData(c)) throw new ConfigError('batch', `${name('batch')}: got ${c.batch}, expected at most n = ${c.n} (${name('n')}; or 0 for full batch)`);
  if (c.closePairDelta !== null && c.n < 2) throw new ConfigError('closePairDelta', `${name('closePairDelta')} needs n >= 2 (${name('n')})`);
  if (c.window % 2 === 0) throw new ConfigError('window', `${name('window')}: got ${c.window}, expected an odd window (s = 2r + 1)`);
  const inputs = c.arch === 'cnn' || c.arch === 'cnn-resnet' ? c.q * c.d : c.d;
  if (inputs < 2) throw new ConfigError('d', `${name('d')}: got ${c.d}, expected an input of at least 2 numbers per point (${c.arch === 'fc' || c.arch === 'resnet' ? 'd >= 2' : 'q c >= 2'})`);
  if (c.arch === 'cnn' || c.arch === 'cnn-resnet') checkPointDataOnly(c, name);
  if (c.arch === 'rnn') checkRnnConfig(c, name);
}

/** The teacher's test set and the output scale are built for point data (fc, resnet). */
function checkPointDataOnly(c: RunConfig, name: (key: keyof RunConfig) => string): void {
  if (c.teacher > 0) throw new ConfigError('teacher', `${name('teacher')}: the teacher and its test set are for the fc and resnet networks, not ${c.arch}`);
  if (c.alpha !== null) throw new ConfigError('alpha', `${name('alpha')}: the output scale is for the fc and resnet networks, not ${c.arch}`);
}

/**
 * The RNN (Allen-Zhu, Li, Song, NeurIPS 2019) trains W alone, and its loss starts at t = 2 (B h_1 does
 * not depend on W): with T = 1 nothing could be fit and the step size c / lambda_max(K_0) is undefined.
 */
function checkRnnConfig(c: RunConfig, name: (key: keyof RunConfig) => string): void {
  checkPointDataOnly(c, name);
  if (c.T < 2) throw new ConfigError('T', `${name('T')}: got ${c.T}; the RNN's loss starts at t = 2 (B h_1 does not depend on W), so it needs T >= 2`);
  if (c.trainA) throw new ConfigError('trainA', `${name('trainA')}: the RNN trains W only (as in the paper); A stays at its initialization`);
  if (c.trainB) throw new ConfigError('trainB', `${name('trainB')}: the RNN trains W only (as in the paper); B stays at its initialization`);
}
