/**
 * A figure's lifecycle (after Distill's d-figure): it is active while some of it is on screen and
 * its tab is visible. A figure starts or resumes work on `onscreen` and pauses on `offscreen`, so
 * training never runs for nobody.
 *
 * A paused run still holds its worker, and the page's pool has one worker per core (two, on a small
 * machine): a few paused figures would starve the one the reader is looking at. So a figure that
 * stays off screen `releaseAfterMs` gets `release`, where it lets its unfinished runs go; it trains
 * them again (same seeds, same numbers) on its next `onscreen`.
 */
export interface FigureLifecycle {
  readonly active: boolean;
  disconnect(): void;
}

export interface LifecycleHandlers {
  onscreen?(): void;
  offscreen?(): void;
  /** After the figure has stayed inactive releaseAfterMs (never while it is active). */
  release?(): void;
  releaseAfterMs?: number;
}

/** How long a figure stays off screen before it lets its runs' workers go. */
export const RELEASE_AFTER_MS = 1500;

export function observeFigure(el: Element, handlers: LifecycleHandlers): FigureLifecycle {
  let onscreen = false;
  let active = false;
  let releaseTimer = 0;
  const releaseAfterMs = handlers.releaseAfterMs ?? RELEASE_AFTER_MS;
  const update = (): void => {
    const next = onscreen && document.visibilityState !== 'hidden';
    if (next === active) return;
    active = next;
    clearTimeout(releaseTimer);
    if (active) {
      handlers.onscreen?.();
      return;
    }
    if (handlers.release) releaseTimer = window.setTimeout(() => handlers.release?.(), releaseAfterMs);
    handlers.offscreen?.();
  };
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) onscreen = e.isIntersecting;
    update();
  });
  io.observe(el);
  document.addEventListener('visibilitychange', update);
  return {
    get active() {
      return active;
    },
    disconnect() {
      clearTimeout(releaseTimer);
      io.disconnect();
      document.removeEventListener('visibilitychange', update);
    },
  };
}
