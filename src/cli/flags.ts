import { referenceKernels, type MatrixKernels } from '../net/kernels.ts';
import { fastestKernels } from '../net/wasmKernels.ts';
import {
  CONFIG_FIELDS,
  ConfigError,
  checkConfig,
  describeRange,
  parseField,
  quoteInput,
  type FieldSpec,
  type RunConfig,
} from '../train/config.ts';
import { parseValue, parseValueList } from '../train/fieldValue.ts';
import { parseOrExit } from './exitOnError.ts';

/** CLI flag name of each config field. */
export const FLAG_OF: Record<keyof RunConfig, string> = {
  arch: 'arch',
  d: 'd',
  m: 'm',
  L: 'L',
  n: 'n',
  dOut: 'out',
  T: 'T',
  tau: 'tau',
  trainA: 'train-a',
  trainB: 'train-b',
  labels: 'labels',
  closePairDelta: 'close-delta',
  dataSeed: 'data-seed',
  initSeed: 'init-seed',
  batchSeed: 'batch-seed',
  lr: 'lr',
  lrScale: 'lr-scale',
  batch: 'batch',
  steps: 'steps',
  every: 'every',
  eps: 'eps',
  teacher: 'teacher',
  noise: 'noise',
  testN: 'test-n',
  alpha: 'alpha',
  alphaScaling: 'alpha-scaling',
  q: 'q',
  window: 'window',
};

/** Other names a config flag answers to: --c is the CNN's input channel count, stored as d. */
const FLAG_ALIASES: Record<string, keyof RunConfig> = { c: 'd' };

export interface ExtraFlag {
  name: string;
  kind: 'string' | 'int' | 'bool' | 'list' | 'names';
  min?: number;
  max?: number;
  values?: readonly string[]; // for 'names': the allowed names (plus 'all' and 'none')
  help: string;
}

/** --max-memory: the most one run may take, in MB (a run over it is refused before it allocates). */
export const MAX_MEMORY_FLAG: ExtraFlag = {
  name: 'max-memory',
  kind: 'int',
  min: 1,
  max: 1_000_000,
  help: 'refuse a run whose estimated memory is over MB megabytes (default 20000: sized for a 24 GiB machine)',
};
export const DEFAULT_MAX_MEMORY_MB = 20_000;

/** --kernels: the fast WebAssembly kernels (falling back to TypeScript where unavailable) or the reference ones. */
export const KERNELS_FLAG: ExtraFlag = {
  name: 'kernels',
  kind: 'names',
  values: ['wasm', 'ts'],
  help: 'matrix kernels: wasm (default; TypeScript when WebAssembly SIMD is unavailable) or ts',
};

export async function kernelsFor(choice: unknown): Promise<MatrixKernels> {
  return Array.isArray(choice) && choice.length === 1 && choice[0] === 'ts' ? referenceKernels : fastestKernels();
}

export interface ParsedArgs {
  config: RunConfig;
  extras: Record<string, string | number | boolean | number[] | string[]>;
  help: boolean;
}

/** Usage text from the same schema that validates. */
export function usage(command: string, extras: readonly ExtraFlag[], defaults: RunConfig): string {
  const lines = [`usage: npm run -s ${command} -- [flags]`, '', 'flags:'];
  const pad = (s: string) => s.padEnd(20);
  lines.push(`  ${pad('--seed S')}sets the data, init and batch seeds (an integer in [0, 2147483647])`);
  for (const f of CONFIG_FIELDS) {
    const def = defaults[f.key];
    lines.push(`  ${pad(`--${FLAG_OF[f.key]}${f.kind === 'bool' ? '' : ' V'}`)}${f.help}; ${describeRange(f)} (default ${def === null ? 'auto' : def})`);
  }
  for (const e of extras) lines.push(`  ${pad(`--${e.name}${e.kind === 'bool' ? '' : ' V'}`)}${e.help}`);
  lines.push(`  ${pad('--help')}this text`);
  return lines.join('\n');
}

