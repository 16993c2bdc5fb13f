import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import { log10TheoremWidth } from '../../train/panelData.ts';
import type { RunHandle } from '../../train/runHandle.ts';
import type { PageState } from '../../state/urlState.ts';
import { createBoundsVsReality, tenTo, type BvrTried, type BvrView } from '../../viz/boundsVsReality.ts';
import { observeFigure } from '../../viz/figureLifecycle.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatInt, formatSci, formatTolerance } from '../../viz/format.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { bind } from './essayNumbers.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { BVR_LS, BVR_NS } from '../../state/panelChoices.ts';
import { initialChoice, recordChoice } from './choices.ts';

/**
 * Wires the "bounds-vs-reality" panel: for the reader's n and L, short real runs at widths that
 * double (2, 4, 8, ...), one at a time, until one trains to F <= eps F_0 within the step limit;
 * that is the width that works in practice. The theorem's width comes from the orders with
 * constants 1 (panelData.log10TheoremWidth) and the separation delta of the run's own data.
 */
export const BVR_SEARCH: readonly number[] = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
export const BVR_STEPS = 2000;
export const BVR_EPS = 1e-3;

export function bvrConfig(m: number, n: number, L: number): RunConfig {
  return { ...DEFAULT_CONFIG, m, n, L, d: 8, labels: 'gaussian', lrScale: 0.5, steps: BVR_STEPS, every: 50, eps: BVR_EPS };
}

