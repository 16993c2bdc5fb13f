import { DEFAULT_CONFIG, type RunConfig } from '../../train/config.ts';
import type { ProbeRequest, ProbeResult } from '../../train/probes.ts';
import type { RunHandle } from '../../train/runHandle.ts';
import type { PageState } from '../../state/urlState.ts';
import { prefersReducedMotion } from '../../viz/motion.ts';
import { formatInt, formatSci } from '../../viz/format.ts';
import { createLandscapePanel, type LandscapeView, type Scale } from '../../viz/landscape.ts';
import { frameScheduler } from '../../viz/panelParts.ts';
import { bind } from './essayNumbers.ts';
import { observeFigureReleasing } from './releaseLater.ts';
import type { MountedPanel, PanelOptions } from '../panelTypes.ts';
import { initialChoice, recordChoice } from './choices.ts';

/**
 * Wires the "landscape" panel: a run with probes trains to its end (seconds), then grid probes
 * draw the loss around the scrubbed point W_t (gradient x most negative curvature) and on the
 * trajectory's PCA plane. One grid is asked at a time; a scrub or scale change while one fills
 * waits for it and then asks for the latest. The run is let go when the figure leaves the screen
 * (it holds a worker) and trained again, identically, when it comes back.
 */
type Grid = Extract<ProbeResult, { kind: 'grid' }>;

export const LANDSCAPE_RESOLUTION = 25;

export function landscapeConfig(): RunConfig {
  return { ...DEFAULT_CONFIG, m: 128, L: 2, n: 16, d: 8, steps: 400, every: 5, eps: 1e-3, lrScale: 0.5 };
}

