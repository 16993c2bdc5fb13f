import { stateQuery, type PageState } from '../state/urlState.ts';

/** How long the URL waits for the state to settle: browsers throttle rapid history updates. */
const WRITE_AFTER_MS = 300;

/**
 * Mirrors the state into the address bar with history.replaceState (no history entry per slider
 * move), debounced, and only when the query actually changes.
 */
export function createUrlWriter(): (state: PageState) => void {
  let timer = 0;
  let pending: PageState | null = null;
  const write = () => {
    timer = 0;
    if (!pending) return;
    const query = stateQuery(pending, new URLSearchParams(location.search));
    pending = null;
    if (query === location.search || (query === '' && location.search === '')) return;
    history.replaceState(history.state, '', `${location.pathname}${query}${location.hash}`);
  };
  return (state) => {
    pending = state;
    clearTimeout(timer);
    timer = window.setTimeout(write, WRITE_AFTER_MS);
  };
}

/** Writes the state at once (after repairing a link at load). */
export function replaceUrlNow(state: PageState): void {
  const query = stateQuery(state, new URLSearchParams(location.search));
  if (query !== location.search) history.replaceState(history.state, '', `${location.pathname}${query}${location.hash}`);
}
