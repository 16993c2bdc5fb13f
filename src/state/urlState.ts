import { batchExceedsData, CONFIG_FIELDS, DEFAULT_CONFIG, type FieldSpec, type RunConfig } from '../train/config.ts';
import { repairBudget } from './runBudget.ts';
import { parseValue, type Value, type ValueProblem, type ValueSpec } from '../train/fieldValue.ts';
import { matchChoice, PANEL_CHOICES, panelChoice } from './panelChoices.ts';

/**
 * The reader's controls as a typed schema: each maps a URL parameter (and, for embeds, an element
 * attribute of the same name) to a RunConfig field (STATE_FIELDS, with the range the page allows,
 * narrower than the CLI's where the browser could not keep up) or to a presentation setting
 * (VIEW_FIELDS). Text is read by the CLI's parser (src/train/fieldValue.ts), so both accept the
 * same text; but reading here never throws: a value that does not parse falls back to the
 * default, one out of range is clamped, and each such repair yields a notice for the page to show
 * as text. A parameter given more than once counts by its last value (lastValueOfEach). Writing
 * puts only values that differ from the defaults.
 */

/** What changing a control does to the figure. */
export type Effect =
  | 'run' // a new run; earlier curves stay on the chart (they differ only in this control)
  | 'figure' // a new run, and earlier curves are cleared (they are no longer comparable)
  | 'view'; // no new run: only how the figure looks or starts

/** A run field: a URL parameter (and embed attribute) for one RunConfig field. */
export interface StateField {
  group: 'run';
  param: string; // URL parameter and attribute name: lower case, no hyphen
  key: keyof RunConfig;
  label: string; // how notices and controls name it
  spec: FieldSpec; // kind, help and range: CONFIG_FIELDS narrowed to the page's range
  effect: Effect;
}

/** The presentation's part of PageState, beside the run's config. */
export type ViewKey = 'hide' | 'autoplay' | 'stepAxis';

/** A view field: a URL parameter (and embed attribute) for one presentation setting of PageState. */
export interface ViewField<K extends ViewKey = ViewKey> {
  group: 'view';
  param: string;
  key: K;
  label: string; // how notices name it
  what: string; // what it does, for README's attribute table
  spec: ValueSpec & { noun?: string }; // noun: what one of a list's names is, for notices
  fallback: PageState[K]; // the default
  effect: Effect;
}

/** Every parameter the schema owns besides the panels' choices: read and written by one code path. */
export type PageField = StateField | ViewField;

export type ControlName = 'slider' | 'transport' | 'sweep' | 'settings';
export const CONTROL_NAMES: readonly ControlName[] = ['slider', 'transport', 'sweep', 'settings'];
export type StepAxis = 'linear' | 'log';
export const STEP_AXES: readonly StepAxis[] = ['linear', 'log'];

