/**
 * A figure's lifecycle (after Distill's d-figure): it is active while some of it, or of the prose
 * around it (its own <section>: the paragraphs that quote its numbers), is on screen and its tab is
 * visible. A figure starts or resumes work on `onscreen` and pauses on `offscreen`, so training
 * never runs for nobody, and the sentence the reader is reading below a figure that has scrolled
 * away still gets its numbers.
 *
 * A paused run still holds its worker, and the page's pool has one worker per core (two, on a small
 * machine): a few paused figures would starve the one the reader is looking at. So a figure that
 * stays off screen `releaseAfterMs` gets `release`, where it lends its unfinished runs' workers
 * (runSet.ts): a run keeps its worker, paused where it was, and takes up there on the next
 * `onscreen`, unless another figure's run needed the worker first; then it trains again (same
 * seeds, same numbers) on return.
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

/** What counts as the figure being in view: the figure, and its own section when it has one. */
export function viewedParts(el: Element): Element[] {
  const section = el.closest('section');
  return section && section !== el ? [el, section] : [el];
}

export function observeFigure(el: Element, handlers: LifecycleHandlers): FigureLifecycle {
  const parts = viewedParts(el);
  const seen = new Set<Element>(); // the parts on screen
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
    for (const e of entries) {
      if (e.isIntersecting) seen.add(e.target);
      else seen.delete(e.target);
    }
    onscreen = seen.size > 0;
    update();
  });
  for (const p of parts) io.observe(p);
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
