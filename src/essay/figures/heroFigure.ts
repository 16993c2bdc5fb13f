import { formatInt, formatTolerance } from '../../viz/format.ts';
import { createHero, type HeroCurve, type HeroView } from '../../viz/hero.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { recordedPanel, type RecordedCurve } from '../recorded/recorded.ts';
import { HERO_DEFAULT_WIDTH, HERO_WIDTHS, heroConfig } from './heroConfig.ts';
import { mountFigure } from './mountFigure.ts';
import { col, type Run } from './runSet.ts';

/**
 * Wires the hero panel: a width slider over the runs recorded at build time (drawn at once), and a
 * live run of the width the reader picks (same settings, same seeds), which replaces the recorded
 * curve as it comes in. Nothing trains until the reader moves the slider.
 */
export function mountHero(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'hero', options, (figure) => {
    let width = HERO_DEFAULT_WIDTH;
    const recorded = recordedPanel('hero')?.curves ?? [];
    const set = figure.runs({});
    const panel = createHero(root, HERO_WIDTHS, (m) => {
      if (m === width) return;
      width = m;
      for (const r of [...set.runs]) if (!r.end && r.key !== `m${m}`) set.remove(r.key, false);
      const had = set.get(`m${m}`);
      if (!had || had.error) set.start({ key: `m${m}`, config: heroConfig(m), first: true });
      figure.redraw();
    });
    return {
      onscreen: () => set.resume(),
      offscreen: () => set.pause(),
      release: () => set.release(),
      draw: () => panel.update(heroView(width, recorded, set.runs)),
    };
  });
}

function ratios(loss: readonly number[]): number[] {
  const f0 = loss[0];
  return loss.map((f) => f / f0);
}

/** The step a curve first reaches F <= eps F_0, or null. */
export function stepsToEps(c: Pick<HeroCurve, 'steps' | 'ratio'>, eps: number): number | null {
  const i = c.ratio.findIndex((r) => r <= eps);
  return i < 0 ? null : c.steps[i];
}

/** What the hero panel draws and says: recorded curves, each replaced by its width's live run once that has records. */
export function heroView(width: number, recorded: readonly RecordedCurve[], runs: readonly Run[]): HeroView {
  const eps = heroConfig(width).eps;
  const live = new Map(runs.filter((r) => col(r, 'loss').length > 0).map((r) => [r.spec.config.m, r]));
  const curves: HeroCurve[] = [];
  for (const rec of recorded) {
    const run = live.get(rec.m);
    const emphasis = rec.m === width ? 'chosen' : 'other';
    if (!run || !run.end) curves.push({ m: rec.m, steps: rec.steps, ratio: ratios(rec.loss), source: 'recorded', emphasis: run ? 'underlay' : emphasis });
    if (run) curves.push({ m: rec.m, steps: col(run, 'step'), ratio: ratios(col(run, 'loss')), source: 'live', emphasis });
  }
  const run = live.get(width) ?? runs.find((r) => r.spec.config.m === width);
  // the sentence quotes a whole run: the recorded one until the live one has ended
  const chosen = curves.find((c) => c.m === width && (c.source === 'recorded' || run?.end)) ?? curves.find((c) => c.m === width);
  const reach = chosen ? stepsToEps(chosen, eps) : null;
  const tol = formatTolerance(eps);
  let readout = `m = ${width}: no recorded run.`;
  if (chosen) {
    const what = chosen.source === 'live' ? (run?.end ? 'live run' : 'live run so far') : 'recorded run';
    readout =
      reach !== null
        ? `m = ${width}: the loss fell to ${tol} of where it started after ${formatInt(reach)} steps (${what}).`
        : `m = ${width}: after ${formatInt(chosen.steps[chosen.steps.length - 1] ?? 0)} steps the loss is at ${chosen.ratio[chosen.ratio.length - 1]?.toPrecision(2)} of where it started (${what}).`;
  }
  const reached = curves.filter((c) => c.source === 'recorded' || live.get(c.m)?.end).map((c) => ({ m: c.m, s: stepsToEps(c, eps) })).filter((p): p is { m: number; s: number } => p.s !== null);
  if (reached.length >= 2) {
    const most = reached.reduce((a, b) => (b.s > a.s ? b : a));
    const least = reached.reduce((a, b) => (b.s < a.s ? b : a));
    readout += ` Across these widths it took from ${formatInt(most.s)} steps (m = ${most.m}) to ${formatInt(least.s)} (m = ${least.m}).`;
  }
  let status = 'Every curve was recorded when this page was built, by the same code and settings. Move the slider to train the chosen width live.';
  if (run && !run.end && !run.error) status = `Training m = ${width} live in your browser: step ${formatInt(col(run, 'step').at(-1) ?? 0)}; the dotted curve is the recorded run.`;
  else if (run?.end) status = `The curve of m = ${width} is the live run, trained in your browser (${run.end.message}).`;
  else if (run?.error) status = `The live run of m = ${width} failed (${run.error}); the curve is the recorded run.`;
  const c = heroConfig(width);
  const caption =
    `The training loss F, divided by its value F\u2080 at the start, against the step: look first at the bold curve and how soon it reaches the dashed line, then move the slider. ` +
    `Settings: a ReLU network of depth L = ${c.L} at widths m = ${HERO_WIDTHS.join(', ')}, fitting n = ${c.n} points in d = ${c.d} with Gaussian labels, ` +
    `full-batch gradient descent with \u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080) from the same seeds, until F \u2264 ${tol} F\u2080 (the dashed line).`;
  return { widths: HERO_WIDTHS, width, curves, eps, readout, status, caption };
}