export function mountBoundsVsReality(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  let n = Number(initialChoice(state, 'bounds-vs-reality', 'n'));
  let L = Number(initialChoice(state, 'bounds-vs-reality', 'depth'));
  let started = false;
  let tried: (BvrTried & { lossRatio: number })[] = [];
  let practical: number | null = null;
  let delta: number | null = null;
  let handle: RunHandle | null = null;
  let searchId = 0;
  let resumeAt = -1; // the search's next width, when it was left off screen
  const history: { n: number; L: number; practical: number | null; log10: number }[] = [];

  const panel = createBoundsVsReality(
    figure,
    { ns: BVR_NS, Ls: BVR_LS },
    {
      n: (v) => {
        if (v === n) return;
        recordChoice(state, options, 'bounds-vs-reality', 'n', v);
        n = v;
        search();
      },
      L: (v) => {
        if (v === L) return;
        recordChoice(state, options, 'bounds-vs-reality', 'depth', v);
        L = v;
        search();
      },
    },
    {
      csv: () => ({
        columns: ['n', 'depth', 'width', 'trained', 'loss_ratio_at_end', 'delta', 'log10_theorem_width'],
        rows: tried.map((t) => [n, L, t.m, t.ok, t.lossRatio, delta, delta ? log10TheoremWidth(n, L, delta) : NaN]),
      }),
      basename: () => `bounds-vs-reality_n${n}_L${L}_d8_seed1`,
    },
  );
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  const lifecycle = observeFigure(figure, (active) => {
    if (active && !started) search();
    else if (!active && handle?.active) {
      // let the worker go (a paused run would keep it from the other figures); retry on return
      handle.cancel();
      handle = null;
      const cur = tried[tried.length - 1];
      if (cur && cur.ok === null) tried.pop();
      resumeAt = cur && cur.ok === null ? tried.length : -1;
    } else if (active && resumeAt >= 0) {
      const i = resumeAt;
      resumeAt = -1;
      tryWidth(i, searchId);
    }
    redraw();
  });

  function search(): void {
    handle?.cancel();
    handle = null;
    started = true;
    tried = [];
    practical = null;
    delta = null;
    resumeAt = -1;
    const id = ++searchId;
    tryWidth(0, id);
    redraw();
  }

  function tryWidth(i: number, id: number): void {
    if (id !== searchId || i >= BVR_SEARCH.length) {
      redraw();
      return;
    }
    const m = BVR_SEARCH[i];
    const entry = { m, ok: null as boolean | null, note: 'training\u2026', lossRatio: NaN };
    tried.push(entry);
    let loss0 = NaN;
    let lossNow = NaN;
    const cn = n;
    const cL = L;
    handle = pool.start(
      { config: bvrConfig(m, cn, cL) },
      {
        started: (info) => {
          if (id === searchId) delta = info.delta;
          redraw();
        },
        records: (batch) => {
          for (let k = 0; k < batch.count; k++) {
            const f = batch.get(k, 'loss');
            if (Number.isNaN(loss0)) loss0 = f;
            lossNow = f;
          }
          entry.lossRatio = lossNow / loss0;
          entry.note = `training: F/F\u2080 = ${formatSci(entry.lossRatio, 2)}`;
          redraw();
        },
        done: (end) => {
          if (id !== searchId) return;
          entry.ok = end.reason === 'converged';
          entry.note = entry.ok
            ? `reached F \u2264 ${formatTolerance(BVR_EPS)} F\u2080 in ${formatInt(end.step)} steps`
            : end.reason === 'diverged'
              ? `diverged at step ${formatInt(end.step)}`
              : `F/F\u2080 = ${formatSci(entry.lossRatio, 2)} after ${formatInt(end.step)} steps`;
          if (entry.ok) {
            practical = m;
            const same = history.findIndex((h) => h.n === cn && h.L === cL);
            if (same >= 0) history.splice(same, 1);
            if (delta !== null) history.unshift({ n: cn, L: cL, practical: m, log10: log10TheoremWidth(cn, cL, delta) });
            handle = null;
            redraw();
          } else tryWidth(i + 1, id);
        },
        error: (msg) => {
          if (id !== searchId) return;
          entry.ok = false;
          entry.note = `failed: ${msg}`;
          tryWidth(i + 1, id);
        },
      },
      { paused: !lifecycle.active },
    );
  }

  function view(): BvrView {
    const log10 = delta !== null ? log10TheoremWidth(n, L, delta) : null;
    const searching = started && practical === null && tried.length < BVR_SEARCH.length && tried.some((t) => t.ok === null);
    let numbers = '';
    if (delta !== null && log10 !== null) {
      numbers = `separation \u03b4 = ${delta.toFixed(3)} \u00b7 theorem: log\u2081\u2080 m \u2265 24\u00b7log\u2081\u2080 ${n} + 12\u00b7log\u2081\u2080 ${L} \u2212 8\u00b7log\u2081\u2080 ${delta.toFixed(3)} = ${log10.toFixed(1)}`;
      if (practical) numbers += ` \u00b7 in practice m = ${practical} (${tenTo(Math.log10(practical), 2)}): a gap of ${tenTo(log10 - Math.log10(practical))}`;
    }
    const c = bvrConfig(2, n, L);
    const caption =
      `For n = ${n} random points of the unit sphere in d = ${c.d} with Gaussian labels and depth L = ${L}: runs of full-batch gradient descent ` +
      `(\u03b7 = ${c.lrScale}/\u03bb\u2098\u2090\u2093(K\u2080)) at widths ${BVR_SEARCH.slice(0, 4).join(', ')}, \u2026 in turn, each for at most ${formatInt(BVR_STEPS)} steps, ` +
      `until one brings the loss to ${formatTolerance(BVR_EPS)} of where it started (filled dots trained, hollow ones did not). ` +
      `The red mark is the width the theorem's orders ask for, n\u00b2\u2074L\u00b9\u00b2/\u03b4\u2078 with every constant set to 1, with \u03b4 the smallest distance between two of these points.`;
    if (log10 !== null) bind('bounds-vs-reality.theorem', tenTo(log10));
    if (practical) bind('bounds-vs-reality.practical', String(practical));
    if (practical && log10 !== null) bind('bounds-vs-reality.gap', tenTo(log10 - Math.log10(practical)));
    bind('bounds-vs-reality.n', String(n));
    bind('bounds-vs-reality.L', String(L));
    if (delta !== null) bind('bounds-vs-reality.delta', delta.toFixed(3));
    return {
      n,
      L,
      tried,
      practical,
      log10Theorem: log10,
      history: history.filter((h) => h.n !== n || h.L !== L).slice(0, 6).map((h) => `n = ${h.n}, L = ${h.L}: trained at m = ${h.practical}; the theorem asks for ${tenTo(h.log10)}`),
      numbers,
      status: !started
        ? 'Starts when the figure comes into view.'
        : practical
          ? `Width ${practical} is the smallest of the widths tried that trains.`
          : searching
            ? `Trying width ${tried[tried.length - 1]?.m}${lifecycle.active ? '\u2026' : ' (paused while out of view)'}`
            : `No width up to ${BVR_SEARCH[BVR_SEARCH.length - 1]} trained within ${formatInt(BVR_STEPS)} steps.`,
      caption,
    };
  }

  redraw();
  return {
    state,
    dispose() {
      lifecycle.disconnect();
      searchId++;
      handle?.cancel();
    },
  };
}
