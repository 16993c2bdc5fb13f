import { observeFigure, type Lifecycle } from '../../viz/figureLifecycle.ts';
import type { TrackSet } from './trackSet.ts';

/**
 * The lifecycle of a figure that trains a TrackSet: `start` launches the runs the first time the
 * figure is on screen; after that they are let go off screen and trained again on return
 * (TrackSet.hold). `onChange` runs after either.
 */
export function observeTrackSet(figure: Element, set: TrackSet, start: () => void, onChange: (active: boolean) => void): Lifecycle {
  return observeFigure(figure, (active) => {
    if (active && !set.started) start();
    else set.hold(!active);
    onChange(active);
  });
}