export interface PageState {
  config: RunConfig;
  /** Controls left out of the figure (presets, embeds). */
  hide: ControlName[];
  /** Start training as soon as the figure is on screen (off: wait for play). */
  autoplay: boolean;
  /** The step axis: linear (a linear rate is a straight line) or logarithmic (early steps spread out). */
  stepAxis: StepAxis;
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

/** A page range: numbers between min and max, or for an enum, a sublist of its values. */
interface PageRange {
  min?: number;
  max?: number;
  values?: readonly string[];
}

function narrowed(key: keyof RunConfig, range: PageRange): FieldSpec {
  const base = CONFIG_FIELDS.find((f) => f.key === key);
  if (!base) throw new Error(`no config field ${key}`);
  return {
    ...base,
    min: Math.max(base.min ?? -Infinity, range.min ?? -Infinity),
    max: Math.min(base.max ?? Infinity, range.max ?? Infinity),
    ...(range.values ? { values: base.values!.filter((v) => range.values!.includes(v)) } : {}),
  };
}

function field(param: string, key: keyof RunConfig, label: string, effect: Effect, range: PageRange = {}): StateField {
  return { group: 'run', param, key, label, effect, spec: narrowed(key, range) };
}

export const STATE_FIELDS: readonly StateField[] = [
  field('width', 'm', 'width m', 'run', { min: WIDTH_MIN, max: WIDTH_MAX }),
  field('depth', 'L', 'depth L', 'figure', { min: 1, max: 8 }),
  // the page's run settings are the FC network's; the CNN and the RNN have figures of their own (their panel choices)
  field('arch', 'arch', 'architecture', 'figure', { values: ['fc', 'resnet'] }),
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

function viewField<K extends ViewKey>(f: Omit<ViewField<K>, 'group' | 'effect'>): ViewField<K> {
  return { group: 'view', effect: 'view', ...f };
}

/** The presentation's parameters, beside the run's STATE_FIELDS. */
export const VIEW_FIELDS: readonly [ViewField<'hide'>, ViewField<'autoplay'>, ViewField<'stepAxis'>] = [
  viewField({ param: 'hide', key: 'hide', label: 'hide', what: 'controls to leave out', spec: { kind: 'names', values: CONTROL_NAMES, noun: 'control' }, fallback: [] }),
  viewField({ param: 'autoplay', key: 'autoplay', label: 'autoplay', what: 'train once on screen', spec: { kind: 'bool' }, fallback: true }),
  viewField({ param: 'stepaxis', key: 'stepAxis', label: 'step axis', what: 'step axis', spec: { kind: 'enum', values: STEP_AXES }, fallback: 'linear' }),
];

export const VIEW_PARAMS: readonly string[] = VIEW_FIELDS.map((f) => f.param);

/** Run fields, then view fields: the order parameters are written in. */
export const PAGE_FIELDS: readonly PageField[] = [...STATE_FIELDS, ...VIEW_FIELDS];

export function stateField(key: keyof RunConfig): StateField {
  const f = STATE_FIELDS.find((s) => s.key === key);
  if (!f) throw new Error(`no state field for ${key}`);
  return f;
}

/** A field's value in a state. */
export function fieldValue(state: PageState, f: PageField): Value {
  return f.group === 'run' ? state.config[f.key] : state[f.key];
}

function setFieldValue(state: PageState, f: PageField, value: Value): void {
  // the value passed the field's own spec, so it has the field's type
  if (f.group === 'run') (state.config as unknown as Record<string, Value>)[f.key] = value;
  else (state as unknown as Record<string, Value>)[f.key] = Array.isArray(value) ? [...value] : value;
}

/**
 * Quotes a raw value for a notice, shortened to 40 characters (code points, so an emoji is never
 * cut in half into an escaped lone surrogate); the page shows notices as text, never as HTML.
 */
export function quote(raw: string): string {
  const chars = Array.from(raw.length > 200 ? raw.slice(0, 200) : raw);
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 37).join('')}...` : raw);
}

/**
 * A number as the reader typed it, for a notice: bare when it is a plain decimal ("99", "-5",
 * "3.5"), else quoted ("1e9", "99999999999999999999" beyond 40 digits). Not the parsed number:
 * that can name another value (1e-400 reads as 0, 99999999999999999999 prints as 100000000000000000000,
 * 8.0000001 as 8, which made "8 is not a whole number").
 */
function asTyped(raw: string): string {
  const text = raw.trim();
  return text.length <= 40 && /^[-+]?\d+(\.\d+)?$/.test(text) ? text : quote(raw);
}

/** A value as the page shows it (notices, inputs, README). */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  return String(v);
}

/** A value as a URL parameter or attribute writes it (read back by parseValue). */
function paramText(v: Value): string {
  return Array.isArray(v) ? v.join(',') : formatValue(v);
}

function sameValue(a: Value, b: Value): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
}

/** What an unreadable value was expected to be, for a notice. */
function expected(spec: ValueSpec): string {
  switch (spec.kind) {
    case 'bool':
      return 'true or false';
    case 'enum':
    case 'names': {
      const values = spec.values!;
      return values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
    }
    default:
      return 'a number';
  }
}

function repairMessage(f: PageField, raw: string, problem: ValueProblem, used: Value): string {
  const using = `using ${formatValue(used)}`;
  switch (problem.reason) {
    case 'unreadable':
      return `${quote(raw)} is not ${expected(f.spec)}; ${using}`;
    case 'below-min':
      return `${asTyped(raw)} is below the smallest allowed, ${formatValue(problem.nearest)}; ${using}`;
    case 'above-max':
      return `${asTyped(raw)} is above the largest allowed, ${formatValue(problem.nearest)}; ${using}`;
    case 'not-integer':
      return `${asTyped(raw)} is not a whole number; ${using}`;
    case 'unknown-names': {
      const noun = ('noun' in f.spec && f.spec.noun) || 'name';
      const bad = problem.unknown.map(quote).join(', ');
      return `${bad} ${problem.unknown.length === 1 ? `is not a ${noun}` : `are not ${noun}s`}; ${noun}s are ${f.spec.values!.join(', ')}`;
    }
  }
}

/**
 * One field's value from text, by the parser the CLI uses too (src/train/fieldValue.ts), repaired
 * rather than refused: out of range is clamped, a fraction rounded, unknown names dropped, and
 * what cannot be read at all falls back to `fallback`. A repair comes with a notice saying so.
 */
export function readField(f: PageField, raw: string, fallback: Value): { value: Value; notice?: Notice } {
  const parsed = parseValue(f.spec, raw);
  if (parsed.ok) return { value: parsed.value };
  const value = parsed.reason === 'unreadable' ? fallback : parsed.nearest;
  return { value, notice: { param: f.param, message: `${f.label}: ${repairMessage(f, raw, parsed, value)}` } };
}

/**
 * The page's side of the rule on batch (batchExceedsData): a mini-batch larger than the data set
 * becomes full batch. Repairs `config` in place; returns the notice, if any, as a list to spread.
 */
export function repairBatch(config: RunConfig): Notice[] {
  if (!batchExceedsData(config)) return [];
  const notice = { param: 'batch', message: `mini-batch: ${config.batch} is more than n = ${config.n}; using full batch` };
  config.batch = 0;
  return [notice];
}

export const DEFAULT_STATE: PageState = {
  config: PAGE_DEFAULTS,
  hide: VIEW_FIELDS[0].fallback,
  autoplay: VIEW_FIELDS[1].fallback,
  stepAxis: VIEW_FIELDS[2].fallback,
  choices: {},
};

/**
 * Repeated parameters: the last value wins (?width=abc&width=512 trains width 512, with no notice
 * about "abc"), and names are compared in lower case, as HTML attribute names are. The essay's
 * URL (readState) and embed.html's copy of its query into attributes both go through this, so
 * the two pages read a link the same way. Each name keeps the place of its first occurrence.
 */
export function lastValueOfEach(params: Iterable<[string, string]>): [string, string][] {
  const last = new Map<string, string>();
  for (const [name, value] of params) last.set(name.toLowerCase(), value);
  return [...last];
}

/** Reads the page state from URL parameters (or an element's attributes, as name/value pairs). */
export function readState(params: Iterable<[string, string]>, defaults: PageState = DEFAULT_STATE): { state: PageState; notices: Notice[] } {
  const choices: Record<string, string> = { ...defaults.choices };
  const state: PageState = { config: { ...defaults.config }, hide: [...defaults.hide], autoplay: defaults.autoplay, stepAxis: defaults.stepAxis, choices };
  const notices: Notice[] = [];
  for (const [param, raw] of lastValueOfEach(params)) {
    const f = PAGE_FIELDS.find((s) => s.param === param);
    if (f) {
      const { value, notice } = readField(f, raw, fieldValue(defaults, f));
      setFieldValue(state, f, value);
      if (notice) notices.push(notice);
      continue;
    }
    const c = panelChoice(param);
    if (c) {
      const v = matchChoice(c, raw);
      if (v !== null) choices[c.param] = v;
      else {
        delete choices[c.param];
        notices.push({ param: c.param, message: `${c.label}: ${quote(raw)} is not one of ${c.values.join(', ')}; using ${c.fallback}` });
      }
    }
    // other parameters belong to someone else (analytics, a host page): leave them alone
  }
  notices.push(...repairBatch(state.config));
  notices.push(...repairBudget(state.config, defaults.config));
  return { state, notices };
}

/** The parameters that differ from the defaults, in schema order. */
export function writeState(state: PageState, defaults: PageState = DEFAULT_STATE): [string, string][] {
  const out: [string, string][] = [];
  for (const f of PAGE_FIELDS) {
    const v = fieldValue(state, f);
    if (!sameValue(v, fieldValue(defaults, f))) out.push([f.param, paramText(v)]);
  }
  for (const c of PANEL_CHOICES) {
    const v = state.choices[c.param];
    if (v !== undefined && v !== (defaults.choices[c.param] ?? c.fallback)) out.push([c.param, v]);
  }
  return out;
}

/** A URL query string for the state, keeping parameters the schema does not own. */
export function stateQuery(state: PageState, current: URLSearchParams, defaults: PageState = DEFAULT_STATE): string {
  const owned = new Set([...PAGE_FIELDS.map((f) => f.param), ...PANEL_CHOICES.map((c) => c.param)]);
  const params = new URLSearchParams();
  for (const [k, v] of current) if (!owned.has(k.toLowerCase())) params.append(k, v);
  for (const [k, v] of writeState(state, defaults)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
