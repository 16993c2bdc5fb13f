import { observeFigure, type Lifecycle } from '../../viz/figureLifecycle.ts';

/**
 * A figure that pauses its runs off screen still holds their workers, and the page's pool has
 * one worker per core (two, on a small machine): a few paused figures would starve the one the
 * reader is looking at. So a figure that stays off screen this long lets its unfinished runs go,
 * and trains them again (same seeds, same numbers) when it comes back.
 */
export const RELEASE_AFTER_MS = 1500;

export function releaseLater(release: () => void, delayMs = RELEASE_AFTER_MS): { offscreen(): void; onscreen(): void; cancel(): void } {
  let timer = 0;
  return {
    offscreen() {
      clearTimeout(timer);
      timer = window.setTimeout(release, delayMs);
    },
    onscreen() {
      clearTimeout(timer);
    },
    cancel() {
      clearTimeout(timer);
    },
  };
}

/**
 * observeFigure with releaseLater wired in: `release` runs once the figure has stayed off screen
 * RELEASE_AFTER_MS (the timer is set or cleared before `onChange` runs); disconnecting also drops
 * a pending release.
 */
export function observeFigureReleasing(figure: Element, release: () => void, onChange: (active: boolean) => void): Lifecycle {
  const releaser = releaseLater(release);
  const lifecycle = observeFigure(figure, (active) => {
    if (active) releaser.onscreen();
    else releaser.offscreen();
    onChange(active);
  });
  return {
    get active() {
      return lifecycle.active;
    },
    disconnect() {
      releaser.cancel();
      lifecycle.disconnect();
    },
  };
}
