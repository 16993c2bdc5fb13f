import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { ProbeRequest, ProbeResult } from '../../train/probes.ts';
import { formatInt, formatSci } from '../../viz/format.ts';
import { createLandscapePanel, type LandscapeView, type Scale } from '../../viz/landscape.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { bindAll, type Binds } from './essayNumbers.ts';
import { calmSetParts } from './calm.ts';
import { mountFigure } from './mountFigure.ts';
import { runNote, runPhase } from './runNote.ts';
import { last, type Run } from './runSet.ts';

/**
 * Wires the "landscape" panel: a run with probes trains to its end (seconds), then grid probes
 * draw the loss around the scrubbed point W_t (gradient x most negative curvature) and on the
 * trajectory's PCA plane. One grid is asked at a time; a scrub or scale change while one fills
 * waits for it and then asks for the latest. The run, even ended, holds a worker to answer probes:
 * it is let go once the figure has stayed off screen a while and trained again, identically, when
 * it comes back.
 */
type Grid = Extract<ProbeResult, { kind: 'grid' }>;
type LsRun = Run<{ inFlight: boolean }>;

export const LANDSCAPE_RESOLUTION = 25;

export function landscapeConfig(): RunConfig {
  return { ...DEFAULT_CONFIG, m: 128, L: 2, n: 16, d: 8, steps: 400, every: 5, eps: 1e-3, lrScale: 0.5 };
}

export function mountLandscape(root: HTMLElement, options: PanelOptions): MountedPanel {
  return mountFigure(root, 'landscape', options, (figure) => {
    const config = landscapeConfig();
    let scale = figure.choice('scale') as Scale; // on LANDSCAPE_SCALES: checked at the edge
    let t = 0;
    let finalStep = 0;
    let gc: Grid | null = null;
    let pca: Grid | null = null;
    let wanted = false;
    let scrubTimer = 0;
    let failed = '';
    const set = figure.runs({
      probes: true,
      releaseEnded: true,
      own: () => ({ inFlight: false }),
      done: (run, end) => {
        finalStep = end.step;
        if (t > finalStep) t = finalStep;
        ask(run, 'pca');
      },
    });
    const start = (): void => {
      failed = '';
      set.start({ key: 'landscape', config });
    };
    function want(): void {
      const run = set.get('landscape');
      if (!run?.end || run.released) return;
      if (run.own.inFlight) wanted = true;
      else ask(run, 'gc');
    }
    function ask(run: LsRun, which: 'gc' | 'pca'): void {
      const h = run.handle;
      run.own.inFlight = true;
      wanted = false;
      const request: ProbeRequest =
        which === 'gc'
          ? { kind: 'grid', plane: 'gradient-curvature', scale, resolution: LANDSCAPE_RESOLUTION, atStep: t }
          : { kind: 'grid', plane: 'pca', scale: 'ball', resolution: LANDSCAPE_RESOLUTION };
      h.probe(request, (result, done, error) => {
        if (run.handle !== h) return;
        if (result?.kind === 'grid') {
          if (which === 'gc') gc = result;
          else pca = result;
        }
        if (error) failed = error;
        if (done) {
          run.own.inFlight = false;
          if (which === 'pca' || wanted) ask(run, 'gc');
        }
        figure.redraw();
      });
    }
    const panel = createLandscapePanel(
      root,
      {
        scrub: (v) => {
          t = v;
          clearTimeout(scrubTimer);
          scrubTimer = window.setTimeout(want, 120);
          figure.redraw();
        },
        scale: (s) => {
          figure.choose('scale', s);
          scale = s;
          want();
          figure.redraw();
        },
      },
      {
        csv: () => ({ columns: ['plane', 'center_step', 'scale', 'a', 'b', 'loss'], rows: gridRows({ 'gradient-curvature': gc, pca }) }),
        basename: () => `landscape_m${config.m}_L${config.L}_n${config.n}_t${gc?.step ?? t}_${scale}`,
      },
    );
    return {
      ...calmSetParts(figure, set, start,
        () => {
          const run = set.get('landscape');
          const status = landscapeStatus(run, { failed, gc, t, finalStep });
          const { binds, ...view } = landscapeView({ config, t, scale, gc, pca, finalStep, ended: Boolean(run?.end), status });
          bindAll(binds);
          root.dataset.curvature = gc?.curvature == null ? '' : String(gc.curvature);
          root.dataset.center = gc ? String(gc.step) : '';
          panel.update(view);
        },
        () => `${t}:${scale}:${failed}:${gc ? `${gc.step}:${gc.filled === gc.total}` : ''}:${pca ? pca.filled === pca.total : ''}`,
      ),
      dispose: () => clearTimeout(scrubTimer),
    };
  });
}

