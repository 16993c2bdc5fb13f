import { viewedParts } from './figures/lifecycle.ts';

/** How far ahead of the window a figure (or its section) starts loading: its panel is drawn before the reader gets there. */
export const NEAR_MARGIN = '150% 0px';
/** After the page's load event, the figures still not mounted mount one per idle moment, from this long on. */
export const IDLE_AFTER_MS = 1000;

/**
 * Calls `mount` once for each element: when it or its section comes within NEAR_MARGIN of the
 * window, or else, one at a time in page order, when the browser is idle after load (so print, find
 * in page and a reader's fast scroll still meet every panel, without their code and set-up costing
 * the first paint).
 */
export function mountWhenNear(els: readonly HTMLElement[], mount: (el: HTMLElement) => void): void {
  const pending = new Set(els);
  const owners = new Map<Element, HTMLElement[]>(); // observed part -> the figures it brings in
  const take = (el: HTMLElement): void => {
    if (!pending.delete(el)) return;
    for (const p of viewedParts(el)) io.unobserve(p);
    mount(el);
  };
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) if (e.isIntersecting) for (const el of owners.get(e.target) ?? []) take(el);
    },
    { rootMargin: NEAR_MARGIN },
  );
  for (const el of els) {
    for (const p of viewedParts(el)) {
      owners.set(p, [...(owners.get(p) ?? []), el]);
      io.observe(p);
    }
  }
  const idle = (f: () => void): void => {
    if ('requestIdleCallback' in window) requestIdleCallback(f, { timeout: 2000 });
    else setTimeout(f, 50);
  };
  const next = (): void => {
    const [el] = pending;
    if (!el) return io.disconnect();
    take(el);
    idle(next);
  };
  const start = () => setTimeout(() => idle(next), IDLE_AFTER_MS);
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
