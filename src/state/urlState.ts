import { CONFIG_FIELDS, DEFAULT_CONFIG, type FieldSpec, type RunConfig } from '../train/config.ts';
import { matchChoice, PANEL_CHOICES, panelChoice } from './panelChoices.ts';

/**
 * The reader's controls as a typed schema: each maps a URL parameter (and, for embeds, an element
 * attribute of the same name) to a RunConfig field, with the range the page allows, narrower than
 * the CLI's where the browser could not keep up. Reading never throws: a value that does not parse
 * falls back to the default, one out of range is clamped, and each such repair yields a notice
 * for the page to show as text. Writing puts only values that differ from the defaults.
 */

/** What changing a control does to the figure. */
export type Effect =
  | 'run' // a new run; earlier curves stay on the chart (they differ only in this control)
  | 'figure'; // a new run, and earlier curves are cleared (they are no longer comparable)

export interface StateField {
  param: string; // URL parameter and attribute name: lower case, no hyphen
  key: keyof RunConfig;
  label: string; // how notices and controls name it
  spec: FieldSpec; // kind, help and range: CONFIG_FIELDS narrowed to the page's range
  effect: Effect;
}

export type ControlName = 'slider' | 'transport' | 'sweep' | 'settings';
export const CONTROL_NAMES: readonly ControlName[] = ['slider', 'transport', 'sweep', 'settings'];

export interface PageState {
  config: RunConfig;
  /** Controls left out of the figure (presets, embeds). */
  hide: ControlName[];
  /** Start training as soon as the figure is on screen (off: wait for play). */
  autoplay: boolean;
  /** The step axis: linear (a linear rate is a straight line) or logarithmic (early steps spread out). */
  stepAxis: 'linear' | 'log';
  /** The panels' own choices, by parameter (src/state/panelChoices.ts): only those made, each on its list. */
  choices: Readonly<Record<string, string>>;
}

export interface Notice {
  param: string;
  message: string;
}

/** The live figure's run when the URL says nothing: loss falls 10^4-fold in about a second. */
export const PAGE_DEFAULTS: RunConfig = {
  ...DEFAULT_CONFIG,
  n: 16,
  d: 8,
  L: 2,
  m: 256,
  lrScale: 0.5,
  steps: 20_000,
  every: 1, // full-batch GD evaluates F at every step anyway: a record per step is nearly free
  eps: 1e-4,
};

export const WIDTH_MIN = 8;
export const WIDTH_MAX = 4096;

function narrowed(key: keyof RunConfig, range: { min?: number; max?: number }): FieldSpec {
  const base = CONFIG_FIELDS.find((f) => f.key === key);
  if (!base) throw new Error(`no config field ${key}`);
  return {
    ...base,
    min: Math.max(base.min ?? -Infinity, range.min ?? -Infinity),
    max: Math.min(base.max ?? Infinity, range.max ?? Infinity),
  };
}

function field(param: string, key: keyof RunConfig, label: string, effect: Effect, range: { min?: number; max?: number } = {}): StateField {
  return { param, key, label, effect, spec: narrowed(key, range) };
}

export const STATE_FIELDS: readonly StateField[] = [
  field('width', 'm', 'width m', 'run', { min: WIDTH_MIN, max: WIDTH_MAX }),
  field('depth', 'L', 'depth L', 'figure', { min: 1, max: 8 }),
  field('arch', 'arch', 'architecture', 'figure'),
  field('tau', 'tau', 'residual scale \u03c4', 'figure', { min: 0, max: 2 }),
  field('n', 'n', 'training points n', 'figure', { min: 2, max: 128 }),
  field('d', 'd', 'input dimension d', 'figure', { min: 2, max: 256 }),
  field('lrscale', 'lrScale', 'step-size scale c', 'figure', { min: 0.01, max: 100 }),
  field('batch', 'batch', 'mini-batch (0: full)', 'figure', { min: 0, max: 128 }),
  field('labels', 'labels', 'labels', 'figure'),
  field('dataseed', 'dataSeed', 'data seed', 'figure'),
  field('initseed', 'initSeed', 'initialization seed', 'figure'),
  field('steps', 'steps', 'step limit', 'run', { min: 10, max: 1_000_000 }),
];