/** The grids as CSV rows: plane, center step, scale, a, b, loss. */
export function gridRows(grids: Record<string, Grid | null>): unknown[][] {
  const rows: unknown[][] = [];
  for (const [name, g] of Object.entries(grids)) {
    if (!g) continue;
    const R = g.axis.length;
    for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) rows.push([name, g.step, g.scale, g.axis[j], g.axis[i], g.values[i * R + j]]);
  }
  return rows;
}

/** The status line: the run first (or again, after it was let go), then the grids. */
export function landscapeStatus(run: LsRun | undefined, s: { failed: string; gc: Grid | null; t: number; finalStep: number }): string {
  if (s.failed) return `The probe failed: ${s.failed}`;
  const phase = runPhase(run);
  if (run && phase === 'running') {
    const again = s.gc ? 'Training the run again (it was let go while off screen)' : 'Training the run first';
    return `${again}: step ${formatInt(run.handle.progress.step)}, F = ${formatSci(last(run, 'loss'))}.`;
  }
  if (!run?.end || phase === 'failed' || phase === 'released') return runNote(run, { form: 'status' });
  if (run.own.inFlight) return `Computing the surface around step ${s.gc?.step ?? s.t}\u2026`;
  return `Done: drag the slider along the run (0 to ${s.finalStep}) or switch the scale.`;
}

export interface LandscapeState {
  config: RunConfig;
  t: number;
  scale: Scale;
  gc: Grid | null;
  pca: Grid | null;
  finalStep: number;
  ended: boolean;
  status: string;
}

/** The panel's view and the numbers the essay quotes. */
export function landscapeView(s: LandscapeState): LandscapeView & { binds: Binds } {
  const { config, gc, pca, finalStep } = s;
  let path: LandscapeView['path'] = null;
  if (pca?.path && pca.pathSteps) {
    const steps = Array.from(pca.pathSteps);
    const xs = steps.map((_, i) => pca.path![2 * i]);
    const ys = steps.map((_, i) => pca.path![2 * i + 1]);
    const center = gc?.step ?? s.t;
    let best = -1;
    steps.forEach((st, i) => {
      if (best < 0 || Math.abs(st - center) < Math.abs(steps[best] - center)) best = i;
    });
    path = { xs, ys, steps, highlight: best };
  }
  const mid = (LANDSCAPE_RESOLUTION * LANDSCAPE_RESOLUTION - 1) / 2;
  const ext = gc ? gc.extent : NaN;
  const moved = gc && gc.scale === 'ball' ? gc.extent : NaN;
  let caption =
    `A width-${config.m} network with L = ${config.L}, n = ${config.n} points in d = ${config.d}, ` +
    `trained by gradient descent (\u03b7 = ${config.lrScale}/\u03bb_max(K\u2080)) for ${finalStep > 0 ? finalStep : '\u2026'} steps. `;
  if (gc) {
    caption +=
      `First plot: F(W\u209c + a u + b v) at t = ${gc.step} on a ${LANDSCAPE_RESOLUTION}\u00d7${LANDSCAPE_RESOLUTION} grid reaching ${formatSci(gc.extent)} ` +
      `(${gc.scale === 'ball' ? 'the distance training moved, \u2016W_T \u2212 W_0\u2016' : 'a unit step'}); ` +
      `the curvature v\u1d40Hv along the plotted v is ${gc.curvature === null ? '\u2013' : formatSci(gc.curvature)}. `;
  }
  const explained = pca?.explained;
  if (explained) caption += `Second plot: the path's first two principal directions explain ${(100 * explained[0]).toFixed(1)}% and ${(100 * explained[1]).toFixed(1)}% of its variance.`;
  const binds: Binds = {
    'landscape.pc1': explained ? `${(100 * explained[0]).toFixed(1)}%` : null,
    'landscape.moved': Number.isFinite(moved) ? formatSci(moved) : null,
    'landscape.ratio': Number.isFinite(moved) && moved > 0 ? formatSci(1 / moved, 2) : null,
  };
  return {
    // step 1, so End lands on the last step whatever it is (the grid is centred on the nearest kept snapshot)
    scrub: { max: Math.max(finalStep, config.every), step: 1, value: s.t, enabled: s.ended },
    scale: s.scale,
    gc,
    pca,
    path,
    numbers: {
      center: gc ? formatInt(gc.step) : '\u2013',
      loss: gc ? formatSci(gc.values[mid]) : '\u2013',
      curvature: gc?.curvature == null ? '\u2013' : formatSci(gc.curvature),
      extent: Number.isFinite(ext) ? formatSci(ext) : '\u2013',
      progress: gc ? `${gc.filled} of ${gc.total}` : '\u2013',
    },
    status: s.status,
    caption,
    binds,
  };
}
