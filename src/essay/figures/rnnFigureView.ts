import type { ProbeResult } from '../../train/probes.ts';
import { growthKind, perStepGrowth, type GrowthFit, type GrowthKind } from '../../train/rnnGrowth.ts';
import { formatInt, formatSci } from '../../viz/format.ts';
import type { LineSeries } from '../../viz/lineChart.ts';
import type { LegendEntry } from '../../viz/panelParts.ts';
import type { GradientQuantity, RnnGradientView } from '../../viz/rnnGradientFlow.ts';
import { widthTone } from '../../viz/widthTone.ts';

/**
 * The RNN figure's gradient view model: pure functions from its runs' latest hidden-gradient answers
 * (src/train/probes.ts) to the curves, the legend and the verdict on exponential growth, which is
 * computed from those answers and can come out either way.
 */
export type HiddenGradients = Extract<ProbeResult, { kind: 'hiddenGradients' }>;

export interface GradientRun {
  readonly width: number;
  readonly current: boolean;
  readonly probed: HiddenGradients | null;
}

const steps = (T: number): number[] => Array.from({ length: T }, (_, i) => i + 1);

/** Dashed at initialization, solid now; the current width's curves first, then the others by width. */
export function gradientSeries(runs: readonly GradientRun[], quantity: GradientQuantity): LineSeries[] {
  const out: LineSeries[] = [];
  for (const r of ordered(runs)) {
    const p = r.probed!;
    const tone = widthTone(r.width);
    const xs = steps(p.T);
    out.push({ key: `m${r.width}-init`, label: `m = ${r.width}, initialization`, tone, xs, ys: quantity === 'all' ? p.total0 : p.fromLast0, dashed: true });
    if (p.step > 0) out.push({ key: `m${r.width}-now`, label: `m = ${r.width}, step ${formatInt(p.step)}`, tone, xs, ys: quantity === 'all' ? p.total : p.fromLast });
  }
  return out;
}

function ordered(runs: readonly GradientRun[]): GradientRun[] {
  return runs.filter((r) => r.probed).sort((a, b) => Number(b.current) - Number(a.current) || a.width - b.width);
}

export function gradientLegend(runs: readonly GradientRun[]): LegendEntry[] {
  const items: LegendEntry[] = [];
  for (const r of ordered(runs)) {
    items.push({ tone: widthTone(r.width), label: `m = ${r.width} at initialization`, dashed: true });
    if (r.probed!.step > 0) items.push({ tone: widthTone(r.width), label: `m = ${r.width} at step ${formatInt(r.probed!.step)}` });
  }
  return items;
}

const KIND_WORDS: Record<GrowthKind, string> = {
  explodes: 'grows exponentially going back in time (explodes)',
  vanishes: 'shrinks exponentially going back in time (vanishes)',
  neither: 'neither explodes nor vanishes (within a factor of 2 over the sequence, interval included)',
  unclear: 'changes too unevenly to call at this length',
};

/** "γ = 1.23 (95% interval 1.18 to 1.28), a factor 51 over the 19 steps back: grows exponentially ..." */
export function growthSentence(fit: GrowthFit): string {
  const change = fit.factor ** fit.span;
  return (
    `\u03b3 = ${fit.factor.toFixed(3)} (95% interval ${fit.lo.toFixed(3)} to ${fit.hi.toFixed(3)}), ` +
    `a factor ${formatSci(change, 2)} over the ${fit.span} steps back: ${KIND_WORDS[growthKind(fit)]}`
  );
}

/**
 * The verdict, from the last step's loss carried back (||dF_T/dh_t||, one multiplication by W^T D per
 * step back, so an exponential is its signature), at initialization for every width and now for the
 * current run.
 */
export function gradientVerdict(runs: readonly GradientRun[]): { text: string; kind: string } {
  const have = ordered(runs);
  if (have.length === 0) return { text: 'Measuring the gradient over time once a run is set up\u2026', kind: '' };
  const parts: string[] = [];
  let kind = '';
  for (const r of have) {
    const fit = perStepGrowth(r.probed!.fromLast0);
    if (!fit) continue;
    if (r.current) kind = growthKind(fit);
    parts.push(`m = ${r.width} at initialization: ${growthSentence(fit)}`);
  }
  const cur = have.find((r) => r.current && r.probed!.step > 0);
  const now = cur ? perStepGrowth(cur.probed!.fromLast) : null;
  if (cur && now) parts.push(`m = ${cur.width} at step ${formatInt(cur.probed!.step)}: ${growthSentence(now)}`);
  return {
    text:
      `Per step back in time, the norm of the last step\u2019s loss gradient with respect to h\u209c changes by a fitted factor \u03b3 (least squares on the log of the measured norms). ` +
      parts.join('. ') +
      '.',
    kind,
  };
}

export function gradientView(runs: readonly GradientRun[], T: number, quantity: GradientQuantity): RnnGradientView {
  const shown = runs.filter((r) => r.probed?.T === T);
  const verdict = gradientVerdict(shown);
  return { T, quantity, series: gradientSeries(shown, quantity), legend: gradientLegend(shown), verdict: verdict.text, kind: verdict.kind };
}

/** What the essay quotes from the current run (null leaves a span as it is: still training, or no answer yet). */
export function rnnBinds(current: { width: number; T: number; convergedAt: number | null; probed: HiddenGradients | null }): Record<string, string | null> {
  const fit = current.probed ? perStepGrowth(current.probed.fromLast0) : null;
  return {
    'rnn.width': String(current.width),
    'rnn.length': String(current.T),
    'rnn.steps': current.convergedAt !== null ? formatInt(current.convergedAt) : null,
    'rnn.gamma': fit ? `${fit.factor.toFixed(3)} (95% interval ${fit.lo.toFixed(3)} to ${fit.hi.toFixed(3)})` : null,
    'rnn.change': fit ? formatSci(fit.factor ** fit.span, 2) : null,
    'rnn.verdict': fit ? KIND_WORDS[growthKind(fit)] : null,
  };
}
