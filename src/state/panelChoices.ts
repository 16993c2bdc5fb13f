import { parseValue } from '../train/fieldValue.ts';

/**
 * The choices a panel offers beside the run settings (the width whose kernel it shows, a depth, a
 * distance δ): one URL parameter each, and an embed attribute of the same name, named after the
 * panel, e.g. ntk-width=2048 or separation-delta=0.01. So a link or an embed can open a panel on
 * any of its views. Read at the edge like every other parameter (src/state/urlState.ts): a value
 * not on the panel's list yields a notice, and the panel's default is used.
 */

export interface PanelChoice {
  param: string; // URL parameter and attribute name: the panel ID, a hyphen, the choice
  panel: string; // the panel's ID (data-panel)
  label: string; // how notices name it
  values: readonly string[]; // what the panel's buttons offer, as written in a URL
  fallback: string; // what the panel shows when nothing is chosen
}

// The lists the panels' buttons offer.
export const LANDSCAPE_SCALES = ['ball', 'unit'] as const;
export const NTK_WIDTHS: readonly number[] = [32, 128, 512, 2048];
export const SEPARATION_DELTAS: readonly number[] = [1, 0.3, 0.1, 0.03, 0.01];
export const GB_DEPTHS = [1, 2, 3] as const;
export const SS_SLICE_WIDTHS: readonly number[] = [32, 128, 512];
export const LB_QUANTITIES = ['dist', 'flips'] as const;
export const LB_RASTER_WIDTHS: readonly number[] = [32, 128, 512];
/** The lazy-ball runs' depth: its raster shows one of these layers. */
export const LB_DEPTH = 2;
export const BVR_NS: readonly number[] = [4, 8, 16, 32, 64];
export const BVR_LS: readonly number[] = [1, 2, 3, 4];
/** The RNN figure's width slider stops (half octaves, 16 to 1024), sequence lengths, and gradient views. */
export const RNN_WIDTHS: readonly number[] = [16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024];
export const RNN_LENGTHS: readonly number[] = [5, 10, 20];
export const RNN_GRADIENTS = ['all', 'last'] as const;
/** The generalization panel's widths at fixed n (its slider picks the one whose curves it shows). */
export const GEN_WIDTHS: readonly number[] = [16, 32, 64, 128, 256, 512, 1024];
/** The lazy-rich panel's output scales alpha (its slider picks one), a log grid from rich to lazy. */
export const LR_ALPHAS: readonly number[] = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100];
/** The cnn panel's channel counts (its slider's stops) and its two architectures. */
export const CNN_CHANNELS: readonly number[] = [8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024];
export const CNN_ARCHS = ['cnn', 'cnn-resnet'] as const;

function choice(panel: string, name: string, label: string, values: readonly (string | number)[], fallback: string | number): PanelChoice {
  return { param: `${panel}-${name}`, panel, label, values: values.map(String), fallback: String(fallback) };
}

export const PANEL_CHOICES: readonly PanelChoice[] = [
  choice('landscape', 'scale', 'landscape scale', LANDSCAPE_SCALES, 'ball'),
  choice('ntk', 'width', 'kernel panel width m', NTK_WIDTHS, 512),
  choice('separation', 'delta', 'distance \u03b4 between x\u2081 and x\u2082', SEPARATION_DELTAS, 0.1),
  choice('gradient-bound', 'depth', 'gradient panel depth L', GB_DEPTHS, 2),
  choice('semi-smoothness', 'width', 'semi-smoothness slice width m', SS_SLICE_WIDTHS, 128),
  choice('lazy-ball', 'quantity', 'lazy-ball quantity', LB_QUANTITIES, 'dist'),
  choice('lazy-ball', 'width', 'lazy-ball raster width m', LB_RASTER_WIDTHS, 128),
  choice('lazy-ball', 'layer', 'lazy-ball raster layer', Array.from({ length: LB_DEPTH }, (_, i) => i + 1), 1),
  choice('bounds-vs-reality', 'n', 'bounds panel training points n', BVR_NS, 16),
  choice('bounds-vs-reality', 'depth', 'bounds panel depth L', BVR_LS, 2),
  choice('rnn', 'width', 'RNN width m', RNN_WIDTHS, 128),
  choice('rnn', 'length', 'RNN sequence length T', RNN_LENGTHS, 10),
  choice('rnn', 'gradient', 'RNN gradient shown', RNN_GRADIENTS, 'all'),
  choice('generalization', 'width', 'generalization panel width m', GEN_WIDTHS, 256),
  choice('lazy-rich', 'alpha', 'output scale \u03b1', LR_ALPHAS, 1),
  choice('cnn', 'channels', 'CNN channel count m', CNN_CHANNELS, 128),
  choice('cnn', 'arch', 'CNN architecture', CNN_ARCHS, 'cnn'),
];

/** The choice behind a parameter name (any case), or undefined. */
export function panelChoice(param: string): PanelChoice | undefined {
  const p = param.toLowerCase();
  return PANEL_CHOICES.find((c) => c.param === p);
}

/** The listed value `raw` stands for ("0.010" is 0.01), or null when it is not on the list. */
export function matchChoice(c: PanelChoice, raw: string): string | null {
  const text = raw.trim();
  if (c.values.includes(text)) return text;
  // numbers in the grammar of every other value (no "0x20" for 32)
  const parsed = parseValue({ kind: 'float' }, text);
  return parsed.ok ? (c.values.find((x) => Number(x) === parsed.value) ?? null) : null;
}

/** What a panel shows for one of its choices: the chosen value, else the default. */
export function chosen(choices: Readonly<Record<string, string>>, panel: string, name: string): string {
  const c = panelChoice(`${panel}-${name}`);
  if (!c) throw new Error(`no choice ${panel}-${name}`);
  return choices[c.param] ?? c.fallback;
}