export function mountLandscape(figure: HTMLElement, options: PanelOptions): MountedPanel {
  const pool = options.pool;
  const state: PageState = { ...options.state, config: { ...options.state.config }, hide: [...options.state.hide] };
  const config = landscapeConfig();
  let scale = initialChoice(state, 'landscape', 'scale') as Scale; // on LANDSCAPE_SCALES: checked at the edge
  let t = 0;
  let handle: RunHandle | null = null;
  let finalStep = 0;
  let ended = false;
  let gc: Grid | null = null;
  let pca: Grid | null = null;
  let inFlight = false;
  let wanted: 'gc' | null = null;
  let lossNow = NaN;
  let scrubTimer = 0;
  let failed = '';

  const panel = createLandscapePanel(
    figure,
    {
      scrub: (v) => {
        t = v;
        clearTimeout(scrubTimer);
        scrubTimer = window.setTimeout(() => want(), 120);
        redraw();
      },
      scale: (s) => {
        recordChoice(state, options, 'landscape', 'scale', s);
        scale = s;
        want();
        redraw();
      },
    },
    {
      csv: () => {
        const rows: unknown[][] = [];
        for (const [name, g] of [['gradient-curvature', gc], ['pca', pca]] as const) {
          if (!g) continue;
          const R = g.axis.length;
          for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) rows.push([name, g.step, g.scale, g.axis[j], g.axis[i], g.values[i * R + j]]);
        }
        return { columns: ['plane', 'center_step', 'scale', 'a', 'b', 'loss'], rows };
      },
      basename: () => `landscape_m${config.m}_L${config.L}_n${config.n}_t${gc?.step ?? t}_${scale}`,
    },
  );
  const redraw = frameScheduler(() => panel.update(view()), prefersReducedMotion());
  const letGoUnfinished = (): void => {
    if (handle && !ended) {
      release(); // unfinished: trained again on return
      redraw();
    }
  };
  const lifecycle = observeFigureReleasing(figure, letGoUnfinished, (active) => {
    if (active && !handle) start();
    else if (!active && handle && ended && !inFlight) release();
    else if (handle?.active) {
      if (active) handle.resume();
      else handle.pause();
    }
    redraw();
  });

  function start(): void {
    ended = false;
    failed = '';
    inFlight = false;
    const h = pool.start(
      { config, probes: true },
      {
        records: (batch) => {
          if (batch.count) lossNow = batch.get(batch.count - 1, 'loss');
          redraw();
        },
        done: (end) => {
          ended = true;
          finalStep = end.step;
          if (t > finalStep) t = finalStep;
          ask(h, 'pca');
        },
        error: (msg) => {
          failed = msg;
          redraw();
        },
        state: () => redraw(),
      },
      { paused: !lifecycle.active },
    );
    handle = h;
    redraw();
  }

  function release(): void {
    handle?.cancel();
    handle = null;
  }

  function want(): void {
    if (!handle || !ended) return;
    if (inFlight) wanted = 'gc';
    else ask(handle, 'gc');
  }

  function ask(h: RunHandle, which: 'gc' | 'pca'): void {
    inFlight = true;
    wanted = null;
    const request: ProbeRequest =
      which === 'gc'
        ? { kind: 'grid', plane: 'gradient-curvature', scale, resolution: LANDSCAPE_RESOLUTION, atStep: t }
        : { kind: 'grid', plane: 'pca', scale: 'ball', resolution: LANDSCAPE_RESOLUTION };
    h.probe(request, (result, done, error) => {
      if (h !== handle) return;
      if (result?.kind === 'grid') {
        if (which === 'gc') gc = result;
        else pca = result;
      }
      if (error) failed = error;
      if (done) {
        inFlight = false;
        if (which === 'pca') ask(h, 'gc');
        else if (wanted) ask(h, 'gc');
        else if (!lifecycle.active) release();
      }
      redraw();
    });
  }

  function view(): LandscapeView {
    let path: LandscapeView['path'] = null;
    if (pca?.path && pca.pathSteps) {
      const xs: number[] = [];
      const ys: number[] = [];
      const steps = Array.from(pca.pathSteps);
      for (let i = 0; i < steps.length; i++) {
        xs.push(pca.path[2 * i]);
        ys.push(pca.path[2 * i + 1]);
      }
      const center = gc?.step ?? t;
      let best = -1;
      steps.forEach((s, i) => {
        if (best < 0 || Math.abs(s - center) < Math.abs(steps[best] - center)) best = i;
      });
      path = { xs, ys, steps, highlight: best };
    }
    const mid = (LANDSCAPE_RESOLUTION * LANDSCAPE_RESOLUTION - 1) / 2;
    const ext = gc ? gc.extent : NaN;
    let status: string;
    if (failed) status = `The probe failed: ${failed}`;
    else if (!handle) status = ended ? 'Let go while out of view; it trains again when you come back.' : 'Starts when the figure comes into view.';
    else if (!ended)
      status =
        handle.state === 'queued'
          ? 'Waiting for a free worker\u2026'
          : `${gc ? 'Training the run again (it was let go while off screen)' : 'Training the run first'}: step ${formatInt(handle.progress.step)}, F = ${formatSci(lossNow)}.`;
    else if (inFlight) status = `Computing the surface around step ${gc?.step ?? t}\u2026`;
    else status = `Done: drag the slider along the run (0 to ${finalStep}) or switch the scale.`;
    const moved = gc && gc.scale === 'ball' ? gc.extent : NaN;
    let caption =
      `A width-${config.m} network with L = ${config.L}, n = ${config.n} points in d = ${config.d}, ` +
      `trained by gradient descent (\u03b7 = ${config.lrScale}/\u03bb_max(K\u2080)) for ${finalStep > 0 ? finalStep : '\u2026'} steps. `;
    if (gc) {
      caption +=
        `Left: F(W\u209c + a u + b v) at t = ${gc.step} on a ${LANDSCAPE_RESOLUTION}\u00d7${LANDSCAPE_RESOLUTION} grid reaching ${formatSci(gc.extent)} ` +
        `(${gc.scale === 'ball' ? 'the distance training moved, \u2016W_T \u2212 W_0\u2016' : 'a unit step'}); ` +
        `the curvature along v is ${gc.curvature === null ? '\u2013' : formatSci(gc.curvature)}. `;
    }
    if (pca?.explained) {
      caption += `Right: the path's first two principal directions explain ${(100 * pca.explained[0]).toFixed(1)}% and ${(100 * pca.explained[1]).toFixed(1)}% of its variance.`;
    }
    if (pca?.explained) bind('landscape.pc1', `${(100 * pca.explained[0]).toFixed(1)}%`);
    bind('landscape.moved', Number.isFinite(moved) ? formatSci(moved) : null);
    bind('landscape.ratio', Number.isFinite(moved) && moved > 0 ? formatSci(1 / moved, 2) : null);
    figure.dataset.curvature = gc?.curvature == null ? '' : String(gc.curvature);
    figure.dataset.center = gc ? String(gc.step) : '';
    return {
      scrub: { max: Math.max(finalStep, config.every), step: config.every, value: t, enabled: ended },
      scale,
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
      status,
      caption,
    };
  }

  redraw();
  return {
    state,
    dispose() {
      clearTimeout(scrubTimer);
      lifecycle.disconnect();
      release();
    },
  };
}
