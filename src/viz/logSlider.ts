import { el } from './panelParts.ts';

/**
 * A slider on a log scale (the ARIA slider pattern, after Distill's d-slider): a focusable thumb
 * with role="slider" and aria-valuemin/max/now/valuetext; arrows move one notch, Page Up/Down
 * one `pageNotches` jump, Home/End to the ends. The pointer (mouse, pen, touch) can press anywhere
 * on the track and drag; the value snaps to the notches. It reports each change with
 * `final = false` while a drag is under way and `final = true` when the reader lets go or uses
 * the keyboard, so the owner can debounce expensive work during a drag.
 */
export interface LogSliderOptions {
  id: string; // prefix for element ids
  label: string;
  notches: readonly number[]; // allowed values, ascending, all > 0
  pageNotches: number;
  ticks: readonly number[]; // values labelled under the track
  valueText(v: number): string;
  onInput(v: number, final: boolean): void;
}

export interface LogSlider {
  readonly thumb: HTMLElement;
  /** Shows `v` (need not be a notch: a URL may ask for any width in range). */
  update(v: number): void;
}

export function createLogSlider(root: HTMLElement, o: LogSliderOptions): LogSlider {
  const min = o.notches[0];
  const max = o.notches[o.notches.length - 1];
  const lo = Math.log(min);
  const span = Math.log(max) - lo;
  const frac = (v: number) => (Math.log(v) - lo) / span;

  // the rail is inset in a taller track: the track is the touch target, the rail the scale
  const wrap = el('div', 'log-slider');
  const label = el('span', 'log-slider-label', wrap);
  label.id = `${o.id}-label`;
  label.textContent = o.label;
  const track = el('div', 'log-slider-track', wrap);
  const rail = el('div', 'log-slider-rail', track);
  const fill = el('div', 'log-slider-fill', rail);
  const thumb = el('div', 'log-slider-thumb', rail);
  thumb.tabIndex = 0;
  thumb.setAttribute('role', 'slider');
  thumb.setAttribute('aria-labelledby', label.id);
  thumb.setAttribute('aria-orientation', 'horizontal');
  thumb.setAttribute('aria-valuemin', String(min));
  thumb.setAttribute('aria-valuemax', String(max));
  const ticks = el('div', 'log-slider-ticks', rail);
  ticks.setAttribute('aria-hidden', 'true');
  for (const t of o.ticks) {
    const s = el('span', '', ticks);
    s.textContent = String(t);
    s.style.left = `${100 * frac(t)}%`;
  }
  root.append(wrap);

  let value = min;

  function nearestNotch(v: number): number {
    let best = o.notches[0];
    for (const n of o.notches) if (Math.abs(Math.log(n / v)) < Math.abs(Math.log(best / v))) best = n;
    return best;
  }

  /** The notch `k` places above (k > 0) or below the value, stopping at the ends. */
  function moveBy(k: number): number {
    const i = k > 0 ? o.notches.findIndex((n) => n > value) : findLastIndex(o.notches, (n) => n < value);
    if (i < 0) return value;
    const j = i + (k > 0 ? k - 1 : k + 1);
    return o.notches[Math.min(o.notches.length - 1, Math.max(0, j))];
  }

  function set(v: number, final: boolean): void {
    if (v === value && !final) return;
    const changed = v !== value;
    show(v);
    if (changed || final) o.onInput(v, final);
  }

  let shown = '';
  function show(v: number): void {
    value = v;
    const p = `${100 * Math.min(1, Math.max(0, frac(v)))}%`;
    if (p === shown && thumb.getAttribute('aria-valuenow') === String(v)) return; // a frame's update repeats it
    shown = p;
    thumb.style.left = p;
    fill.style.width = p;
    thumb.setAttribute('aria-valuenow', String(v));
    thumb.setAttribute('aria-valuetext', o.valueText(v));
  }

  thumb.addEventListener('keydown', (ev) => {
    let next: number | null = null;
    switch (ev.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        next = moveBy(1);
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        next = moveBy(-1);
        break;
      case 'PageUp':
        next = moveBy(o.pageNotches);
        break;
      case 'PageDown':
        next = moveBy(-o.pageNotches);
        break;
      case 'Home':
        next = min;
        break;
      case 'End':
        next = max;
        break;
    }
    if (next === null) return;
    ev.preventDefault();
    if (next !== value) set(next, true);
  });

  function fromPointer(ev: PointerEvent): number {
    const r = rail.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width));
    return nearestNotch(Math.exp(lo + f * span));
  }

  // A drag: which pointer, and whether it has started moving the value. A touch starts as a
  // maybe-scroll (the track allows vertical panning): it becomes a drag once it moves sideways,
  // and a tap sets the value on release; if the page scrolls instead, nothing changes.
  let drag: { id: number; x0: number; live: boolean } | null = null;
  const TOUCH_SLOP_PX = 6;

  function begin(ev: PointerEvent): void {
    drag!.live = true;
    track.classList.add('dragging');
    thumb.focus({ preventScroll: true });
    set(fromPointer(ev), false);
  }

  track.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0 || drag !== null) return;
    drag = { id: ev.pointerId, x0: ev.clientX, live: false };
    track.setPointerCapture(ev.pointerId);
    if (ev.pointerType !== 'touch') {
      ev.preventDefault(); // no text selection while dragging
      begin(ev);
    }
  });
  track.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    if (drag.live) set(fromPointer(ev), false);
    else if (Math.abs(ev.clientX - drag.x0) > TOUCH_SLOP_PX) begin(ev);
  });
  track.addEventListener('pointerup', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    drag = null;
    track.classList.remove('dragging');
    set(fromPointer(ev), true);
  });
  track.addEventListener('pointercancel', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const wasLive = drag.live;
    drag = null;
    track.classList.remove('dragging');
    if (wasLive) set(value, true);
  });

  return {
    thumb,
    update(v) {
      if (drag === null || !drag.live) show(v);
    },
  };
}

function findLastIndex<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i])) return i;
  return -1;
}
