import { viewedParts } from './figures/lifecycle.ts';

/**
 * How far ahead of the window a figure (or its section) starts loading: two windows' heights, so
 * its panel has drawn before the reader gets there, even scrolling fast.
 */
export const NEAR_MARGIN = '200% 0px';

/** The most frames a mounted panel keeps its figure's reserved height while it lays itself out. */
const MAX_SETTLE_FRAMES = 60;

/**
 * A panel lays itself out over a frame or two after it mounts (its charts take their width from a
 * resize observer): until its content has held one height for two frames, the figure keeps the
 * reserved height, then data-drawn lets the content alone set it (a shift of the reserve's error).
 */
function keepUntilDrawn(figure: HTMLElement): Promise<void> {
  return new Promise((done) => {
    let last = -1;
    let same = 0;
    let frames = 0;
    const contentHeight = (): number => {
      const kids = [...figure.children].filter((c) => c.getClientRects().length > 0);
      if (!kids.length) return 0;
      return kids[kids.length - 1].getBoundingClientRect().bottom - kids[0].getBoundingClientRect().top;
    };
    const tick = (): void => {
      const h = contentHeight();
      same = Math.abs(h - last) < 0.5 ? same + 1 : 0;
      last = h;
      if (same >= 2 || ++frames >= MAX_SETTLE_FRAMES) {
        figure.dataset.drawn = '';
        done();
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export interface NearMounter {
  /** Mounts now the figures in `target`'s section (a link's target), and those of the section before it. */
  mountAround(target: Element): void;
}

/**
 * Calls `mount` once for each figure, when it or its section comes within NEAR_MARGIN of the
 * window (each panel's code is a chunk of its own, fetched then). Nothing moves when a panel
 * arrives: until it has mounted and drawn, its figure holds the height the panel will have
 * (panelReserve.css, measured), so a late mount does not push down what the reader jumped to. `onAll` is called once
 * every figure has mounted (or failed to).
 */
export function mountWhenNear(els: readonly HTMLElement[], mount: (el: HTMLElement) => Promise<void>, onAll?: () => void): NearMounter {
  const pending = new Set(els);
  const started: Promise<void>[] = [];
  const owners = new Map<Element, HTMLElement[]>(); // observed part -> the figures it brings in
  const take = (el: HTMLElement): void => {
    if (!pending.delete(el)) return;
    for (const p of viewedParts(el)) io.unobserve(p);
    started.push(mount(el).then(() => keepUntilDrawn(el), () => undefined));
    if (pending.size === 0) {
      io.disconnect();
      void Promise.allSettled(started).then(() => onAll?.());
    }
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
  return {
    mountAround(target) {
      const section = target.closest('section');
      const sections = [section, section?.previousElementSibling].filter((s): s is Element => s instanceof Element);
      for (const el of els) if (sections.some((s) => s.contains(el))) take(el);
    },
  };
}