function parseExtra(e: ExtraFlag, raw: string): string | number | boolean | number[] | string[] {
  const bad = (expect: string) => new ConfigError(e.name, `--${e.name}: got ${quoteInput(raw)}, expected ${expect}`);
  switch (e.kind) {
    case 'string':
      if (raw === '') throw bad('a value');
      return raw;
    case 'bool':
      return true;
    case 'int': {
      const parsed = parseValue({ kind: 'int', min: e.min, max: e.max }, raw);
      if (!parsed.ok) throw bad(`an integer in [${e.min}, ${e.max}]`);
      return parsed.value as number;
    }
    case 'names': {
      if (raw === 'all') return [...e.values!];
      if (raw === 'none') return [];
      const names = raw.split(',').map((s) => s.trim());
      if (names.some((n) => !e.values!.includes(n))) throw bad(`all, none, or a comma-separated subset of ${e.values!.join(',')}`);
      return names;
    }
    case 'list': {
      const values = parseValueList({ kind: 'int', min: e.min, max: e.max }, raw);
      if (!values) throw bad(`comma-separated integers in [${e.min}, ${e.max}]`);
      return values as number[];
    }
  }
}

/** An unknown flag as typed, for a message: bare when it is a plain name, else quoted and shortened (one line, any length). */
function flagText(name: string): string {
  return /^[A-Za-z][\w-]{0,40}$/.test(name) ? `--${name}` : quoteInput(`--${name}`);
}

/** Parses argv against the config schema and the command's own flags. Throws ConfigError. */
export function parseArgs(argv: readonly string[], defaults: RunConfig, extras: readonly ExtraFlag[] = []): ParsedArgs {
  const config: RunConfig = { ...defaults };
  const extraValues: ParsedArgs['extras'] = {};
  const byFlag = new Map<string, FieldSpec>(CONFIG_FIELDS.map((f) => [FLAG_OF[f.key], f]));
  for (const [alias, key] of Object.entries(FLAG_ALIASES)) byFlag.set(alias, CONFIG_FIELDS.find((f) => f.key === key)!);
  const extraByName = new Map(extras.map((e) => [e.name, e]));
  let seed: number | null = null;
  const explicitSeeds = new Set<string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') throw new ConfigError(arg, `unexpected argument "--": the commands take no arguments after their flags (flags are --name value or --name=value; see --help)`);
    if (!arg.startsWith('--')) throw new ConfigError(arg, `unexpected argument ${quoteInput(arg)}; flags start with --`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const field = byFlag.get(name);
    const extra = extraByName.get(name);
    const isBool = field?.kind === 'bool' || extra?.kind === 'bool';
    if (!field && !extra && name !== 'seed') throw new ConfigError(name, `unknown flag ${flagText(name)} (see --help)`);
    if (value === undefined && !isBool) {
      value = argv[++i];
      if (value === undefined) throw new ConfigError(name, `--${name} needs a value`); // a known flag: its name is safe to print
    }
    const raw = value ?? '';
    if (name === 'seed') {
      const v = parseField(CONFIG_FIELDS.find((f) => f.key === 'dataSeed')!, raw, '--seed');
      seed = v as number;
    } else if (field) {
      (config as unknown as Record<string, unknown>)[field.key] = parseField(field, raw, `--${name}`);
      if (field.key.endsWith('Seed')) explicitSeeds.add(field.key);
    } else if (extra) {
      extraValues[extra.name] = parseExtra(extra, raw);
    }
  }
  if (seed !== null) {
    for (const k of ['dataSeed', 'initSeed', 'batchSeed'] as const) if (!explicitSeeds.has(k)) config[k] = seed;
  }
  checkConfig(config, (key) => `--${FLAG_OF[key]}`);
  return { config, extras: extraValues, help };
}

/**
 * The command line of a run command (experiment, sweep): the parsed flags, or null once --help has
 * printed the usage. A bad flag ends the process with one line on stderr and exit code 2.
 */
export function readCommandLine(command: string, argv: readonly string[], defaults: RunConfig, extras: readonly ExtraFlag[]): ParsedArgs | null {
  const parsed = parseOrExit(command, () => parseArgs(argv, defaults, extras));
  if (!parsed.help) return parsed;
  process.stdout.write(usage(command, extras, defaults) + '\n');
  return null;
}
