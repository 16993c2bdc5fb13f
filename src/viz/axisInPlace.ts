import type { Axis } from 'd3-axis';
import type { NumberValue } from 'd3-scale';
import { select } from 'd3-selection';
import { setText } from './domWrites.ts';

/**
 * d3's axes, drawn into the page by editing what is there. d3 keys each tick by its position, so
 * when a domain moves (a loss curve's step axis grows every few seconds) it removes every tick and
 * makes new ones, which restyles them and (with the figure's `:has()` rule) the figure around
 * them. Here d3 draws the axis into a detached group, and the axis on the page takes its
 * attributes and text, element by element, writing only what differs: the same drawing, with
 * ticks that move and relabel in place.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A new group off the page, drawn by `axis` (d3's own output, attributes and all). */
export function axisDraft(axis: Axis<NumberValue>): SVGGElement {
  const g = document.createElementNS(SVG_NS, 'g');
  select(g).call(axis);
  return g;
}

/**
 * Makes `live` draw what `draft` draws: `draft`'s attributes (the live root keeps its own others:
 * its class and transform), its element children matched by position (added or removed at the
 * end), and the text of elements without element children.
 */
export function patchAxis(live: Element, draft: Element, root = true): void {
  for (const a of draft.attributes) if (live.getAttribute(a.name) !== a.value) live.setAttribute(a.name, a.value);
  if (!root) for (const name of live.getAttributeNames()) if (!draft.hasAttribute(name)) live.removeAttribute(name);
  const kids = draft.children;
  if (kids.length === 0) {
    setText(live, draft.textContent ?? '');
    return;
  }
  for (let i = 0; i < kids.length; i++) {
    let l = live.children[i];
    if (!l || l.tagName !== kids[i].tagName) {
      l = document.createElementNS(SVG_NS, kids[i].tagName);
      live.insertBefore(l, live.children[i] ?? null);
    }
    patchAxis(l, kids[i], false);
  }
  while (live.children.length > kids.length) live.lastElementChild!.remove();
}