export function stateField(key: keyof RunConfig): StateField {
  const f = STATE_FIELDS.find((s) => s.key === key);
  if (!f) throw new Error(`no state field for ${key}`);
  return f;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Quotes a raw value for a notice, shortened; the page shows notices as text, never as HTML. */
function quote(raw: string): string {
  const s = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  return JSON.stringify(s);
}

export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/**
 * One control's value from text: parsed, rounded, clamped. Returns the value to use and, when the
 * text was not used as it is, a notice saying what was done instead.
 */
export function readField(f: StateField, raw: string, fallback: RunConfig[keyof RunConfig]): { value: RunConfig[keyof RunConfig]; notice?: Notice } {
  const { spec } = f;
  const text = raw.trim();
  const notice = (message: string) => ({ param: f.param, message: `${f.label}: ${message}` });
  if (spec.kind === 'enum') {
    if (spec.values!.includes(text)) return { value: text as RunConfig[keyof RunConfig] };
    return { value: fallback, notice: notice(`${quote(raw)} is not one of ${spec.values!.join(', ')}; using ${formatValue(fallback)}`) };
  }
  if (spec.kind === 'bool') {
    if (text === 'true' || text === '1') return { value: true };
    if (text === 'false' || text === '0') return { value: false };
    return { value: fallback, notice: notice(`${quote(raw)} is not true or false; using ${formatValue(fallback)}`) };
  }
  if (!NUMBER.test(text) || !Number.isFinite(Number(text))) {
    return { value: fallback, notice: notice(`${quote(raw)} is not a number; using ${formatValue(fallback)}`) };
  }
  let v = Number(text);
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  if (v < min) {
    return { value: min, notice: notice(`${formatValue(v)} is below the smallest allowed, ${formatValue(min)}; using ${formatValue(min)}`) };
  }
  if (v > max) {
    return { value: max, notice: notice(`${formatValue(v)} is above the largest allowed, ${formatValue(max)}; using ${formatValue(max)}`) };
  }
  if (spec.kind === 'int' && !Number.isInteger(v)) {
    const r = Math.round(v);
    v = Math.min(max, Math.max(min, r));
    return { value: v, notice: notice(`${formatValue(Number(text))} is not a whole number; using ${v}`) };
  }
  return { value: v };
}

/** Cross-field repairs: a mini-batch larger than the data set becomes full batch. */
function reconcile(config: RunConfig, notices: Notice[]): void {
  if (config.batch > config.n) {
    notices.push({ param: 'batch', message: `mini-batch: ${config.batch} is more than n = ${config.n}; using full batch` });
    config.batch = 0;
  }
}

/** URL parameters of the presentation, beside the run's STATE_FIELDS. */
export const VIEW_PARAMS = ['hide', 'autoplay', 'stepaxis'] as const;

export const DEFAULT_STATE: PageState = { config: PAGE_DEFAULTS, hide: [], autoplay: true, stepAxis: 'linear', choices: {} };

/** Reads the page state from URL parameters (or an element's attributes, as name/value pairs). */
export function readState(params: Iterable<[string, string]>, defaults: PageState = DEFAULT_STATE): { state: PageState; notices: Notice[] } {
  const config: RunConfig = { ...defaults.config };
  const choices: Record<string, string> = { ...defaults.choices };
  const state: PageState = { config, hide: [...defaults.hide], autoplay: defaults.autoplay, stepAxis: defaults.stepAxis, choices };
  const notices: Notice[] = [];
  for (const [name, raw] of params) {
    const param = name.toLowerCase();
    const f = STATE_FIELDS.find((s) => s.param === param);
    if (f) {
      const { value, notice } = readField(f, raw, defaults.config[f.key]);
      (config as unknown as Record<string, unknown>)[f.key] = value;
      if (notice) notices.push(notice);
    } else if (param === 'autoplay') {
      if (raw === 'true' || raw === '1' || raw === '') state.autoplay = true;
      else if (raw === 'false' || raw === '0') state.autoplay = false;
      else notices.push({ param, message: `autoplay: ${quote(raw)} is not true or false; using ${defaults.autoplay}` });
    } else if (param === 'stepaxis') {
      if (raw === 'linear' || raw === 'log') state.stepAxis = raw;
      else notices.push({ param, message: `step axis: ${quote(raw)} is not linear or log; using ${defaults.stepAxis}` });
    } else if (param === 'hide') {
      const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((s) => !(CONTROL_NAMES as readonly string[]).includes(s));
      state.hide = names.filter((s): s is ControlName => (CONTROL_NAMES as readonly string[]).includes(s));
      if (bad.length) notices.push({ param, message: `hide: ${bad.map(quote).join(', ')} ${bad.length === 1 ? 'is not a control' : 'are not controls'}; controls are ${CONTROL_NAMES.join(', ')}` });
    } else {
      const c = panelChoice(param);
      if (c) {
        const v = matchChoice(c, raw);
        if (v !== null) choices[c.param] = v;
        else {
          delete choices[c.param];
          notices.push({ param: c.param, message: `${c.label}: ${quote(raw)} is not one of ${c.values.join(', ')}; using ${c.fallback}` });
        }
      }
    }
    // other parameters belong to someone else (analytics, a host page): leave them alone
  }
  reconcile(config, notices);
  return { state, notices };
}

/** The parameters that differ from the defaults, in schema order. */
export function writeState(state: PageState, defaults: PageState = DEFAULT_STATE): [string, string][] {
  const out: [string, string][] = [];
  for (const f of STATE_FIELDS) {
    const v = state.config[f.key];
    if (v !== defaults.config[f.key]) out.push([f.param, formatValue(v)]);
  }
  if (state.hide.length) out.push(['hide', state.hide.join(',')]);
  if (state.autoplay !== defaults.autoplay) out.push(['autoplay', String(state.autoplay)]);
  if (state.stepAxis !== defaults.stepAxis) out.push(['stepaxis', state.stepAxis]);
  for (const c of PANEL_CHOICES) {
    const v = state.choices[c.param];
    if (v !== undefined && v !== (defaults.choices[c.param] ?? c.fallback)) out.push([c.param, v]);
  }
  return out;
}

/** A URL query string for the state, keeping parameters the schema does not own. */
export function stateQuery(state: PageState, current: URLSearchParams, defaults: PageState = DEFAULT_STATE): string {
  const owned = new Set([...STATE_FIELDS.map((f) => f.param), ...VIEW_PARAMS, ...PANEL_CHOICES.map((c) => c.param)]);
  const params = new URLSearchParams();
  for (const [k, v] of current) if (!owned.has(k.toLowerCase())) params.append(k, v);
  for (const [k, v] of writeState(state, defaults)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
