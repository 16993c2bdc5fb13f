/**
 * A figure's lifecycle (after Distill's d-figure): it is active while some of it is on screen and
 * its tab is visible. A panel starts work when it becomes active and pauses when it stops being,
 * so training never runs for nobody.
 */
export interface Lifecycle {
  readonly active: boolean;
  disconnect(): void;
}

export function observeFigure(el: Element, onChange: (active: boolean) => void): Lifecycle {
  let onscreen = false;
  let active = false;
  const update = () => {
    const next = onscreen && document.visibilityState !== 'hidden';
    if (next === active) return;
    active = next;
    onChange(active);
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
      io.disconnect();
      document.removeEventListener('visibilitychange', update);
    },
  };
}
