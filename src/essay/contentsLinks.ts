/**
 * A link to a place on the page (the contents, "see the figure above") lands its target at the top.
 * The browser aims a smooth scroll once, at the start; a figure that the scroll passes comes on
 * screen, starts, and grows (a legend line per finished run, say), which leaves the target some
 * pixels off where it aimed. When that scroll ends, the target is put back at its place, and again
 * whenever the page's layout changes after that, until it has held still for QUIET_MS (at most
 * SETTLE_MAX_MS: on a busy machine figures keep laying out for a while), unless the reader has
 * scrolled on their own since.
 */
const QUIET_MS = 600;
/** Without scrollend, how long after the last scroll event a scroll counts as over. */
const NO_SCROLLEND_QUIET_MS = 200;
const SETTLE_MAX_MS = 5000;

/** How far the element is from where a jump puts it (its top at its scroll-margin-top). */
function offset(target: Element): number {
  const margin = parseFloat(getComputedStyle(target).scrollMarginTop) || 0;
  return target.getBoundingClientRect().top - margin;
}

function atBottom(): boolean {
  return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
}

/** Called with a link's target before the page scrolls there (the essay mounts the figures around it). */
export type OnTarget = (target: Element) => void;

export function landSamePageLinks(doc: Document = document, onTarget?: OnTarget): void {
  doc.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element | null)?.closest?.('a[href^="#"]');
    const id = a ? decodeURIComponent(a.getAttribute('href')!.slice(1)) : '';
    const target = id ? doc.getElementById(id) : null;
    if (!target) return;
    onTarget?.(target);
    settleOn(target);
  });
}

/**
 * A page opened at #id lands its target too: the browser jumps there before the panels near it
 * have mounted (src/essay/mountPanels.ts); each holds its panel's measured height until then, but
 * a panel that comes out a few pixels taller or shorter would leave the target off its place.
 */
export function landInitialHash(doc: Document = document, onTarget?: OnTarget): void {
  const id = location.hash ? decodeURIComponent(location.hash.slice(1)) : '';
  const target = id ? doc.getElementById(id) : null;
  if (!target) return;
  onTarget?.(target);
  settleOn(target, true);
}

/**
 * A jump to another place on the page that is no click of ours (an address typed with a new #id, a
 * script setting location.hash, Back and Forward) lands its target too: the browser aims its smooth
 * scroll once, and the figures it passes mount and grow on the way, which would leave the target off.
 */
export function landHashChanges(doc: Document = document, onTarget?: OnTarget): void {
  window.addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? doc.getElementById(id) : null;
    if (!target || target === settling) return; // (a click of ours is settling on it already)
    onTarget?.(target);
    settleOn(target);
  });
}

/** The settling in progress (a new click replaces it), and its target. */
let cancel = (): void => {};
let settling: Element | null = null;

/** Keeps `target` at its place once the jump ends (`now`: there is no jump to wait for). */
function settleOn(target: Element, now = false): void {
  cancel();
  let done = false;
  let quiet = 0;
  let layout: ResizeObserver | null = null;
  const inputs = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
  const stop = (): void => {
    done = true;
    if (settling === target) settling = null;
    window.removeEventListener('scroll', moved);
    layout?.disconnect();
    clearTimeout(quiet);
    for (const t of inputs) window.removeEventListener(t, stop);
    window.removeEventListener('hashchange', elsewhere);
    window.removeEventListener('scrollend', onEnd);
    clearTimeout(giveUp);
  };
  let placed = NaN; // where the last fix left the page
  const fix = (): void => {
    if (done) return;
    const off = offset(target);
    if (Math.abs(off) > 1 && !(off > 0 && atBottom())) window.scrollBy({ top: off, behavior: 'instant' });
    placed = window.scrollY;
  };
  // on a page opened at #id, a scroll that is not a fix is the reader's (or a script's) own: it ends the settling
  const moved = (): void => {
    if (Number.isFinite(placed) && Math.abs(window.scrollY - placed) > 2) stop();
  };
  const settle = (): void => {
    clearTimeout(quiet);
    quiet = window.setTimeout(stop, QUIET_MS);
  };
  // (the link that started this changes the hash to its target: that one is no jump elsewhere)
  const elsewhere = (): void => {
    if (decodeURIComponent(location.hash.slice(1)) !== target.id) stop();
  };
  const onEnd = (): void => {
    window.removeEventListener('scrollend', onEnd);
    fix();
    // every later layout change (a figure above laying out again) puts the target back
    layout = new ResizeObserver(() => {
      fix();
      settle();
    });
    layout.observe(document.body);
    settle();
    window.setTimeout(stop, SETTLE_MAX_MS);
  };
  // the reader taking over ends it; so does a scroll that never ends (the target was already in place)
  for (const t of inputs) window.addEventListener(t, stop, { passive: true });
  // and so does a jump elsewhere that is no click of ours (Back, a script setting location.hash):
  // putting the old target back would undo it while panels near the new one mount
  window.addEventListener('hashchange', elsewhere);
  window.addEventListener('scrollend', onEnd);
  const giveUp = setTimeout(onEnd, now ? 0 : 3000);
  if (now) window.addEventListener('scroll', moved, { passive: true });
  cancel = stop;
  settling = target;
}

/**
 * Keeps what the reader is reading in place while figures above it change height (a figure that
 * comes on screen, trains and grows a legend line per finished run, say): when a figure that was
 * wholly above the window's top resizes, the page scrolls by as much. (The browser's own scroll
 * anchoring does not hold the text on this page, so it is turned off in style.css: the two would
 * add up.) ResizeObserver reports after layout and before paint, so the text never visibly jumps.
 *
 * Not while the page is scrolling (a smooth scroll to the top or a page down, a wheel, a jump being
 * settled): an instant scroll cancels a smooth one in flight, which would leave the reader wherever
 * it stopped, and a reader in motion is reading nothing that could jump.
 */
export function keepReaderInPlace(doc: Document = document): void {
  const heights = new Map<Element, number>();
  let scrolling = false;
  let placedAt = NaN; // where our own last scroll left the page: its scroll event is no motion
  // (a browser without scrollend: the scroll is over once no scroll event has come for a while)
  const endsOnItsOwn = 'onscrollend' in window;
  let quiet = 0;
  const ended = (): void => {
    scrolling = false;
  };
  window.addEventListener(
    'scroll',
    () => {
      if (window.scrollY === placedAt) {
        placedAt = NaN;
        return;
      }
      scrolling = true;
      if (endsOnItsOwn) return;
      clearTimeout(quiet);
      quiet = window.setTimeout(ended, NO_SCROLLEND_QUIET_MS);
    },
    { passive: true },
  );
  window.addEventListener('scrollend', ended);
  const ro = new ResizeObserver((entries) => {
    let shift = 0;
    for (const e of entries) {
      const rect = e.target.getBoundingClientRect();
      const before = heights.get(e.target);
      heights.set(e.target, rect.height);
      if (before === undefined) continue;
      // wholly above the window before it resized (a figure that grows at its foot can reach into
      // the window by growing, and the text below it moved all the same)
      const bottomBefore = rect.bottom - (rect.height - before);
      if (bottomBefore <= 0) shift += rect.height - before;
    }
    if (shift === 0 || window.scrollY <= 0 || scrolling || settling) return;
    window.scrollBy({ top: shift, behavior: 'instant' });
    placedAt = window.scrollY;
  });
  for (const f of doc.querySelectorAll('main figure')) ro.observe(f);
}
