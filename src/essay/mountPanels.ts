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
 * reserved height. Then data-drawn lets the content alone set it, a change of the reserve's error,
 * made only where it moves nothing the reader sees: when what follows the figure is below the
 * window. A figure drawn above the text on screen (a link landed below it) keeps its reserved
 * height until then: the browser counts text moved in the page as a layout shift even where a
 * scroll puts it back.
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
        held.add(figure);
        releaseHeld();
        done();
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Drawn figures still keeping their reserved height (text after them is on screen). */
const held = new Set<HTMLElement>();

function releaseHeld(): void {
  for (const f of held) {
    if (f.getBoundingClientRect().bottom < innerHeight - 1) continue;
    f.dataset.drawn = '';
    held.delete(f);
  }
  if (held.size) {
    addEventListener('scroll', releaseHeld, { passive: true });
    addEventListener('resize', releaseHeld, { passive: true });
  } else {
    removeEventListener('scroll', releaseHeld);
    removeEventListener('resize', releaseHeld);
  }
}

export interface NearMounter {
  /**
   * A link is taking the reader to `target`: mounts now the figures of its section and of the
   * section before it, and none of those the scroll passes on its way (they would grow above the
   * target as it lands), until the scroll has ended.
   */
  mountAround(target: Element): void;
}

/** How long a link's scroll may take before the figures near the window mount anyway. */
const JUMP_MAX_MS = 3000;

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
    for (const p of viewedParts(el)) {
      io.unobserve(p);
      near.delete(p);
    }
    started.push(mount(el).then(() => keepUntilDrawn(el), () => undefined));
    if (pending.size === 0) {
      io.disconnect();
      void Promise.allSettled(started).then(() => onAll?.());
    }
  };
  let jumping = false; // a link's scroll is under way: figures it passes wait
  const near = new Set<Element>(); // observed parts within the margin now
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) near.add(e.target);
        else near.delete(e.target);
      }
      if (!jumping) for (const p of [...near]) for (const el of owners.get(p) ?? []) take(el);
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
      if (jumping || pending.size === 0) return;
      jumping = true;
      const land = (): void => {
        if (!jumping) return;
        jumping = false;
        removeEventListener('scrollend', land);
        clearTimeout(timer);
        // those near where the reader landed (a record of the observer's last reports)
        for (const p of [...near]) for (const el of owners.get(p) ?? []) take(el);
      };
      addEventListener('scrollend', land);
      const timer = setTimeout(land, JUMP_MAX_MS);
    },
  };
}
